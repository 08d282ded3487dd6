import { useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { catalogApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import { COURSE_LANGUAGES, COURSE_LEVELS, type Category, type CourseCard as CourseCardData, type Paged } from '../../api/types';
import { catalogQuery, filtersFromParams, updateFilters, type CatalogFilters } from '../../catalog/filters';
import { CourseCard } from '../../components/CourseCard';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';

const SEARCH_DEBOUNCE_MS = 300;

/** "/" and "/catalog" — the course catalogue with search, filters and pages (state kept in the URL). */
export function CatalogPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const query = useMemo(() => catalogQuery(filters), [filters]);
  const queryKey = new URLSearchParams(query).toString();
  const [search, setSearch] = useState(filters.search);
  const [categories, setCategories] = useState<Category[]>([]);
  const [data, setData] = useState<Paged<CourseCardData> | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const uid = useId().replace(/[^\w-]/g, '');
  const ids = {
    search: `search${uid}`,
    category: `category${uid}`,
    level: `level${uid}`,
    language: `language${uid}`,
    free: `free${uid}`,
  };

  const apply = (change: Partial<CatalogFilters>, replace = false) => {
    setParams((prev) => new URLSearchParams(catalogQuery(updateFilters(filtersFromParams(prev), change))), { replace });
  };

  // Keep the box in sync with the URL (back/forward).
  useEffect(() => setSearch(filters.search), [filters.search]);

  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => apply({ search }, true), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, filters.search]);

  useEffect(() => {
    const controller = new AbortController();
    catalogApi
      .categories(controller.signal)
      .then((list) => setCategories(Array.isArray(list) ? list : []))
      .catch(() => {
        // The category filter just stays at "All categories".
      });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    catalogApi
      .courses(query, controller.signal)
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
  }, [queryKey]);

  const hasFilters = Boolean(filters.search || filters.category || filters.level || filters.language || filters.free);

  return (
    <section className="page">
      <div className="page-head">
        <PageHeading>{t('storefront.title')}</PageHeading>
        {data ? (
          <span className="muted" aria-live="polite">
            {t('catalog.total', { count: data.count })}
          </span>
        ) : null}
      </div>

      <form className="filters card" role="search" aria-label={t('catalog.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field filters-search">
          <label htmlFor={ids.search}>{t('field.search')}</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.category}>{t('catalog.category')}</label>
          <select id={ids.category} value={filters.category} onChange={(e) => apply({ category: e.target.value })}>
            <option value="">{t('catalog.allCategories')}</option>
            {categories.map((category) => (
              <option key={category.slug} value={category.slug}>
                {category.name}
              </option>
            ))}
            {filters.category && !categories.some((c) => c.slug === filters.category) ? (
              <option value={filters.category}>{filters.category}</option>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.level}>{t('catalog.level')}</label>
          <select
            id={ids.level}
            value={filters.level}
            onChange={(e) => apply({ level: e.target.value as CatalogFilters['level'] })}
          >
            <option value="">{t('catalog.anyLevel')}</option>
            {COURSE_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`level.${level}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.language}>{t('catalog.language')}</label>
          <select
            id={ids.language}
            value={filters.language}
            onChange={(e) => apply({ language: e.target.value as CatalogFilters['language'] })}
          >
            <option value="">{t('catalog.anyLanguage')}</option>
            {COURSE_LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`language.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input id={ids.free} type="checkbox" checked={filters.free} onChange={(e) => apply({ free: e.target.checked })} />
          <label htmlFor={ids.free}>{t('catalog.freeOnly')}</label>
        </div>
        {hasFilters ? (
          <button type="button" className="btn btn-secondary btn-small filters-reset" onClick={() => setParams(new URLSearchParams())}>
            {t('catalog.reset')}
          </button>
        ) : null}
      </form>

      <FormAlert message={error} />

      <div className="course-grid-wrap" aria-busy={loading}>
        {data && data.results.length === 0 ? <p className="empty-state">{t('catalog.empty')}</p> : null}
        {data && data.results.length > 0 ? (
          <ul className="course-grid" aria-label={t('catalog.results')}>
            {data.results.map((course) => (
              <li key={course.slug}>
                <CourseCard course={course} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      {data ? <Pagination page={filters.page} count={data.count} onChange={(page) => apply({ page })} /> : null}
    </section>
  );
}
