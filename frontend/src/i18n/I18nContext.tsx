import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '../api/types';
import { api } from '../api/client';
import { DEFAULT_LANG, LANGS, messages, type MessageKey } from './messages';

export const LANG_STORAGE_KEY = 'ffs.lang';

export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

export interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  formatDate: (iso: string) => string;
  /** Date without time (certificates, due dates). */
  formatDay: (iso: string) => string;
  /** Compact date: "31 Dec 2026" / "31.12.2026" (due dates on cards). */
  formatShortDay: (iso: string) => string;
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function readStoredLang(): Lang {
  try {
    const stored = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage may be unavailable (privacy mode); fall back to the default.
  }
  return DEFAULT_LANG;
}

export function translate(lang: Lang, key: MessageKey, params?: TranslateParams): string {
  const template = messages[lang][key] ?? messages[DEFAULT_LANG][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, initialLang }: { children: ReactNode; initialLang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang ?? readStoredLang());

  // Keep the API client's Accept-Language and <html lang> in step with the UI.
  api.language = lang;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    api.language = next;
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // ignore: the choice just is not remembered
    }
  }, []);

  const value = useMemo<I18nValue>(() => {
    const dateFormat = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const dayFormat = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long' });
    const shortDayFormat = new Intl.DateTimeFormat(
      lang === 'ru' ? 'ru-RU' : 'en-GB',
      lang === 'ru' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' },
    );
    const format = (formatter: Intl.DateTimeFormat) => (iso: string) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
    };
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDate: format(dateFormat),
      formatDay: format(dayFormat),
      formatShortDay: format(shortDayFormat),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
