import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './api/client';
import type { Role } from './api/types';
import { AppRoutes } from './App';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from './test/utils';

const corporate = { slug: 'acme', schema: 'acme', kind: 'corporate' as const, name: 'Acme' };
const branding = {
  display_name: 'Acme Academy',
  logo_url: null,
  favicon_url: null,
  primary_color: '#0a3d62',
  accent_color: '#e58e26',
  support_email: null,
  metrika_id: null,
  tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' },
};

function mockApp(role: Role, extra: (path: string) => Response | null = () => null) {
  return mockFetch(({ path }) => {
    if (path === '/api/auth/refresh/')
      return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role, tenant: corporate, email: `${role}@acme.test` }) });
    if (path === '/api/branding/') return jsonResponse(200, branding);
    return extra(path) ?? errorResponse(404, 'not_found', 'Not found');
  });
}

describe('corporate routes', () => {
  afterEach(() => {
    api.clearSession();
    document.documentElement.removeAttribute('style');
  });

  it('opens the nested HR pages with the section highlighted', async () => {
    mockApp('hr_manager', (path) => {
      if (path === '/api/hr/employees/') return jsonResponse(200, { count: 0, next: null, previous: null, results: [] });
      if (path === '/api/hr/seats/') return jsonResponse(200, { used: 0, limit: 5, available: 5 });
      return null;
    });
    renderApp(<AppRoutes />, { route: '/hr/employees', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeTruthy();
    const sections = screen.getByRole('navigation', { name: 'HR sections' });
    expect(within(sections).getByRole('link', { name: 'Employees' }).className).toBe('active');
    expect(within(sections).getByRole('link', { name: 'Dashboard' }).className).toBe('');
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Catalogue', 'My learning', 'My team', 'HR']);
    expect(within(nav).getByRole('link', { name: 'HR' }).className).toBe('active');
  });

  it('lets a learner open "My team" but not HR', async () => {
    mockApp('learner', (path) => (path === '/api/team/' ? jsonResponse(200, { results: [] }) : null));
    renderApp(<AppRoutes />, { route: '/team', lang: 'en' });
    expect(await screen.findByText('You have no team members.')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'My team' }).className).toBe('active');
    expect(within(nav).queryByRole('link', { name: 'HR' })).toBeNull();
  });

  it('links the e-mail in the header to the profile with the e-mail preferences', async () => {
    mockApp('learner', (path) => (path === '/api/me/preferences/' ? jsonResponse(200, { email_reminders: false, email_digest: true }) : null));
    renderApp(<AppRoutes />, { route: '/profile', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Profile' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'learner@acme.test' }).getAttribute('href')).toBe('/profile');
    expect(((await screen.findByLabelText('Due-date reminders')) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText('Weekly digest') as HTMLInputElement).checked).toBe(true);
  });
});
