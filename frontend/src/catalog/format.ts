import type { Lang, Money } from '../api/types';

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', en: 'en-US' };

export function localeFor(lang: Lang): string {
  return LOCALES[lang] ?? LOCALES.ru;
}

/**
 * Formats money given in minor units: `{amount: 199000, currency: 'RUB'}` →
 * "1 990 ₽" (ru-RU) / "RUB 1,990" (en-US). Kopecks/cents are shown only when
 * the amount is not a whole number of roubles/dollars.
 */
export function formatMoney(money: Money, lang: Lang): string {
  const value = money.amount / 100;
  const fraction = Number.isInteger(value) ? 0 : 2;
  const currency = (money.currency || 'RUB').toUpperCase();
  try {
    return new Intl.NumberFormat(localeFor(lang), {
      style: 'currency',
      currency,
      minimumFractionDigits: fraction,
      maximumFractionDigits: fraction,
    }).format(value);
  } catch {
    // Unknown currency code: number plus the raw code.
    return `${new Intl.NumberFormat(localeFor(lang), { minimumFractionDigits: fraction }).format(value)} ${currency}`;
  }
}

/** Roubles typed by an author ("1990", "1 990,50") → minor units; null when not a valid amount. */
export function parseMajorUnits(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (cleaned === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** Minor units → the string shown in a price input ("1990", "1990.5"). */
export function minorToInput(amount: number | null | undefined): string {
  if (!amount) return '0';
  const value = amount / 100;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** 95 → "1 h 35 min" / "1 ч 35 мин". */
export function formatMinutes(minutes: number | null | undefined, lang: Lang): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes <= 0) return '';
  const total = Math.round(minutes);
  const h = Math.floor(total / 60);
  const m = total % 60;
  const [hu, mu] = lang === 'ru' ? ['ч', 'мин'] : ['h', 'min'];
  if (h && m) return `${h} ${hu} ${m} ${mu}`;
  if (h) return `${h} ${hu}`;
  return `${m} ${mu}`;
}

/** 330 → "5:30", 3725 → "1:02:05". */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Bytes → "12.3 MB" style, localised number. */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
