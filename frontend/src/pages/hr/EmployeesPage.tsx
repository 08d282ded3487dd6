import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { hrApi } from '../../api/endpoints';
import { EMPLOYEE_STATUSES, type Department, type Employee, type EmployeeFilters, type Paged, type SeatUsage } from '../../api/types';
import { SelectField } from '../../components/FormControls';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { AddEmployeeForm } from './AddEmployeeForm';
import { EmployeeStatusBadge } from './HrBadges';
import { fullName } from './format';
import { departmentLabel, departmentOptions, useDepartments, useGroups } from './lookups';
import { useLoad } from './useLoad';

const SEARCH_DEBOUNCE_MS = 300;
const FILTERS = ['search', 'department', 'group', 'status'] as const;

/** /hr/employees — the directory with filters, seats and the "Add employee" form. */
export function EmployeesPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const filters: EmployeeFilters = { page };
  for (const name of FILTERS) filters[name] = params.get(name) ?? '';
  const key = [page, ...FILTERS.map((name) => params.get(name) ?? '')].join('|');

  const employees = useLoad((signal) => hrApi.employees(filters, signal), [key]);
  const seats = useLoad((signal) => hrApi.seats(signal), []);
  const departments = useDepartments();

  const update = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace: true },
    );

  return (
    <section>
      <div className="page-head">
        <PageHeading>{t('hr.employees.title')}</PageHeading>
        <SeatCounter seats={seats.data} />
      </div>
      <EmployeeFilterBar filters={filters} departments={departments.data} onChange={update} />
      <FormAlert message={employees.error} />
      <EmployeeTable data={employees.data} loading={employees.loading} />
      {employees.data ? (
        <Pagination page={page} count={employees.data.count} onChange={(next) => update({ page: next > 1 ? String(next) : '' })} />
      ) : null}
      <AddEmployeeForm
        departments={departments.data}
        onAdded={() => {
          employees.reload();
          seats.reload();
        }}
        onSeats={({ used, limit }) => seats.setData({ used, limit, available: Math.max(0, limit - used) })}
      />
    </section>
  );
}

function SeatCounter({ seats }: { seats: SeatUsage | null }) {
  const { t } = useI18n();
  if (!seats) return null;
  const full = seats.used >= seats.limit;
  return (
    <p className={`seat-counter${full ? ' is-full' : ''}`} data-testid="seat-usage">
      {t('hr.seats', { used: seats.used, limit: seats.limit })}
    </p>
  );
}

function EmployeeFilterBar({
  filters,
  departments,
  onChange,
}: {
  filters: EmployeeFilters;
  departments: Department[] | null;
  onChange: (changes: Record<string, string>) => void;
}) {
  const { t } = useI18n();
  const groups = useGroups();
  const searchId = `search${useId().replace(/[^\w-]/g, '')}`;
  const [query, setQuery] = useState(filters.search ?? '');
  const search = filters.search ?? '';

  useEffect(() => setQuery(search), [search]);
  useEffect(() => {
    if (query === search) return;
    const timer = setTimeout(() => onChange({ search: query.trim() ? query : '' }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  const all = ['', t('hr.filter.all')] as const;
  return (
    <form className="filters" role="search" aria-label={t('hr.filters')} onSubmit={(e) => e.preventDefault()}>
      <div className="field filters-search">
        <label htmlFor={searchId}>{t('field.search')}</label>
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <SelectField
        label={t('hr.field.department')}
        value={filters.department ?? ''}
        onChange={(e) => onChange({ department: e.target.value })}
        options={[all, ...departmentOptions(departments)]}
      />
      <SelectField
        label={t('hr.field.group')}
        value={filters.group ?? ''}
        onChange={(e) => onChange({ group: e.target.value })}
        options={[all, ...(groups.data ?? []).map((g) => [String(g.id), g.name] as const)]}
      />
      <SelectField
        label={t('hr.field.status')}
        value={filters.status ?? ''}
        onChange={(e) => onChange({ status: e.target.value })}
        options={[all, ...EMPLOYEE_STATUSES.map((s) => [s, t(`hr.employeeStatus.${s}` as MessageKey)] as const)]}
      />
    </form>
  );
}

function EmployeeTable({ data, loading }: { data: Paged<Employee> | null; loading: boolean }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap" aria-busy={loading}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('hr.col.name')}</th>
            <th scope="col">{t('hr.col.email')}</th>
            <th scope="col">{t('hr.col.department')}</th>
            <th scope="col">{t('hr.col.title')}</th>
            <th scope="col">{t('hr.col.status')}</th>
            <th scope="col">{t('hr.col.manager')}</th>
          </tr>
        </thead>
        <tbody>
          {data && data.results.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                {t('hr.employees.empty')}
              </td>
            </tr>
          ) : null}
          {data?.results.map((employee) => (
            <tr key={employee.id}>
              <td>
                <Link to={`/hr/employees/${employee.id}`}>{fullName(employee)}</Link>
              </td>
              <td className="url-cell">{employee.email}</td>
              <td>{employee.department ? departmentLabel(employee.department.path) : ''}</td>
              <td>{employee.title}</td>
              <td>
                <EmployeeStatusBadge status={employee.status} />
              </td>
              <td>{employee.manager ? fullName(employee.manager) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
