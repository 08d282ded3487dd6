import { useEffect, useState } from 'react';
import { hrApi } from '../../api/endpoints';
import type { AssignmentListStatus, CourseCard } from '../../api/types';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';
import { AssignmentStatusBadge } from './HrBadges';
import { hrErrorMessage } from './hrErrors';
import { fullName } from './format';
import { useLoad } from './useLoad';

const LIST_STATUSES: readonly AssignmentListStatus[] = ['open', 'overdue', 'completed'];

/** GET /api/hr/assignments/ with filters, row selection and the bulk actions. */
export function AssignmentList({ courses, version }: { courses: CourseCard[] | null; version: number }) {
  const { t, formatShortDay: formatDay } = useI18n();
  const [course, setCourse] = useState('');
  const [status, setStatus] = useState<AssignmentListStatus | ''>('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [localVersion, setLocalVersion] = useState(0);
  const [bulkDone, setBulkDone] = useState('');
  const list = useLoad(
    (signal) => hrApi.assignments({ course, status, page }, signal),
    [course, status, page, version, localVersion],
  );

  // A new page or filter starts with nothing selected.
  useEffect(() => setSelected([]), [course, status, page, version, localVersion]);
  useEffect(() => setBulkDone(''), [course, status, page, version]);

  const rows = list.data?.results ?? [];
  const allSelected = rows.length > 0 && rows.every((a) => selected.includes(a.id));

  return (
    <section aria-labelledby="current-assignments">
      <h2 id="current-assignments">{t('hr.assignments.current')}</h2>
      <form className="filters" role="search" aria-label={t('hr.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('hr.field.course')}
          value={course}
          onChange={(e) => {
            setCourse(e.target.value);
            setPage(1);
          }}
          options={[['', t('hr.filter.all')], ...(courses ?? []).map((c) => [c.slug, c.title] as const)]}
        />
        <SelectField
          label={t('hr.field.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as AssignmentListStatus | '');
            setPage(1);
          }}
          options={[['', t('hr.filter.all')], ...LIST_STATUSES.map((s) => [s, t(`hr.assignments.filter.${s}`)] as const)]}
        />
      </form>
      <BulkActions
        selected={selected}
        onDone={(message) => {
          setBulkDone(message);
          setLocalVersion((v) => v + 1);
        }}
      />
      {selected.length === 0 ? <FormSuccess message={bulkDone} /> : null}
      <FormAlert message={list.error} />
      <div className="table-wrap" aria-busy={list.loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('hr.assignments.selectAll')}
                  checked={allSelected}
                  disabled={rows.length === 0}
                  onChange={(e) => setSelected(e.target.checked ? rows.map((a) => a.id) : [])}
                />
              </th>
              <th scope="col">{t('hr.col.employee')}</th>
              <th scope="col">{t('hr.col.course')}</th>
              <th scope="col">{t('hr.col.assigned')}</th>
              <th scope="col">{t('hr.col.due')}</th>
              <th scope="col">{t('hr.col.status')}</th>
              <th scope="col" className="num">{t('hr.col.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data && rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  {t('hr.assignments.none')}
                </td>
              </tr>
            ) : null}
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  {/* Named "Select"; who and which course come as the description (keeps labels unique). */}
                  <input
                    type="checkbox"
                    aria-label={t('hr.assignments.selectRow')}
                    aria-describedby={`asg-${a.id}-user asg-${a.id}-course`}
                    checked={selected.includes(a.id)}
                    onChange={(e) =>
                      setSelected(e.target.checked ? [...selected, a.id] : selected.filter((id) => id !== a.id))
                    }
                  />
                </td>
                <td id={`asg-${a.id}-user`}>
                  {fullName(a.user)}
                  <br />
                  <span className="muted url-cell">{a.user.email}</span>
                </td>
                <td id={`asg-${a.id}-course`}>
                  {a.course.title}
                  {!a.required ? <span className="muted"> · {t('hr.optional')}</span> : null}
                </td>
                <td className="nowrap">{formatDay(a.assigned_at)}</td>
                <td className="nowrap">{a.due_at ? formatDay(a.due_at) : '—'}</td>
                <td>
                  <AssignmentStatusBadge status={a.status} />
                </td>
                <td className="num">{a.progress_percent}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data ? <Pagination page={page} count={list.data.count} onChange={setPage} /> : null}
    </section>
  );
}

/** Unassign / change the due date of the selected rows; shown only while something is selected. */
function BulkActions({ selected, onDone }: { selected: number[]; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState('');
  const [pending, setPending] = useState(false);
  if (selected.length === 0) return null;

  const run = async (action: 'unassign' | 'set_due') => {
    setError('');
    setDateError(undefined);
    if (action === 'set_due' && !date) {
      setDateError([t('hr.assign.dateRequired')]);
      return;
    }
    setPending(true);
    try {
      if (action === 'unassign') {
        const result = await hrApi.bulkAssignments({ ids: selected, action });
        onDone(t('hr.assignments.unassigned', { count: result.cancelled ?? 0 }));
      } else {
        const result = await hrApi.bulkAssignments({ ids: selected, action, due: { kind: 'date', date } });
        onDone(t('hr.assignments.dueChanged', { count: result.updated ?? 0 }));
      }
    } catch (err) {
      setError(hrErrorMessage(err, t));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="card bulk-actions" role="group" aria-labelledby="bulk-actions">
      <h3 id="bulk-actions">{t('hr.assignments.bulk', { count: selected.length })}</h3>
      <FormAlert message={error} />
      <div className="bulk-row">
        <button type="button" className="btn btn-danger" disabled={pending} onClick={() => run('unassign')}>
          {t('hr.assignments.unassign')}
        </button>
        <Field
          label={t('hr.field.newDueDate')}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          errors={dateError}
        />
        <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => run('set_due')}>
          {t('hr.assignments.changeDue')}
        </button>
      </div>
    </div>
  );
}
