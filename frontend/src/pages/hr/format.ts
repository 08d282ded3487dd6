import type { Lang } from '../../api/types';

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

/** "66.7 %" / "66,7 %": the number, a space, the sign. */
export function formatPercent(value: number, lang: Lang): string {
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(
    Number.isFinite(value) ? value : 0,
  );
  return `${number} %`;
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(value);
}

/** A week start ("2026-05-11") as a short axis label: "11 May" / "11.05". */
export function formatWeek(isoDay: string, lang: Lang): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  if (!y || !m || !d) return isoDay;
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(locale(lang), {
    day: lang === 'ru' ? '2-digit' : 'numeric',
    month: lang === 'ru' ? '2-digit' : 'short',
    timeZone: 'UTC',
  }).format(date);
}

/** Whole number within [min, max] from a text input, or null. */
export function parseWholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

export function fullName(person: { full_name?: string; name?: string; email: string }): string {
  return (person.full_name ?? person.name ?? '').trim() || person.email;
}
