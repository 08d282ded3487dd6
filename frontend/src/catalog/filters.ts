import { COURSE_LANGUAGES, COURSE_LEVELS, type CourseLanguage, type CourseLevel } from '../api/types';

/** The catalogue's search and filters; mirrored in the page URL and sent to the API. */
export interface CatalogFilters {
  search: string;
  category: string;
  level: CourseLevel | '';
  language: CourseLanguage | '';
  free: boolean;
  page: number;
}

export const EMPTY_FILTERS: CatalogFilters = {
  search: '',
  category: '',
  level: '',
  language: '',
  free: false,
  page: 1,
};

/** Reads filters from URL search params, ignoring junk values. */
export function filtersFromParams(params: URLSearchParams): CatalogFilters {
  const level = params.get('level') ?? '';
  const language = params.get('language') ?? '';
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    search: params.get('search') ?? '',
    category: params.get('category') ?? '',
    level: (COURSE_LEVELS as readonly string[]).includes(level) ? (level as CourseLevel) : '',
    language: (COURSE_LANGUAGES as readonly string[]).includes(language) ? (language as CourseLanguage) : '',
    free: params.get('free') === 'true',
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/**
 * The query for GET /api/catalog/courses/ (and the page URL): empty filters and
 * page 1 are left out, `free=true` only when checked, keys in a stable order.
 */
export function catalogQuery(filters: CatalogFilters): Record<string, string> {
  const query: Record<string, string> = {};
  const search = filters.search.trim();
  if (search) query.search = search;
  if (filters.category) query.category = filters.category;
  if (filters.level) query.level = filters.level;
  if (filters.language) query.language = filters.language;
  if (filters.free) query.free = 'true';
  if (filters.page > 1) query.page = String(filters.page);
  return query;
}

export function catalogQueryString(filters: CatalogFilters): string {
  return new URLSearchParams(catalogQuery(filters)).toString();
}

/** Applies a change; any change other than the page itself starts again from page 1. */
export function updateFilters(current: CatalogFilters, change: Partial<CatalogFilters>): CatalogFilters {
  const next = { ...current, ...change };
  if (!('page' in change)) next.page = 1;
  return next;
}
