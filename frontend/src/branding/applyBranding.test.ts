import { afterEach, describe, expect, it } from 'vitest';
import type { Branding } from '../api/types';
import { applyBranding, contrastColor, DEFAULT_PRIMARY, injectMetrika } from './applyBranding';

function branding(overrides: Partial<Branding> = {}): Branding {
  return {
    display_name: 'Acme Academy',
    logo_url: null,
    favicon_url: null,
    primary_color: '#112233',
    accent_color: '#FFCC00',
    support_email: null,
    metrika_id: null,
    tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' },
    ...overrides,
  };
}

const rootVar = (name: string) => document.documentElement.style.getPropertyValue(name);

describe('applyBranding', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('style');
    document.head.innerHTML = '';
    delete (window as unknown as { ym?: unknown }).ym;
  });

  it('sets the colour variables and the document title', () => {
    applyBranding(branding());
    expect(rootVar('--color-primary')).toBe('#112233');
    expect(rootVar('--color-accent')).toBe('#ffcc00');
    expect(rootVar('--color-on-primary')).toBe('#ffffff');
    expect(rootVar('--color-on-accent')).toBe('#000000');
    expect(document.title).toBe('Acme Academy');
  });

  it('ignores malformed colours', () => {
    applyBranding(branding({ primary_color: 'red; background: url(x)' }));
    expect(rootVar('--color-primary')).toBe(DEFAULT_PRIMARY);
  });

  it('sets the favicon link, creating it when missing', () => {
    applyBranding(branding({ favicon_url: '/media/acme/favicon.png' }));
    const link = document.head.querySelector<HTMLLinkElement>('link[rel~="icon"]');
    expect(link?.getAttribute('href')).toBe('/media/acme/favicon.png');

    applyBranding(branding({ favicon_url: '/media/acme/favicon2.png' }));
    expect(document.head.querySelectorAll('link[rel~="icon"]')).toHaveLength(1);
  });

  it('injects Yandex.Metrika only when a counter id is present', () => {
    applyBranding(branding());
    expect(document.querySelector('script[data-metrika-id]')).toBeNull();

    applyBranding(branding({ metrika_id: '12345678' }));
    applyBranding(branding({ metrika_id: '12345678' }));
    const scripts = document.querySelectorAll('script[data-metrika-id="12345678"]');
    expect(scripts).toHaveLength(1);
    expect((scripts[0] as HTMLScriptElement).src).toContain('metrika/tag.js');
    const ym = (window as unknown as { ym: { a: unknown[][] } }).ym;
    expect(ym.a[0].slice(0, 2)).toEqual([12345678, 'init']);
  });

  it('rejects counter ids that are not numeric', () => {
    expect(injectMetrika('123"><script>')).toBe(false);
    expect(document.querySelector('script')).toBeNull();
  });

  it('picks a readable text colour', () => {
    expect(contrastColor('#000000')).toBe('#ffffff');
    expect(contrastColor('#ffffff')).toBe('#000000');
  });
});
