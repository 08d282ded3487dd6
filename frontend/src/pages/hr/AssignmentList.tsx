import { useEffect, useState } from 'react';
import { hrApi } from '../../api/endpoints';
import type { AssignmentListStatus, CourseCard } from '../../api/types';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Pagination } from '../../components/Pagination';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';
import { AssignmentStatusBadge } from './HrBadges';
import { hrErrorMessage } from './hrErrors';
import { fullName } from './format';
import { useLoad } from './useLoad';

const LIST_STATUSES: readonly AssignmentListStatus[] = ['open', 'overdue', 'completed'];

/** GET /api/hr/assignments/ with filters, row selection and the bulk actions. */
export function AssignmentList({ courses, version }: { courses: CourseCard[] | null; version: number }) {
  const { t, formatDay } = useI18n();
  const [course, setCourse] = useState('');
  const [status, setStatus] = useState<AssignmentListStatus | ''>('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [localVersion, setLocalVersion] = useState(0);
  const list = useLoad(
    (signal) => hrApi.assignments({ course, status, page }, signal),
    [course, status, page, version, localVersion],
  );

  // A new page or filter starts with nothing selected.
  useEffect(() => setSelected([]), [course, status, page, version, localVersion]);

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
      <BulkActions selected={selected} onDone={() => setLocalVersion((v) => v + 1)} />
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
              <th scope="col">{t('hr.col.progress')}</th>
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
                  <input
                    type="checkbox"
                    aria-label={t('hr.assignments.select', { name: fullName(a.user), course: a.course.title })}
                    checked={selected.includes(a.id)}
                    onChange={(e) =>
                      setSelected(e.target.checked ? [...selected, a.id] : selected.filter((id) => id !== a.id))
                    }
                  />
                </td>
                <td>
                  {fullName(a.user)}
                  <br />
                  <span className="muted url-cell">{a.user.email}</span>
                </td>
                <td>
                  {a.course.title}
                  {!a.required ? <span className="muted"> · {t('hr.optional')}</span> : null}
                </td>
                <td className="nowrap">{formatDay(a.assigned_at)}</td>
                <td className="nowrap">{a.due_at ? formatDay(a.due_at) : '—'}</td>
                <td>
                  <AssignmentStatusBadge status={a.status} />
                </td>
                <td className="progress-cell">
                  <ProgressBar
                    className="progress-small"
                    value={a.progress_percent}
                    label={t('hr.assignments.progressOf', { name: fullName(a.user), course: a.course.title })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data ? <Pagination page={page} count={list.data.count} onChange={setPage} /> : null}
    </section>
  );
}

function BulkActions({ selected, onDone }: { selected: number[]; onDone: () => void }) {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [pending, setPending] = useState(false);
  const none = selected.length === 0;

  const run = async (action: 'unassign' | 'set_due') => {
    setError('');
    setDone('');
    setDateError(undefined);
    if (action === 'set_due' && !date) {
      setDateError([t('hr.assign.dateRequired')]);
      return;
    }
    setPending(true);
    try {
      if (action === 'unassign') {
        const result = await hrApi.bulkAssignments({ ids: selected, action });
        setDone(t('hr.assignments.unassigned', { count: result.cancelled ?? 0 }));
      } else {
        const result = await hrApi.bulkAssignments({ ids: selected, action, due: { kind: 'date', date } });
        setDone(t('hr.assignments.dueChanged', { count: result.updated ?? 0 }));
      }
      onDone();
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
      <FormSuccess message={done} />
      <div className="bulk-row">
        <button type="button" className="btn btn-danger" disabled={none || pending} onClick={() => run('unassign')}>
          {t('hr.assignments.unassign')}
        </button>
        <Field
          label={t('hr.field.newDueDate')}
          type="date"
          className="field-compact"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          errors={dateError}
        />
        <button type="button" className="btn btn-secondary" disabled={none || pending} onClick={() => run('set_due')}>
          {t('hr.assignments.changeDue')}
        </button>
      </div>
    </div>
  );
}
