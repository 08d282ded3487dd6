import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { CourseLicense, Domain, Tenant } from '../../api/types';
import { courseCard } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { TenantDetailPage } from './TenantDetailPage';
import { TenantListPage } from './TenantListPage';

function tenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    slug: 'acme',
    name: 'Acme',
    kind: 'corporate',
    status: 'active',
    seats: 50,
    admin_email: 'boss@acme.test',
    primary_url: 'https://acme.ffs.test',
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    provisioning: { state: 'done', progress: 100, step: 'done', error: null },
    domains: [],
    ...overrides,
  };
}

const domain = (overrides: Partial<Domain> = {}): Domain => ({
  id: 7,
  host: 'learn.acme.test',
  is_primary: false,
  verified: false,
  verification_txt_name: '_ffs-verify.learn.acme.test',
  verification_txt_value: 'ffs-verification=abc123',
  ...overrides,
});

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser() });
});
afterEach(() => {
  api.clearSession();
});

describe('TenantListPage', () => {
  it('lists tenants with status badges, searches and paginates', async () => {
    const user = userEvent.setup();
    const fetchMock = mockFetch(({ path, url }) => {
      if (path !== '/api/platform/tenants/') return errorResponse(404, 'not_found', 'x');
      const params = new URL(url, 'http://x').searchParams;
      const page = Number(params.get('page') ?? '1');
      const search = params.get('search');
      const results = search
        ? [tenant({ slug: 'zeta', name: 'Zeta', status: 'suspended' })]
        : [tenant({ slug: `t${page}`, name: `Tenant ${page}` }), tenant({ slug: `p${page}`, name: 'Prov', status: 'provisioning' })];
      return jsonResponse(200, { count: search ? 1 : 60, next: null, previous: null, results });
    });
    renderApp(
      <Routes>
        <Route path="/platform/tenants" element={<TenantListPage />} />
      </Routes>,
      { route: '/platform/tenants', lang: 'en' },
    );

    const row = (await screen.findByRole('link', { name: 'Tenant 1' })).closest('tr')!;
    expect(within(row).getByText('active')).toBeTruthy();
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'Tenant 2' })).toBeTruthy();

    await user.type(screen.getByLabelText('Search'), 'zet');
    expect(await screen.findByRole('link', { name: 'Zeta' })).toBeTruthy();
    const lastUrl = String(fetchMock.mock.calls.at(-1)?.[0]);
    expect(lastUrl).toBe('/api/platform/tenants/?search=zet');
  });
});

describe('TenantDetailPage', () => {
  function renderDetail() {
    return renderApp(
      <Routes>
        <Route path="/platform/tenants/:slug" element={<TenantDetailPage />} />
      </Routes>,
      { route: '/platform/tenants/acme', lang: 'en' },
    );
  }

  it('edits settings, changes status and manages domains', async () => {
    const user = userEvent.setup();
    const calls: Array<{ method: string; path: string; body: unknown }> = [];
    let current = tenant({ domains: [domain({ id: 1, host: 'acme.ffs.test', is_primary: true, verified: true }), domain()] });
    mockFetch(({ path, method, init }) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, path, body });
      if (path === '/api/platform/tenants/acme/' && method === 'GET') return jsonResponse(200, current);
      if (path === '/api/platform/tenants/acme/' && method === 'PATCH') {
        current = { ...current, ...body };
        return jsonResponse(200, current);
      }
      if (path === '/api/platform/tenants/acme/domains/' && method === 'POST')
        return jsonResponse(201, domain({ id: 9, host: body.host, verification_txt_name: '_ffs.new.test' }));
      if (path === '/api/platform/tenants/acme/domains/7/verify/')
        return errorResponse(400, 'verification_failed', 'TXT record not found.');
      if (path === '/api/platform/tenants/acme/domains/9/' && method === 'DELETE') return new Response(null, { status: 204 });
      if (path === '/api/platform/tenants/acme/licenses/' || path === '/api/authoring/courses/') return jsonResponse(200, []);
      return errorResponse(404, 'not_found', 'x');
    });
    renderDetail();

    expect(await screen.findByRole('heading', { level: 1, name: 'Acme' })).toBeTruthy();
    // The unverified domain shows the TXT record to create.
    expect(screen.getByText('_ffs-verify.learn.acme.test')).toBeTruthy();
    expect(screen.getByText('ffs-verification=abc123')).toBeTruthy();

    // Rename + seats.
    const name = screen.getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Acme Corp');
    const seats = screen.getByLabelText('Seats');
    await user.clear(seats);
    await user.type(seats, '75');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Acme Corp' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Acme Corp', seats: 75 });

    // Suspend → Resume appears.
    await user.click(screen.getByRole('button', { name: 'Suspend' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.body).toEqual({ status: 'suspended' });

    // Failed verification shows the server message.
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toBe('TXT record not found.');

    // Add and remove a domain.
    await user.type(screen.getByLabelText('Domain'), 'new.test');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    const added = await screen.findByRole('listitem', { name: 'new.test' });
    expect(within(added).getByText('_ffs.new.test')).toBeTruthy();
    await user.click(within(added).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'new.test' })).toBeNull());
    // The primary domain cannot be removed from the UI.
    expect(within(screen.getByRole('listitem', { name: 'acme.ffs.test' })).queryByRole('button', { name: 'Remove' })).toBeNull();
  });

  describe('course licences', () => {
    const licence = (overrides: Partial<CourseLicense> = {}): CourseLicense => ({
      id: 1,
      course_slug: 'sewing-101',
      granted_at: '2025-02-03T10:00:00Z',
      granted_by: 'admin@example.com',
      ...overrides,
    });

    function mockLicences(initial: CourseLicense[]) {
      let licences = [...initial];
      let nextId = 100;
      const calls: Array<{ method: string; path: string; body: unknown }> = [];
      const fetchMock = mockFetch(({ path, method, init }) => {
        const body = init.body ? JSON.parse(String(init.body)) : undefined;
        calls.push({ method, path, body });
        if (path === '/api/platform/tenants/acme/' && method === 'GET') return jsonResponse(200, tenant());
        if (path === '/api/authoring/courses/')
          return jsonResponse(200, [
            courseCard({ slug: 'sewing-101', title: 'Sewing 101', status: 'published' }),
            courseCard({ slug: 'pattern-cutting', title: 'Pattern cutting', status: 'published' }),
            courseCard({ slug: 'draft-course', title: 'Draft course', status: 'draft' }),
          ]);
        if (path === '/api/platform/tenants/acme/licenses/' && method === 'GET') return jsonResponse(200, licences);
        if (path === '/api/platform/tenants/acme/licenses/' && method === 'POST') {
          const courseSlug = body.all ? null : body.course_slug;
          if (licences.some((l) => l.course_slug === courseSlug))
            return errorResponse(409, 'license_exists', 'The tenant already has this licence.');
          const created = licence({ id: nextId++, course_slug: courseSlug });
          licences = [...licences, created];
          return jsonResponse(201, created);
        }
        const match = /^\/api\/platform\/tenants\/acme\/licenses\/(\d+)\/$/.exec(path);
        if (match && method === 'DELETE') {
          licences = licences.filter((l) => String(l.id) !== match[1]);
          return new Response(null, { status: 204 });
        }
        return errorResponse(404, 'not_found', 'x');
      });
      return { calls, fetchMock };
    }

    const table = () => screen.getByRole('table', { name: 'Course licences' });

    it('lists licences with course titles and the whole catalogue', async () => {
      mockLicences([licence(), licence({ id: 2, course_slug: null })]);
      renderDetail();

      expect(await screen.findByRole('heading', { level: 2, name: 'Course licences' })).toBeTruthy();
      await within(await screen.findByRole('table', { name: 'Course licences' })).findByText('Sewing 101');
      expect(within(table()).getByText('Whole catalogue')).toBeTruthy();
      expect(within(table()).getAllByRole('button', { name: 'Revoke' })).toHaveLength(2);

      // Only published courses are offered, plus the whole catalogue.
      const select = screen.getByLabelText('Course');
      const texts = within(select).getAllByRole('option').map((o) => o.textContent);
      expect(texts).toContain('Sewing 101');
      expect(texts).toContain('Pattern cutting');
      expect(texts).toContain('Whole catalogue');
      expect(texts).not.toContain('Draft course');
    });

    it('grants a course and the whole catalogue, refreshing the list', async () => {
      const user = userEvent.setup();
      const { calls } = mockLicences([]);
      renderDetail();

      expect(await screen.findByText('No licences yet.')).toBeTruthy();
      await user.selectOptions(screen.getByLabelText('Course'), 'Pattern cutting');
      await user.click(screen.getByRole('button', { name: 'Grant licence' }));
      expect(await within(await screen.findByRole('table', { name: 'Course licences' })).findByText('Pattern cutting')).toBeTruthy();
      const posts = () => calls.filter((c) => c.method === 'POST' && c.path === '/api/platform/tenants/acme/licenses/');
      expect(posts().at(-1)?.body).toEqual({ course_slug: 'pattern-cutting' });

      await user.selectOptions(screen.getByLabelText('Course'), 'Whole catalogue');
      await user.click(screen.getByRole('button', { name: 'Grant licence' }));
      expect(await within(table()).findByText('Whole catalogue')).toBeTruthy();
      expect(posts().at(-1)?.body).toEqual({ all: true });
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('shows the server message when the licence already exists', async () => {
      const user = userEvent.setup();
      mockLicences([licence()]);
      renderDetail();

      await within(await screen.findByRole('table', { name: 'Course licences' })).findByText('Sewing 101');
      await user.selectOptions(screen.getByLabelText('Course'), 'Sewing 101');
      await user.click(screen.getByRole('button', { name: 'Grant licence' }));
      expect((await screen.findByRole('alert')).textContent).toBe('The tenant already has this licence.');
      expect(within(table()).getAllByRole('row')).toHaveLength(2);
    });

    it('revokes a licence with DELETE and removes the row', async () => {
      const user = userEvent.setup();
      const { calls } = mockLicences([licence({ id: 5 }), licence({ id: 6, course_slug: null })]);
      renderDetail();

      const cell = await within(await screen.findByRole('table', { name: 'Course licences' })).findByText('Sewing 101');
      await user.click(within(cell.closest('tr')!).getByRole('button', { name: 'Revoke' }));
      await waitFor(() => expect(within(table()).queryByText('Sewing 101')).toBeNull());
      expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/platform/tenants/acme/licenses/5/')).toBe(true);
      expect(within(table()).getByText('Whole catalogue')).toBeTruthy();
    });
  });
});
