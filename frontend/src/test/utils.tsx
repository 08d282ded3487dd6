import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { vi } from 'vitest';
import type { Lang, User } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { BrandingProvider } from '../branding/BrandingContext';
import { I18nProvider } from '../i18n/I18nContext';

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string[]>,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { error: { code, message, ...(fields ? { fields } : {}) } }, headers);
}

function base64url(value: string): string {
  return btoa(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An unsigned JWT-looking token whose payload carries `exp` (seconds). */
export function makeJwt(exp: number, extra: Record<string, unknown> = {}): string {
  return `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(
    JSON.stringify({ exp, ...extra }),
  )}.signature`;
}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    email: 'admin@example.com',
    first_name: 'Ada',
    last_name: 'Admin',
    role: 'platform_admin',
    language: 'ru',
    tenant: { slug: 'public', schema: 'public', kind: 'public', name: 'Fashion Factory School' },
    ...overrides,
  };
}

export type Handler = (request: { url: string; path: string; method: string; init: RequestInit }) =>
  | Response
  | Promise<Response>;

/** Replaces global fetch with a mock that routes each call through `handler`. */
export function mockFetch(handler: Handler) {
  const mock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url, 'http://localhost').pathname;
    return handler({ url, path, method: (init.method ?? 'GET').toUpperCase(), init });
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

export function renderApp(ui: ReactElement, { route = '/', lang = 'ru' as Lang } = {}) {
  return render(
    <I18nProvider initialLang={lang}>
      <AuthProvider>
        <BrandingProvider>
          <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
        </BrandingProvider>
      </AuthProvider>
    </I18nProvider>,
  );
}
