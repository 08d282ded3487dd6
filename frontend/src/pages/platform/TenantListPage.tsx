import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { platformApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { Paged, Tenant } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nContext';

const SEARCH_DEBOUNCE_MS = 300;

export function TenantListPage() {
  const { t, formatDate } = useI18n();
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [query, setQuery] = useState(search);
  const [data, setData] = useState<Paged<Tenant> | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const searchId = `search${useId().replace(/[^\w-]/g, '')}`;

  // Keep the box in sync when the URL changes (back/forward).
  useEffect(() => setQuery(search), [search]);

  // Debounce typing into the URL; a new search starts from page 1.
  useEffect(() => {
    if (query === search) return;
    const timer = setTimeout(() => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (query.trim()) next.set('search', query);
          else next.delete('search');
          next.delete('page');
          return next;
        },
        { replace: true },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, search, setParams]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    platformApi
      .listTenants({ search: search.trim(), page }, controller.signal)
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
    // `t` is left out on purpose: switching language must not refetch.
  }, [search, page]);

  const goToPage = (next: number) =>
    setParams((prev) => {
      const copy = new URLSearchParams(prev);
      if (next > 1) copy.set('page', String(next));
      else copy.delete('page');
      return copy;
    });

  return (
    <section className="page">
      <div className="page-head">
        <PageHeading>{t('tenants.title')}</PageHeading>
        <Link to="/platform/tenants/new" className="btn btn-primary">
          {t('tenants.new')}
        </Link>
      </div>

      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-inline">
          <label htmlFor={searchId}>{t('field.search')}</label>
          <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        {data ? <span className="muted">{t('tenants.total', { count: data.count })}</span> : null}
      </form>

      <FormAlert message={error} />

      <div className="table-wrap" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('tenants.col.name')}</th>
              <th scope="col">{t('tenants.col.slug')}</th>
              <th scope="col">{t('tenants.col.status')}</th>
              <th scope="col" className="num">
                {t('tenants.col.seats')}
              </th>
              <th scope="col">{t('tenants.col.url')}</th>
              <th scope="col">{t('tenants.col.created')}</th>
            </tr>
          </thead>
          <tbody>
            {data && data.results.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  {t('tenants.empty')}
                </td>
              </tr>
            ) : null}
            {data?.results.map((tenant) => (
              <tr key={tenant.slug}>
                <td>
                  <Link to={`/platform/tenants/${encodeURIComponent(tenant.slug)}`}>{tenant.name}</Link>
                </td>
                <td>
                  <code>{tenant.slug}</code>
                </td>
                <td>
                  <StatusBadge status={tenant.status} />
                </td>
                <td className="num">{tenant.seats}</td>
                <td className="url-cell">
                  {tenant.primary_url ? (
                    <a href={tenant.primary_url}>
                      {tenant.primary_url.replace(/^https?:\/\//, '')}
                    </a>
                  ) : null}
                </td>
                <td>{formatDate(tenant.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {data ? <Pagination page={page} count={data.count} onChange={goToPage} /> : null}
    </section>
  );
}
