import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatMinutes, formatMoney, minorToInput, parseMajorUnits } from './format';

// Intl uses non-breaking/narrow spaces; compare with plain ones.
const plain = (value: string) => value.replace(/[\s\u00a0\u202f]/g, ' ');

describe('formatMoney (minor units)', () => {
  it('formats roubles for ru-RU', () => {
    expect(plain(formatMoney({ amount: 199000, currency: 'RUB' }, 'ru'))).toBe('1 990 ₽');
    expect(plain(formatMoney({ amount: 4990050, currency: 'RUB' }, 'ru'))).toBe('49 900,50 ₽');
  });

  it('formats for en-US with the currency', () => {
    expect(plain(formatMoney({ amount: 199000, currency: 'RUB' }, 'en'))).toBe('RUB 1,990');
    expect(formatMoney({ amount: 1999, currency: 'USD' }, 'en')).toBe('$19.99');
    expect(formatMoney({ amount: 500, currency: 'usd' }, 'en')).toBe('$5');
  });

  it('divides by 100 exactly (no floating point noise)', () => {
    expect(plain(formatMoney({ amount: 1, currency: 'RUB' }, 'ru'))).toBe('0,01 ₽');
    expect(plain(formatMoney({ amount: 110, currency: 'RUB' }, 'ru'))).toBe('1,10 ₽');
  });

  it('survives an unknown currency code', () => {
    expect(plain(formatMoney({ amount: 1000, currency: 'XX1' }, 'en'))).toBe('10 XX1');
  });
});

describe('price input', () => {
  it('parses roubles into minor units', () => {
    expect(parseMajorUnits('1990')).toBe(199000);
    expect(parseMajorUnits('1 990,5')).toBe(199050);
    expect(parseMajorUnits('19.99')).toBe(1999);
    expect(parseMajorUnits('')).toBe(0);
    expect(parseMajorUnits('abc')).toBeNull();
    expect(parseMajorUnits('-5')).toBeNull();
    expect(parseMajorUnits('1.999')).toBeNull();
  });

  it('shows minor units back as roubles', () => {
    expect(minorToInput(199000)).toBe('1990');
    expect(minorToInput(199050)).toBe('1990.50');
    expect(minorToInput(0)).toBe('0');
  });
});

describe('durations and sizes', () => {
  it('formats minutes', () => {
    expect(formatMinutes(95, 'ru')).toBe('1 ч 35 мин');
    expect(formatMinutes(120, 'en')).toBe('2 h');
    expect(formatMinutes(45, 'en')).toBe('45 min');
    expect(formatMinutes(null, 'en')).toBe('');
    expect(formatMinutes(0, 'en')).toBe('');
  });

  it('formats a clock', () => {
    expect(formatClock(330)).toBe('5:30');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(null)).toBe('');
  });

  it('formats bytes', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(plain(formatBytes(15 * 1024 * 1024, 'ru'))).toBe('15 МБ');
  });
});
