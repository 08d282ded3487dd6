import { hrApi } from '../../api/endpoints';
import { FormAlert } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { AssignmentStatusBadge } from './HrBadges';
import { useLoad } from './useLoad';

/** GET /api/hr/employees/:id/transcript/ — every assignment cycle and self-directed course. */
export function TranscriptTable({ employeeId, version }: { employeeId: number; version: number }) {
  const { t, formatShortDay: formatDay } = useI18n();
  const transcript = useLoad((signal) => hrApi.transcript(employeeId, signal), [employeeId, version]);
  const day = (iso: string | null) => (iso ? formatDay(iso) : '—');

  return (
    <section aria-labelledby="transcript">
      <h2 id="transcript">{t('hr.transcript.title')}</h2>
      <FormAlert message={transcript.error} />
      {!transcript.data && !transcript.error ? <Loading /> : null}
      {transcript.data ? (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('hr.transcript.assignments')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('hr.col.course')}</th>
                  <th scope="col" className="num">{t('hr.col.cycle')}</th>
                  <th scope="col">{t('hr.col.assigned')}</th>
                  <th scope="col">{t('hr.col.due')}</th>
                  <th scope="col">{t('hr.col.status')}</th>
                  <th scope="col" className="num">{t('hr.col.progress')}</th>
                  <th scope="col">{t('hr.col.completed')}</th>
                  <th scope="col">{t('hr.col.certificate')}</th>
                </tr>
              </thead>
              <tbody>
                {transcript.data.assignments.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="empty">
                      {t('hr.transcript.empty')}
                    </td>
                  </tr>
                ) : null}
                {transcript.data.assignments.map((a) => (
                  <tr key={a.assignment_id} className={a.state !== 'current' ? 'is-past' : undefined}>
                    <td>
                      {a.course.title}
                      {a.state !== 'current' ? (
                        <span className="muted"> · {t(`hr.transcript.state.${a.state}` as MessageKey)}</span>
                      ) : null}
                      {!a.required ? <span className="muted"> · {t('hr.optional')}</span> : null}
                    </td>
                    <td className="num">{a.cycle}</td>
                    <td className="nowrap">{day(a.assigned_at)}</td>
                    <td className="nowrap">{day(a.due_at)}</td>
                    <td>
                      <AssignmentStatusBadge status={a.status} />
                    </td>
                    <td className="num">{a.progress_percent}%</td>
                    <td className="nowrap">{day(a.completed_at)}</td>
                    <td>{a.certificate ? <code>{a.certificate}</code> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {transcript.data.self_directed.length ? (
            <>
              <h3>{t('hr.transcript.selfDirected')}</h3>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('hr.col.course')}</th>
                      <th scope="col">{t('hr.col.enrolled')}</th>
                      <th scope="col" className="num">{t('hr.col.progress')}</th>
                      <th scope="col">{t('hr.col.completed')}</th>
                      <th scope="col">{t('hr.col.certificate')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {transcript.data.self_directed.map((e) => (
                      <tr key={e.course.slug}>
                        <td>{e.course.title}</td>
                        <td className="nowrap">{day(e.enrolled_at)}</td>
                        <td className="num">{e.progress_percent}%</td>
                        <td className="nowrap">{day(e.completed_at)}</td>
                        <td>{e.certificate ? <code>{e.certificate}</code> : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
