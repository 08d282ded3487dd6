import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { auditApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { AuditEntry, Paged } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';

function formatDetails(details: AuditEntry['details']): string {
  if (!details || Object.keys(details).length === 0) return '';
  return JSON.stringify(details, null, 2);
}

/** /admin/audit — the tenant's audit log, newest first as the server orders it. */
export function AuditPage() {
  const { t, formatDate } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [data, setData] = useState<Paged<AuditEntry> | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    auditApi
      .list(page, controller.signal)
      .then((result) => {
        setData(result);
        setError('');
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(toFormError(err, t).message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [page]);

  return (
    <section>
      <PageHeading>{t('audit.title')}</PageHeading>
      <FormAlert message={error} />
      <div className="table-wrap" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.target')}</th>
              <th scope="col">{t('audit.col.ip')}</th>
              <th scope="col">{t('audit.col.details')}</th>
            </tr>
          </thead>
          <tbody>
            {data && data.results.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  {t('audit.empty')}
                </td>
              </tr>
            ) : null}
            {data?.results.map((entry) => {
              const details = formatDetails(entry.details);
              return (
                <tr key={entry.id}>
                  <td className="nowrap">
                    <time dateTime={entry.created_at}>{formatDate(entry.created_at)}</time>
                  </td>
                  <td>{entry.actor_email || <span className="muted">{t('audit.system')}</span>}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.target}</td>
                  <td className="nowrap">{entry.ip ?? ''}</td>
                  <td>{details ? <pre className="details">{details}</pre> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {data ? (
        <Pagination
          page={page}
          count={data.count}
          onChange={(next) => setParams(next > 1 ? { page: String(next) } : {})}
        />
      ) : null}
    </section>
  );
}
