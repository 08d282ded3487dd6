import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Tenant } from '../../api/types';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { TenantCreatePage } from './TenantCreatePage';

function tenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    slug: 'acme',
    name: 'Acme',
    kind: 'corporate',
    status: 'provisioning',
    seats: 50,
    admin_email: 'boss@acme.test',
    primary_url: 'https://acme.ffs.test',
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    provisioning: { state: 'pending', progress: 0, step: 'queued', error: null },
    domains: [],
    ...overrides,
  };
}

function renderWizard() {
  return renderApp(
    <Routes>
      <Route path="/platform/tenants/new" element={<TenantCreatePage />} />
    </Routes>,
    { route: '/platform/tenants/new', lang: 'en' },
  );
}

async function fillAndSubmit() {
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  await user.type(screen.getByLabelText('Slug'), 'acme');
  await user.type(screen.getByLabelText('Name'), 'Acme');
  await user.type(screen.getByLabelText('Admin e-mail'), 'boss@acme.test');
  await user.type(screen.getByLabelText('Seats'), '50');
  await user.click(screen.getByRole('button', { name: 'Create tenant' }));
  return user;
}

describe('TenantCreatePage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser() });
  });
  afterEach(() => {
    api.clearSession();
    vi.useRealTimers();
  });

  it('creates the tenant and polls until it is active', async () => {
    const states = [
      tenant({ provisioning: { state: 'running', progress: 40, step: 'migrate schema', error: null } }),
      tenant({ status: 'active', provisioning: { state: 'done', progress: 100, step: 'done', error: null } }),
    ];
    let polls = 0;
    const fetchMock = mockFetch(({ path, method, init }) => {
      if (path === '/api/platform/tenants/' && method === 'POST') {
        expect(JSON.parse(String(init.body))).toEqual({ slug: 'acme', name: 'Acme', admin_email: 'boss@acme.test', seats: 50 });
        return jsonResponse(202, tenant());
      }
      if (path === '/api/platform/tenants/acme/') return jsonResponse(200, states[Math.min(polls++, 1)]);
      if (path === '/api/branding/') return errorResponse(404, 'not_found', 'x');
      return errorResponse(404, 'not_found', 'x');
    });
    renderWizard();
    await fillAndSubmit();

    const status = await screen.findByTestId('provisioning-status');
    expect(status.textContent).toContain('provisioning');

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByText('migrate schema')).toBeTruthy();
    expect(screen.getByTestId('provisioning-status').textContent).toContain('provisioning');

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByTestId('provisioning-status').textContent).toContain('active');
    const link = screen.getByRole('link', { name: /acme\.ffs\.test/ });
    expect(link.getAttribute('href')).toBe('https://acme.ffs.test');

    // Polling stops once active.
    const before = fetchMock.mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(fetchMock.mock.calls.length).toBe(before);
  });

  it('shows the failure and retries provisioning', async () => {
    let retried = false;
    mockFetch(({ path, method }) => {
      if (path === '/api/platform/tenants/' && method === 'POST') return jsonResponse(202, tenant());
      if (path === '/api/platform/tenants/acme/retry/' && method === 'POST') {
        retried = true;
        return jsonResponse(202, tenant({ provisioning: { state: 'pending', progress: 0, step: 'queued', error: null } }));
      }
      if (path === '/api/platform/tenants/acme/')
        return jsonResponse(
          200,
          retried
            ? tenant({ status: 'active', provisioning: { state: 'done', progress: 100, step: 'done', error: null } })
            : tenant({ provisioning: { state: 'failed', progress: 60, step: 'create schema', error: 'DB unavailable' } }),
        );
      return errorResponse(404, 'not_found', 'x');
    });
    renderWizard();
    const user = await fillAndSubmit();

    await screen.findByTestId('provisioning-status');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect((await screen.findByRole('alert')).textContent).toContain('DB unavailable');

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retried).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByTestId('provisioning-status').textContent).toContain('active');
  });

  it('shows server validation errors next to the fields', async () => {
    mockFetch(({ path, method }) => {
      if (path === '/api/platform/tenants/' && method === 'POST')
        return errorResponse(409, 'slug_taken', 'This slug is already taken.');
      return errorResponse(404, 'not_found', 'x');
    });
    renderWizard();
    await fillAndSubmit();

    expect((await screen.findByRole('alert')).textContent).toBe('This slug is already taken.');
    const slug = screen.getByLabelText('Slug');
    expect(slug.getAttribute('aria-invalid')).toBe('true');
    expect(slug.getAttribute('aria-describedby')).toContain('-error');
  });
});
