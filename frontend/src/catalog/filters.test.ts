import { describe, expect, it } from 'vitest';
import { catalogQuery, catalogQueryString, EMPTY_FILTERS, filtersFromParams, updateFilters } from './filters';

describe('catalogue filters → query string', () => {
  it('sends nothing for the empty filter set', () => {
    expect(catalogQueryString(EMPTY_FILTERS)).toBe('');
  });

  it('includes every set filter in a stable order, free only as "true"', () => {
    expect(
      catalogQueryString({
        search: '  pattern making ',
        category: 'sewing',
        level: 'beginner',
        language: 'en',
        free: true,
        page: 3,
      }),
    ).toBe('search=pattern+making&category=sewing&level=beginner&language=en&free=true&page=3');
  });

  it('leaves out page 1 and an unchecked free box', () => {
    expect(catalogQuery({ ...EMPTY_FILTERS, level: 'advanced', page: 1, free: false })).toEqual({ level: 'advanced' });
  });

  it('reads the page URL back, ignoring junk', () => {
    const params = new URLSearchParams('search=dress&level=expert&language=de&free=yes&page=-2&category=knit');
    expect(filtersFromParams(params)).toEqual({
      search: 'dress',
      category: 'knit',
      level: '',
      language: '',
      free: false,
      page: 1,
    });
    expect(filtersFromParams(new URLSearchParams('free=true&page=4&language=ru'))).toMatchObject({
      free: true,
      page: 4,
      language: 'ru',
    });
  });

  it('round-trips through the URL', () => {
    const filters = { search: 'a&b', category: 'c', level: 'intermediate' as const, language: 'ru' as const, free: true, page: 2 };
    expect(filtersFromParams(new URLSearchParams(catalogQueryString(filters)))).toEqual(filters);
  });

  it('goes back to page 1 when a filter changes, but not when the page does', () => {
    const current = { ...EMPTY_FILTERS, page: 5 };
    expect(updateFilters(current, { level: 'beginner' }).page).toBe(1);
    expect(updateFilters(current, { page: 6 }).page).toBe(6);
  });
});
