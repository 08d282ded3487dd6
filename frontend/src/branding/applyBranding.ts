import type { Branding } from '../api/types';

export const DEFAULT_PRIMARY = '#1f2a44';
export const DEFAULT_ACCENT = '#c2185b';
export const DEFAULT_DISPLAY_NAME = 'Fashion Factory School';

const HEX = /^#[0-9a-fA-F]{6}$/;

export function normaliseColor(value: string | null | undefined, fallback: string): string {
  return value && HEX.test(value) ? value.toLowerCase() : fallback;
}

/** Black or white, whichever reads better on the given background colour (WCAG luminance). */
export function contrastColor(hex: string): '#000000' | '#ffffff' {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

function setFavicon(doc: Document, href: string | null): void {
  let link = doc.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (!href) {
    if (link) link.href = 'data:,';
    return;
  }
  if (!link) {
    link = doc.createElement('link');
    link.rel = 'icon';
    doc.head.appendChild(link);
  }
  link.href = href;
}

type YmFunction = ((...args: unknown[]) => void) & { a?: unknown[][]; l?: number };

/** Loads the Yandex.Metrika tag once per counter id. Returns false when the id is not usable. */
export function injectMetrika(id: string | number | null | undefined, doc: Document = document): boolean {
  const counter = id === null || id === undefined ? '' : String(id).trim();
  if (!/^\d+$/.test(counter)) return false;
  if (doc.querySelector(`script[data-metrika-id="${counter}"]`)) return true;

  const win = (doc.defaultView ?? window) as unknown as Window & { ym?: YmFunction };
  if (!win.ym) {
    const ym: YmFunction = (...args: unknown[]) => {
      (ym.a = ym.a ?? []).push(args);
    };
    ym.l = Date.now();
    win.ym = ym;
  }
  const script = doc.createElement('script');
  script.async = true;
  script.src = 'https://mc.yandex.ru/metrika/tag.js';
  script.dataset.metrikaId = counter;
  doc.head.appendChild(script);
  win.ym(Number(counter), 'init', {
    clickmap: true,
    trackLinks: true,
    accurateTrackBounce: true,
    defer: true,
  });
  return true;
}

/** Reports a client-side navigation to Metrika, if it was initialised. */
export function metrikaHit(id: string | number | null | undefined, url: string): void {
  const win = window as unknown as Window & { ym?: YmFunction };
  const counter = id === null || id === undefined ? '' : String(id).trim();
  if (win.ym && /^\d+$/.test(counter)) win.ym(Number(counter), 'hit', url);
}

/** Applies tenant branding to the document: CSS variables, title, favicon and analytics. */
export function applyBranding(branding: Branding, doc: Document = document): void {
  const primary = normaliseColor(branding.primary_color, DEFAULT_PRIMARY);
  const accent = normaliseColor(branding.accent_color, DEFAULT_ACCENT);
  const style = doc.documentElement.style;
  style.setProperty('--color-primary', primary);
  style.setProperty('--color-accent', accent);
  style.setProperty('--color-on-primary', contrastColor(primary));
  style.setProperty('--color-on-accent', contrastColor(accent));
  doc.title = branding.display_name?.trim() || DEFAULT_DISPLAY_NAME;
  setFavicon(doc, branding.favicon_url);
  injectMetrika(branding.metrika_id, doc);
}
