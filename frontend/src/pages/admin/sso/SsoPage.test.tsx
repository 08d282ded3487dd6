import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../../api/client';
import type { Lang } from '../../../api/types';
import { employee, paged } from '../../../test/hrFixtures';
import { laxLabelMatches } from '../../../test/locators';
import { loginDomain, oidcProvider, ssoProvider, ssoSettings } from '../../../test/ssoFixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp, type Handler } from '../../../test/utils';
import { AdminLayout } from '../AdminLayout';
import { SsoPage } from './SsoPage';
import { SsoProviderPage } from './SsoProviderPage';

const corporate = {
  display_name: 'Acme Academy',
  logo_url: null,
  favicon_url: null,
  primary_color: '#222222',
  accent_color: '#cc0066',
  support_email: null,
  metrika_id: null,
  tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' },
};
const PRESETS = ['adfs', 'custom', 'entra', 'google', 'keycloak', 'okta'];

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** The SSO API with a few defaults; `overrides` answers first (return undefined to fall through). */
function backend(overrides: (req: Parameters<Handler>[0]) => Response | undefined = () => undefined) {
  const sent: Sent[] = [];
  const handler: Handler = (req) => {
    const body = typeof req.init.body === 'string' ? (JSON.parse(req.init.body) as unknown) : req.init.body;
    if (req.method !== 'GET') sent.push({ method: req.method, path: req.path, body });
    const answer = overrides(req);
    if (answer) return answer;
    switch (req.path) {
      case '/api/branding/':
        return jsonResponse(200, corporate);
      case '/api/sso/providers/':
        return jsonResponse(200, { results: [], presets: PRESETS });
      case '/api/sso/settings/':
        return jsonResponse(200, ssoSettings());
      case '/api/sso/domains/':
        return jsonResponse(200, { results: [] });
      case '/api/hr/employees/':
        return jsonResponse(200, paged([]));
      case '/api/hr/groups/':
        return jsonResponse(200, paged([]));
      default:
        return errorResponse(404, 'not_found', 'Not found');
    }
  };
  return { handler, sent };
}

function renderSso(route = '/admin/sso', lang: Lang = 'en') {
  return renderApp(
    <Routes>
      <Route path="/admin" element={<AdminLayout />}>
        <Route path="sso" element={<SsoPage />} />
        <Route path="sso/:id" element={<SsoProviderPage />} />
      </Route>
    </Routes>,
    { route, lang },
  );
}

beforeEach(() => {
  api.setSession({
    access: makeJwt(Math.floor(Date.now() / 1000) + 3600),
    user: makeUser({ role: 'tenant_admin', tenant: { slug: 'acme', schema: 'acme', kind: 'corporate', name: 'Acme' } }),
  });
});

afterEach(() => {
  api.clearSession();
});

describe('SsoPage: providers', () => {
  it('lists the providers with protocol, status and certificate warnings', async () => {
    const soon = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
    const { handler } = backend((req) => {
      if (req.path === '/api/sso/providers/')
        return jsonResponse(200, {
          results: [
            ssoProvider({ enabled: true, configured: true, certificate_expires_at: soon }),
            oidcProvider({ configured: false }),
          ],
          presets: PRESETS,
        });
      if (req.path === '/api/sso/settings/')
        return jsonResponse(200, ssoSettings({ certificate_warnings: [{ provider: 'acme-idp', expires_at: soon, expired: false }] }));
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    expect(await screen.findByRole('heading', { level: 1, name: 'Single sign-on' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Single sign-on' }).className).toBe('active');
    const saml = (await screen.findByRole('link', { name: 'Acme IdP' })).closest('tr')!;
    expect(within(saml).getByText('SAML 2.0')).toBeTruthy();
    expect(within(saml).getByText('enabled')).toBeTruthy();
    expect(within(saml).getByText(/^expires /)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Acme IdP' }).getAttribute('href')).toBe('/admin/sso/7');
    const oidc = screen.getByRole('link', { name: 'Globex ID' }).closest('tr')!;
    expect(within(oidc).getByText('OpenID Connect')).toBeTruthy();
    expect(within(oidc).getByText('disabled')).toBeTruthy();
    expect(within(oidc).getByText('not configured')).toBeTruthy();
    expect(await screen.findByText(/The signing certificate of “Acme IdP” expires on/)).toBeTruthy();
  });

  it('creates a SAML provider from its metadata URL and opens it', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend((req) => {
      if (req.path === '/api/sso/providers/' && req.method === 'POST')
        return jsonResponse(201, ssoProvider({ id: 12, name: 'Acme IdP', metadata_url: 'https://idp.acme.test/metadata' }));
      if (req.path === '/api/sso/providers/12/')
        return jsonResponse(200, ssoProvider({ id: 12, metadata_url: 'https://idp.acme.test/metadata' }));
      if (req.path === '/api/sso/providers/12/history/') return jsonResponse(200, { results: [] });
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    const add = await screen.findByRole('button', { name: 'Add provider' });
    expect(add.getAttribute('aria-expanded')).toBe('false');
    await user.click(add);
    expect((screen.getByRole('radio', { name: 'SAML 2.0' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByLabelText('Metadata file')).toHaveProperty('type', 'file');
    expect(screen.queryByLabelText('Client secret')).toBeNull();

    // The labels stay unambiguous for the browser tests' substring matching.
    await screen.findByLabelText('Fallback admin (keeps password sign-in)');
    for (const label of ['Name', 'Preset', 'Metadata URL', 'Metadata file', 'E-mail domain', 'Require single sign-on', 'Fallback admin']) {
      expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    }
    await user.type(screen.getByLabelText('Name'), '  Acme IdP ');
    await user.selectOptions(screen.getByLabelText('Preset'), 'okta');
    await user.type(screen.getByLabelText('Metadata URL'), 'https://idp.acme.test/metadata');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Acme IdP' })).toBeTruthy();
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/sso/providers/',
        body: { protocol: 'saml', name: 'Acme IdP', preset: 'okta', metadata_url: 'https://idp.acme.test/metadata' },
      },
    ]);
    expect(screen.getByText('Provider added. Review the attribute mapping, test the connection, then enable it.')).toBeTruthy();
  });

  it('sends the chosen metadata file in the same request', async () => {
    const user = userEvent.setup();
    const xml = '<EntityDescriptor entityID="https://idp.acme.test"/>';
    const { handler, sent } = backend((req) => {
      if (req.path === '/api/sso/providers/' && req.method === 'POST')
        return errorResponse(400, 'invalid_metadata', 'The metadata has no signing certificate.', {
          metadata_xml: ['The metadata has no signing certificate.'],
        });
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    await user.type(screen.getByLabelText('Name'), 'Acme IdP');
    await user.upload(screen.getByLabelText('Metadata file'), new File([xml], 'idp.xml', { type: 'text/xml' }));
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect((await screen.findByRole('alert')).textContent).toBe('This is not valid SAML IdP metadata.');
    expect(sent[0].body).toEqual({ protocol: 'saml', name: 'Acme IdP', preset: 'custom', metadata_xml: xml });
    // The document's problem is shown on the file input the admin used.
    const file = screen.getByLabelText('Metadata file');
    expect(file.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(file.getAttribute('aria-describedby')!.split(' ').pop()!)?.textContent).toBe(
      'The metadata has no signing certificate.',
    );
  });

  it('creates an OIDC provider with its secret, which is never shown afterwards', async () => {
    const user = userEvent.setup();
    const created = oidcProvider({
      id: 21,
      name: 'Globex ID',
      oidc_discovery_url: 'https://id.globex.test/.well-known/openid-configuration',
      oidc_issuer: 'https://id.globex.test',
      oidc_client_id: 'lms',
      has_client_secret: true,
      configured: true,
    });
    const { handler, sent } = backend((req) => {
      if (req.path === '/api/sso/providers/' && req.method === 'POST') return jsonResponse(201, created);
      if (req.path === '/api/sso/providers/21/') return jsonResponse(200, created);
      if (req.path === '/api/sso/providers/21/history/')
        return jsonResponse(200, {
          results: [
            {
              action: 'discovery_configured',
              actor: 'admin@acme.test',
              fields: ['oidc_discovery_url', 'oidc_issuer'],
              snapshot: {},
              created_at: '2026-05-01T10:00:01Z',
            },
            {
              action: 'created',
              actor: 'admin@acme.test',
              fields: ['slug', 'protocol', 'oidc_client_secret'],
              snapshot: {},
              created_at: '2026-05-01T10:00:00Z',
            },
          ],
        });
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    await user.click(screen.getByRole('radio', { name: 'OpenID Connect' }));
    expect(screen.queryByLabelText('Metadata URL')).toBeNull();
    for (const label of ['Discovery URL', 'Client ID', 'Client secret']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    await user.type(screen.getByLabelText('Name'), 'Globex ID');
    await user.selectOptions(screen.getByLabelText('Preset'), 'keycloak');
    await user.type(screen.getByLabelText('Discovery URL'), 'https://id.globex.test/.well-known/openid-configuration');
    await user.type(screen.getByLabelText('Client ID'), 'lms');
    const secret = screen.getByLabelText('Client secret');
    expect(secret).toHaveProperty('type', 'password');
    await user.type(secret, 'S3cr3t-value');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Globex ID' })).toBeTruthy();
    expect(sent[0]).toEqual({
      method: 'POST',
      path: '/api/sso/providers/',
      body: {
        protocol: 'oidc',
        name: 'Globex ID',
        preset: 'keycloak',
        oidc_discovery_url: 'https://id.globex.test/.well-known/openid-configuration',
        oidc_client_id: 'lms',
        oidc_client_secret: 'S3cr3t-value',
      },
    });
    // On the provider's page the secret field is empty; only "stored" is said.
    const stored = await screen.findByLabelText('Client secret');
    expect((stored as HTMLInputElement).value).toBe('');
    expect(screen.getByText('A secret is stored and never shown. Type a new one only to replace it.')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('S3cr3t-value');
    expect(await screen.findByText('OIDC discovery configured')).toBeTruthy();
  });

  it('shows a failed discovery fetch on the Discovery URL field', async () => {
    const user = userEvent.setup();
    const { handler } = backend((req) => {
      if (req.path === '/api/sso/providers/' && req.method === 'POST')
        return errorResponse(502, 'fetch_failed', 'The server answered 404.', { url: ['HTTP 404'] });
      return undefined;
    });
    mockFetch(handler);
    renderSso('/admin/sso', 'ru');

    await user.click(await screen.findByRole('button', { name: 'Добавить поставщика' }));
    await user.click(screen.getByRole('radio', { name: 'OpenID Connect' }));
    await user.type(screen.getByLabelText('Название'), 'Globex ID');
    await user.type(screen.getByLabelText('URL обнаружения (Discovery URL)'), 'https://id.globex.test/nope');
    await user.click(screen.getByRole('button', { name: 'Сохранить поставщика' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Не удалось получить документ по этому адресу.');
    const field = screen.getByLabelText('URL обнаружения (Discovery URL)');
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('asks for a name before sending anything', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend();
    mockFetch(handler);
    renderSso();
    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    await user.click(screen.getByRole('button', { name: 'Save provider' }));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add provider' }));
  });
});

describe('SsoPage: service provider details', () => {
  it('shows our SAML/OIDC endpoints and copies the metadata URL', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { handler } = backend();
    mockFetch(handler);
    renderSso();

    const card = (await screen.findByRole('heading', { name: 'Service provider details' })).closest('section')!;
    expect(within(card).getByText('http://acme.localhost:8000/sso/saml/acs/')).toBeTruthy();
    expect(within(card).getByText('http://acme.localhost:8000/sso/oidc/callback/')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Copy Metadata URL' }));
    expect(writeText).toHaveBeenCalledWith('http://acme.localhost:8000/sso/saml/metadata/');
    expect(within(card).getByText('Copied.')).toBeTruthy();
    Reflect.deleteProperty(navigator, 'clipboard');
  });
});

describe('SsoPage: login policy', () => {
  const admins = [
    employee({ id: 1, user_id: 101, full_name: 'Ada Admin', email: 'ada@acme.test', role: 'tenant_admin' }),
    employee({ id: 2, user_id: 102, full_name: 'Lee Learner', email: 'lee@acme.test', role: 'learner' }),
    employee({ id: 3, user_id: 103, full_name: 'Bo Boss', email: 'bo@acme.test', role: 'tenant_admin' }),
  ];

  it('lists tenant admins as the fallback and saves the policy', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend((req) => {
      if (req.path === '/api/hr/employees/') return jsonResponse(200, paged(admins));
      if (req.path === '/api/sso/settings/' && req.method === 'PATCH')
        return jsonResponse(200, ssoSettings({ sso_required: true, fallback_admin_id: 103 }));
      return undefined;
    });
    const fetchMock = mockFetch(handler);
    renderSso();

    const select = await screen.findByLabelText('Fallback admin (keeps password sign-in)');
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(3));
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual([
      '— none —',
      'Ada Admin (ada@acme.test)',
      'Bo Boss (bo@acme.test)',
    ]);
    const employeesCall = fetchMock.mock.calls.find(([url]) => String(url).startsWith('/api/hr/employees/'));
    expect(String(employeesCall![0])).toContain('status=active');

    await user.click(screen.getByLabelText('Require single sign-on'));
    await user.selectOptions(select, '103');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));

    expect(await screen.findByText('Login policy saved.')).toBeTruthy();
    expect(sent).toEqual([{ method: 'PATCH', path: '/api/sso/settings/', body: { fallback_admin_id: 103, sso_required: true } }]);
  });

  it('explains why single sign-on cannot be required yet (no fallback admin)', async () => {
    const user = userEvent.setup();
    const { handler } = backend((req) => {
      if (req.path === '/api/sso/providers/')
        return jsonResponse(200, { results: [ssoProvider({ enabled: true, configured: true })], presets: PRESETS });
      if (req.path === '/api/hr/employees/') return jsonResponse(200, paged(admins));
      if (req.path === '/api/sso/settings/' && req.method === 'PATCH')
        return errorResponse(400, 'invalid_sso_config', 'Choose a tenant admin who may still sign in with a password.', {
          sso_required: ['Choose a tenant admin who may still sign in with a password.'],
        });
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    await screen.findByRole('link', { name: 'Acme IdP' });
    await user.click(await screen.findByLabelText('Require single sign-on'));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));

    const form = screen.getByRole('form', { name: 'Login policy' });
    expect((await within(form).findByRole('alert')).textContent).toBe('Choose the fallback admin who keeps password sign-in.');
    const checkbox = within(form).getByLabelText('Require single sign-on');
    const describedBy = checkbox.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)?.textContent).toBe('Choose the fallback admin who keeps password sign-in.');
    expect(within(form).queryByText('Login policy saved.')).toBeNull();
  });

  it('explains why single sign-on cannot be required yet (no enabled provider), in Russian', async () => {
    const user = userEvent.setup();
    const { handler } = backend((req) => {
      if (req.path === '/api/sso/providers/') return jsonResponse(200, { results: [ssoProvider()], presets: PRESETS });
      if (req.path === '/api/hr/employees/') return jsonResponse(200, paged(admins));
      if (req.path === '/api/sso/settings/' && req.method === 'PATCH')
        return errorResponse(400, 'invalid_sso_config', 'Enable an identity provider before requiring SSO.', {
          sso_required: ['Enable an identity provider before requiring SSO.'],
        });
      return undefined;
    });
    mockFetch(handler);
    renderSso('/admin/sso', 'ru');

    await screen.findByRole('link', { name: 'Acme IdP' });
    const select = screen.getByLabelText('Резервный администратор (сохраняет вход по паролю)');
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(3));
    await user.selectOptions(select, '101');
    await user.click(screen.getByLabelText('Требовать единый вход'));
    await user.click(screen.getByRole('button', { name: 'Сохранить правила' }));

    const form = screen.getByRole('form', { name: 'Правила входа' });
    expect((await within(form).findByRole('alert')).textContent).toBe('Сначала включите хотя бы одного поставщика.');
  });
});

describe('SsoPage: e-mail domains', () => {
  it('adds a domain, shows the TXT record to publish and explains a failed verification', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend((req) => {
      if (req.path === '/api/sso/domains/' && req.method === 'POST') return jsonResponse(201, loginDomain());
      if (req.path === '/api/sso/domains/3/verify/')
        return errorResponse(400, 'verification_failed', 'TXT record _ffs-login.acme.com with value x was not found.');
      if (req.path === '/api/sso/domains/3/' && req.method === 'DELETE') return new Response(null, { status: 204 });
      return undefined;
    });
    mockFetch(handler);
    renderSso();

    expect(await screen.findByText('No domains yet.')).toBeTruthy();
    await user.type(screen.getByLabelText('E-mail domain'), '@Acme.com');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));

    const item = await screen.findByRole('listitem', { name: 'acme.com' });
    expect(sent[0]).toEqual({ method: 'POST', path: '/api/sso/domains/', body: { domain: 'acme.com' } });
    expect(within(item).getByText('_ffs-login.acme.com')).toBeTruthy();
    expect(within(item).getByText('ffs-login-verification=abc123')).toBeTruthy();

    await user.click(within(item).getByRole('button', { name: 'Verify acme.com' }));
    expect((await within(item).findByRole('alert')).textContent).toBe(
      'The TXT record was not found. Publish it in DNS and verify again in a few minutes.',
    );

    await user.click(within(item).getByRole('button', { name: 'Remove acme.com' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'acme.com' })).toBeNull());
    expect(sent.at(-1)).toEqual({ method: 'DELETE', path: '/api/sso/domains/3/', body: undefined });
  });
});
