import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import type { ImportJob } from '../../api/types';
import { Field } from '../../components/Field';
import { CheckboxField } from '../../components/FormControls';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';
import { hrErrorMessage, hrFormError } from './hrErrors';
import { ImportResult, isFinished } from './ImportResult';
import { useLoad } from './useLoad';

export const IMPORT_POLL_MS = 1000;

/** /hr/import — upload a CSV/XLSX, follow the job until it is done, see what happened. */
export function ImportPage({ pollMs = IMPORT_POLL_MS }: { pollMs?: number }) {
  const { t } = useI18n();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [pollError, setPollError] = useState('');
  const [historyVersion, setHistoryVersion] = useState(0);
  const tRef = useRef(t);
  tRef.current = t;

  // Poll every `pollMs` while the job is queued or running.
  const jobId = job?.id;
  const running = job !== null && !isFinished(job);
  useEffect(() => {
    if (jobId === undefined || !running) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      hrApi
        .importJob(jobId, controller.signal)
        .then((next) => {
          setPollError('');
          setJob(next);
          if (isFinished(next)) setHistoryVersion((v) => v + 1);
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          setPollError(hrErrorMessage(err, tRef.current));
          // A network blip keeps polling (the same job state re-arms the effect); a 4xx stops.
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) return;
          setJob((current) => (current ? { ...current } : current));
        });
    }, pollMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [jobId, running, job, pollMs]);

  return (
    <section>
      <PageHeading>{t('hr.import.title')}</PageHeading>
      <ImportForm
        busy={running}
        onStarted={(started) => {
          setPollError('');
          setJob(started);
          setHistoryVersion((v) => v + 1);
        }}
      />
      <FormAlert message={pollError} />
      {job ? <ImportResult job={job} /> : null}
      <ImportHelp />
      <RecentImports version={historyVersion} />
    </section>
  );
}

function ImportForm({ busy, onStarted }: { busy: boolean; onStarted: (job: ImportJob) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [sendInvitations, setSendInvitations] = useState(false);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setError({ message: '', fields: { file: [t('hr.import.chooseFile')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      onStarted(await hrApi.startImport(file, { dryRun, sendInvitations }));
    } catch (err) {
      setError(hrFormError(err, t, ['file']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <h2>{t('hr.import.upload')}</h2>
      <FormAlert message={error.message} />
      <Field
        label={t('field.file')}
        type="file"
        name="file"
        accept=".csv,.xlsx"
        hint={t('hr.import.fileHint')}
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        errors={error.fields.file}
      />
      <div className="check-row">
        <CheckboxField
          label={t('hr.import.dryRun')}
          checked={dryRun}
          onChange={(e) => setDryRun(e.target.checked)}
          hint={t('hr.import.dryRunHint')}
        />
        <CheckboxField
          label={t('hr.import.sendInvitations')}
          checked={sendInvitations}
          onChange={(e) => setSendInvitations(e.target.checked)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending || busy}>
          {t('hr.import.submit')}
        </button>
      </div>
    </form>
  );
}

const COLUMN_HELP = [
  'hr.import.help.email',
  'hr.import.help.firstName',
  'hr.import.help.lastName',
  'hr.import.help.employeeId',
  'hr.import.help.department',
  'hr.import.help.manager',
  'hr.import.help.groups',
  'hr.import.help.hireDate',
  'hr.import.help.title',
  'hr.import.help.location',
  'hr.import.help.language',
] as const;

function ImportHelp() {
  const { t } = useI18n();
  return (
    <section className="card import-help" aria-labelledby="import-help">
      <h2 id="import-help">{t('hr.import.helpTitle')}</h2>
      <p>{t('hr.import.helpIntro')}</p>
      <ul>
        {COLUMN_HELP.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <p className="muted">{t('hr.import.helpRepeat')}</p>
    </section>
  );
}

function RecentImports({ version }: { version: number }) {
  const { t, formatDate } = useI18n();
  const [page, setPage] = useState(1);
  const imports = useLoad((signal) => hrApi.imports(page, signal), [page, version]);
  return (
    <section aria-labelledby="recent-imports">
      <h2 id="recent-imports">{t('hr.import.recent')}</h2>
      <FormAlert message={imports.error} />
      <div className="table-wrap" aria-busy={imports.loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('hr.import.col.started')}</th>
              <th scope="col">{t('hr.import.col.file')}</th>
              <th scope="col">{t('hr.import.status')}</th>
              <th scope="col">{t('hr.import.col.result')}</th>
              <th scope="col">{t('hr.import.col.by')}</th>
            </tr>
          </thead>
          <tbody>
            {imports.data && imports.data.results.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t('hr.import.none')}
                </td>
              </tr>
            ) : null}
            {imports.data?.results.map((job) => (
              <tr key={job.id}>
                <td className="nowrap">{formatDate(job.created_at)}</td>
                <td className="url-cell">
                  {job.filename}
                  {job.dry_run ? <span className="muted"> · {t('hr.import.dryRun')}</span> : null}
                </td>
                <td>
                  <code>{job.status}</code>
                </td>
                <td>
                  {isFinished(job)
                    ? t('hr.import.summary', {
                        created: job.created,
                        updated: job.updated,
                        unchanged: job.unchanged,
                        failed: job.failed,
                      })
                    : ''}
                </td>
                <td className="url-cell">{job.created_by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {imports.data ? <Pagination page={page} count={imports.data.count} onChange={setPage} /> : null}
    </section>
  );
}
