import type { ImportJob } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';

export const isFinished = (job: ImportJob) => job.status === 'done' || job.status === 'failed';

/** The live state of one import: progress while it runs, counts and errors when it is over. */
export function ImportResult({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const finished = isFinished(job);
  return (
    <section className="card">
      <h2>
        {job.dry_run ? t('hr.import.resultDryRun', { file: job.filename }) : t('hr.import.result', { file: job.filename })}
      </h2>
      <p aria-live="polite">
        {t('hr.import.status')}:{' '}
        <code className={`import-status import-status-${job.status}`} data-testid="import-status">
          {job.status}
        </code>
        {job.total_rows ? (
          <span className="muted"> · {t('hr.import.rows', { processed: job.processed_rows, total: job.total_rows })}</span>
        ) : null}
      </p>
      <ProgressBar value={job.progress_percent} label={t('hr.import.progress')} className="progress-large" />
      {finished ? (
        <>
          {job.dry_run ? <p className="alert alert-info">{t('hr.import.dryRunNote')}</p> : null}
          <dl className="stat-cards stat-cards-small">
            <div className="stat-card">
              <dt>{t('hr.import.created')}</dt>
              <dd data-testid="import-created">{job.created}</dd>
            </div>
            <div className="stat-card">
              <dt>{t('hr.import.updated')}</dt>
              <dd data-testid="import-updated">{job.updated}</dd>
            </div>
            <div className="stat-card">
              <dt>{t('hr.import.unchanged')}</dt>
              <dd data-testid="import-unchanged">{job.unchanged}</dd>
            </div>
            <div className={`stat-card${job.failed ? ' stat-card-warning' : ''}`}>
              <dt>{t('hr.import.failed')}</dt>
              <dd data-testid="import-failed">{job.failed}</dd>
            </div>
          </dl>
          {job.file_error ? (
            <div className="alert alert-error" role="alert">
              {job.file_error}
            </div>
          ) : null}
          {job.errors.length ? <ImportErrors job={job} /> : null}
        </>
      ) : null}
    </section>
  );
}

function ImportErrors({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="table-caption">
          {job.failed > job.errors.length
            ? t('hr.import.errorsTruncated', { shown: job.errors.length, total: job.failed })
            : t('hr.import.errors')}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t('hr.import.col.row')}</th>
            <th scope="col">{t('hr.import.col.column')}</th>
            <th scope="col">{t('hr.import.col.message')}</th>
          </tr>
        </thead>
        <tbody>
          {job.errors.map((e, index) => (
            <tr key={`${e.row}-${e.column}-${index}`}>
              <td className="num">{e.row}</td>
              <td>
                <code>{e.column}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
