import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './api/client';
import { AppRoutes } from './App';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from './test/utils';

const branding = {
  display_name: 'Acme Academy',
  logo_url: null,
  favicon_url: null,
  primary_color: '#0a3d62',
  accent_color: '#e58e26',
  support_email: 'help@acme.test',
  metrika_id: null,
  tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' },
};

describe('App shell', () => {
  afterEach(() => {
    api.clearSession();
    document.documentElement.removeAttribute('style');
  });

  it('restores the session silently and shows the branded, role-based header', async () => {
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    const fetchMock = mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/') return jsonResponse(200, { access, user: makeUser({ role: 'hr_manager', email: 'hr@acme.test' }) });
      if (path === '/api/branding/') return jsonResponse(200, branding);
      return errorResponse(404, 'not_found', 'Not found');
    });

    renderApp(<AppRoutes />, { route: '/hr', lang: 'en' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeTruthy();
    const sections = screen.getByRole('navigation', { name: 'HR sections' });
    expect(within(sections).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Dashboard',
      'Employees',
      'Import',
      'Groups',
      'Departments',
      'Assignments',
      'Rules',
      'Settings',
    ]);
    await waitFor(() => expect(screen.getByTestId('brand-name').textContent).toBe('Acme Academy'));
    expect(document.title).toBe('Acme Academy');
    expect(document.documentElement.style.getPropertyValue('--color-primary')).toBe('#0a3d62');

    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Catalogue', 'My learning', 'HR']);
    expect(screen.getByText('hr@acme.test')).toBeTruthy();

    const refreshCall = fetchMock.mock.calls.find(([url]) => String(url) === '/api/auth/refresh/');
    expect(refreshCall?.[1]).toMatchObject({ method: 'POST', credentials: 'include' });
  });

  it('sends anonymous visitors of protected pages to the login form', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'No session');
      if (path === '/api/branding/') return jsonResponse(200, branding);
      return errorResponse(404, 'not_found', 'Not found');
    });

    renderApp(<AppRoutes />, { route: '/platform/tenants' });

    expect(await screen.findByRole('button', { name: 'Войти' })).toBeTruthy();
    expect(screen.getByLabelText('Эл. почта')).toBeTruthy();
  });

  it('shows "access denied" for an area outside the role', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/')
        return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'learner' }) });
      if (path === '/api/branding/') return jsonResponse(200, branding);
      return errorResponse(404, 'not_found', 'Not found');
    });

    renderApp(<AppRoutes />, { route: '/admin', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Access denied' })).toBeTruthy();
  });

  it('logs out from the header', async () => {
    const user = userEvent.setup();
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/')
        return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'learner' }) });
      if (path === '/api/auth/logout/') return new Response(null, { status: 204 });
      if (path === '/api/branding/') return jsonResponse(200, branding);
      return errorResponse(404, 'not_found', 'Not found');
    });

    renderApp(<AppRoutes />, { route: '/learning', lang: 'en' });
    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(api.session).toBeNull();
  });

  it.each([
    ['student', ['Catalogue', 'My learning']],
    ['content_author', ['Catalogue', 'Authoring']],
    ['platform_admin', ['Catalogue', 'Authoring', 'Platform']],
    ['learner', ['Catalogue', 'My learning']],
  ] as const)('shows the catalogue at "/" with the %s navigation', async (role, links) => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/')
        return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role }) });
      if (path === '/api/branding/') return jsonResponse(200, branding);
      if (path === '/api/catalog/courses/') return jsonResponse(200, { count: 0, next: null, previous: null, results: [] });
      if (path === '/api/catalog/categories/') return jsonResponse(200, []);
      return errorResponse(404, 'not_found', 'Not found');
    });

    renderApp(<AppRoutes />, { route: '/', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Course catalogue' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(links);
    expect(within(nav).getByRole('link', { name: 'Catalogue' }).className).toBe('active');
    expect(await screen.findByText('No courses found.')).toBeTruthy();
  });

  it('opens the certificate check without a session', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'No session');
      if (path === '/api/branding/') return jsonResponse(200, branding);
      if (path === '/api/verify/ABC/')
        return jsonResponse(200, { code: 'ABC', learner_name: 'Kim', course_title: 'Sewing', school_name: 'Acme', issued_at: '2030-01-01T00:00:00Z', valid: true, revoked_at: null });
      return errorResponse(404, 'not_found', 'Not found');
    });
    renderApp(<AppRoutes />, { route: '/verify/ABC', lang: 'en' });
    expect((await screen.findByTestId('certificate-status')).textContent).toBe('Valid');
  });

  it('keeps authoring to authors', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/')
        return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'student' }) });
      if (path === '/api/branding/') return jsonResponse(200, branding);
      return errorResponse(404, 'not_found', 'Not found');
    });
    renderApp(<AppRoutes />, { route: '/authoring', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Access denied' })).toBeTruthy();
  });
});
