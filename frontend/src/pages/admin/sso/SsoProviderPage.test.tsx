import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../../api/client';
import type { SsoProvider } from '../../../api/types';
import { pageNavigation } from '../../../auth/redirect';
import { group, paged } from '../../../test/hrFixtures';
import { laxLabelMatches } from '../../../test/locators';
import { oidcProvider, ssoProvider } from '../../../test/ssoFixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp, type Handler } from '../../../test/utils';
import { SsoProviderPage } from './SsoProviderPage';
import { buildPatch, editState, parseDomains, remapProviderFields } from './ssoForm';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function backend(provider: SsoProvider, overrides: (req: Parameters<Handler>[0]) => Response | undefined = () => undefined) {
  const sent: Sent[] = [];
  const base = `/api/sso/providers/${provider.id}/`;
  const handler: Handler = (req) => {
    const body = typeof req.init.body === 'string' ? (JSON.parse(req.init.body) as unknown) : req.init.body;
    if (req.method !== 'GET') sent.push({ method: req.method, path: req.path, body });
    const answer = overrides(req);
    if (answer) return answer;
    if (req.path === base && req.method === 'GET') return jsonResponse(200, provider);
    if (req.path === `${base}history/`)
      return jsonResponse(200, {
        results: [
          { action: 'created', actor: 'admin@acme.test', fields: ['slug', 'protocol'], snapshot: {}, created_at: '2026-05-01T10:00:00Z' },
        ],
      });
    if (req.path === '/api/hr/groups/')
      return jsonResponse(200, paged([group({ id: 3, name: 'Sewers' }), group({ id: 4, name: 'Stylists' })]));
    if (req.path === '/api/branding/') return jsonResponse(200, null);
    return errorResponse(404, 'not_found', 'Not found');
  };
  return { handler, sent };
}

function renderProvider(id: number) {
  return renderApp(
    <Routes>
      <Route path="/admin/sso" element={<h1>SSO overview</h1>} />
      <Route path="/admin/sso/:id" element={<SsoProviderPage />} />
    </Routes>,
    { route: `/admin/sso/${id}`, lang: 'en' },
  );
}

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'tenant_admin' }) });
});

afterEach(() => {
  api.clearSession();
});

describe('SsoProviderPage', () => {
  it('saves only what changed: mapping, group rows, provisioning options', async () => {
    const user = userEvent.setup();
    const provider = ssoProvider({ configured: true, metadata_url: 'https://idp.acme.test/metadata' });
    const { handler, sent } = backend(provider, (req) => {
      if (req.method === 'PATCH') {
        const patch = JSON.parse(String(req.init.body)) as Partial<SsoProvider>;
        return jsonResponse(200, { ...provider, ...patch });
      }
      return undefined;
    });
    mockFetch(handler);
    renderProvider(7);

    expect(await screen.findByRole('heading', { level: 1, name: 'Acme IdP' })).toBeTruthy();
    const email = screen.getByLabelText('Attribute for email') as HTMLInputElement;
    expect(email.value).toBe('email');
    expect((screen.getByLabelText('Attribute for first_name') as HTMLInputElement).value).toBe('firstName');
    expect((screen.getByLabelText('Attribute for department') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Metadata URL') as HTMLInputElement).value).toBe('https://idp.acme.test/metadata');
    const labels = [
      'Preset',
      'Metadata URL',
      'Metadata file',
      'Attribute for email',
      'Create accounts on first sign-in',
      'Allow IdP-initiated sign-in',
      'Role for new accounts',
      'Allowed e-mail domains',
      'Trust this provider’s e-mail addresses to link existing accounts',
    ];
    for (const label of labels) {
      expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    }

    await user.type(screen.getByLabelText('Attribute for department'), 'dept');
    await user.click(screen.getByRole('button', { name: 'Add group mapping' }));
    expect(document.activeElement).toBe(screen.getByLabelText('IdP group 1'));
    await user.type(screen.getByLabelText('IdP group 1'), 'stylists');
    await waitFor(() => expect(within(screen.getByLabelText('LMS group 1')).getAllByRole('option')).toHaveLength(3));
    await user.selectOptions(screen.getByLabelText('LMS group 1'), '4');
    await user.click(screen.getByRole('button', { name: 'Add group mapping' }));
    await user.click(screen.getByRole('button', { name: 'Remove row 2' }));
    await user.click(screen.getByLabelText('Create accounts on first sign-in'));
    await user.click(screen.getByLabelText('Allow IdP-initiated sign-in'));
    await user.selectOptions(screen.getByLabelText('Role for new accounts'), 'hr_manager');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect(await screen.findByText('Provider saved.')).toBeTruthy();
    expect(sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/sso/providers/7/',
        body: {
          attribute_mapping: { email: 'email', first_name: 'firstName', last_name: 'lastName', department: 'dept', groups: 'groups' },
          group_mapping: [{ idp_group: 'stylists', group_id: 4 }],
          jit_enabled: false,
          allow_idp_initiated: true,
          default_role: 'hr_manager',
        },
      },
    ]);
  });

  it('checks the rows and the e-mail mapping before sending', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend(ssoProvider());
    mockFetch(handler);
    renderProvider(7);

    await user.clear(await screen.findByLabelText('Attribute for email'));
    await user.click(screen.getByRole('button', { name: 'Add group mapping' }));
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Check the highlighted fields.');
    expect(screen.getByLabelText('Attribute for email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Map the e-mail attribute.')).toBeTruthy();
    expect(screen.getByLabelText('IdP group 1').getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('changes the preset without sending the mapping, so the server applies the preset', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend(ssoProvider(), (req) =>
      req.method === 'PATCH' ? jsonResponse(200, ssoProvider({ preset: 'entra' })) : undefined,
    );
    mockFetch(handler);
    renderProvider(7);

    await user.selectOptions(await screen.findByLabelText('Preset'), 'entra');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));
    await screen.findByText('Provider saved.');
    expect(sent[0].body).toEqual({ preset: 'entra' });
  });

  it('replaces an OIDC secret only when a new one is typed', async () => {
    const user = userEvent.setup();
    const provider = oidcProvider({ has_client_secret: true, oidc_client_id: 'lms', configured: true });
    const { handler, sent } = backend(provider, (req) => (req.method === 'PATCH' ? jsonResponse(200, provider) : undefined));
    mockFetch(handler);
    renderProvider(8);

    const secret = (await screen.findByLabelText('Client secret')) as HTMLInputElement;
    expect(secret.value).toBe('');
    await user.type(secret, 'n3w-secret');
    await user.clear(screen.getByLabelText('Scopes'));
    await user.type(screen.getByLabelText('Scopes'), 'openid  email profile groups');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    await screen.findByText('Provider saved.');
    expect(sent[0].body).toEqual({ oidc_client_secret: 'n3w-secret', oidc_scopes: 'openid email profile groups' });
    expect((screen.getByLabelText('Client secret') as HTMLInputElement).value).toBe('');
    expect(document.body.innerHTML).not.toContain('n3w-secret');
  });

  it('enables the provider and reports what the server refuses', async () => {
    const user = userEvent.setup();
    let enabled = false;
    const { handler, sent } = backend(ssoProvider({ configured: true }), (req) => {
      if (req.method !== 'PATCH') return undefined;
      if (enabled)
        return errorResponse(400, 'idp_not_configured', 'Import the IdP metadata first.', { enabled: ['Import the IdP metadata first.'] });
      enabled = true;
      return jsonResponse(200, ssoProvider({ configured: true, enabled: true }));
    });
    mockFetch(handler);
    renderProvider(7);

    const summary = (await screen.findByRole('heading', { name: 'Connection' })).closest('section')!;
    expect(within(summary).getByText('disabled')).toBeTruthy();
    await user.click(within(summary).getByRole('button', { name: 'Enable' }));
    expect(await within(summary).findByText('enabled')).toBeTruthy();
    expect(sent[0]).toEqual({ method: 'PATCH', path: '/api/sso/providers/7/', body: { enabled: true } });

    await user.click(within(summary).getByRole('button', { name: 'Disable' }));
    expect((await within(summary).findByRole('alert')).textContent).toBe(
      'Import the IdP metadata (SAML) or give the discovery URL, client ID and secret (OIDC) first.',
    );
  });

  it('opens the connection test URL the server returns', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const { handler } = backend(ssoProvider({ configured: true }), (req) =>
      req.path === '/api/sso/providers/7/test/' ? jsonResponse(200, { url: '/sso/saml/acme-idp/login/?test=abc' }) : undefined,
    );
    mockFetch(handler);
    renderProvider(7);

    await user.click(await screen.findByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/sso/saml/acme-idp/login/?test=abc'));
  });

  it('shows the change history and deletes after an inline confirmation', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend(ssoProvider(), (req) =>
      req.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined,
    );
    mockFetch(handler);
    renderProvider(7);

    const history = (await screen.findByRole('heading', { name: 'Change history' })).closest('section')!;
    expect(await within(history).findByText('Provider created')).toBeTruthy();
    expect(within(history).getByText('admin@acme.test')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Delete provider' }));
    const confirm = screen.getByRole('group', { name: /Delete the provider “Acme IdP”\?/ });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete provider' }));
    expect(sent).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Delete provider' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(await screen.findByRole('heading', { name: 'SSO overview' })).toBeTruthy();
    expect(sent).toEqual([{ method: 'DELETE', path: '/api/sso/providers/7/', body: undefined }]);
  });

  it('reloads SAML metadata from its URL', async () => {
    const user = userEvent.setup();
    const provider = ssoProvider({ configured: true, metadata_url: 'https://idp.acme.test/metadata' });
    const { handler, sent } = backend(provider, (req) =>
      req.path === '/api/sso/providers/7/metadata/' ? jsonResponse(200, { ...provider, certificates: 2 }) : undefined,
    );
    mockFetch(handler);
    renderProvider(7);

    await user.click(await screen.findByRole('button', { name: 'Reload metadata' }));
    expect(await screen.findByText('Metadata reloaded.')).toBeTruthy();
    expect(sent[0]).toEqual({
      method: 'POST',
      path: '/api/sso/providers/7/metadata/',
      body: { url: 'https://idp.acme.test/metadata' },
    });
  });
  it('sends the allowed e-mail domains as a clean list, and the linking trust flag', async () => {
    const user = userEvent.setup();
    const provider = ssoProvider({ configured: true });
    const { handler, sent } = backend(provider, (req) => {
      if (req.method === 'PATCH') {
        const patch = JSON.parse(String(req.init.body)) as Partial<SsoProvider>;
        return jsonResponse(200, { ...provider, ...patch });
      }
      return undefined;
    });
    mockFetch(handler);
    renderProvider(7);

    const domains = (await screen.findByLabelText('Allowed e-mail domains')) as HTMLTextAreaElement;
    expect(domains.value).toBe('');
    expect(domains.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(domains.getAttribute('aria-describedby')!)?.textContent).toContain(
      'Leave empty to use the company’s verified e-mail domains.',
    );
    const trust = screen.getByLabelText('Trust this provider’s e-mail addresses to link existing accounts') as HTMLInputElement;
    expect(trust.checked).toBe(false);

    await user.type(domains, ' Acme.COM, globex.test{Enter}acme.com   Shop.Acme.com ,');
    await user.click(trust);
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect(await screen.findByText('Provider saved.')).toBeTruthy();
    expect(sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/sso/providers/7/',
        body: { allowed_domains: ['acme.com', 'globex.test', 'shop.acme.com'], trust_email_for_linking: true },
      },
    ]);
    // The form starts again from what the server keeps: one domain a line.
    expect((screen.getByLabelText('Allowed e-mail domains') as HTMLTextAreaElement).value).toBe(
      'acme.com\nglobex.test\nshop.acme.com',
    );
  });

  it('leaves unchanged domains and trust out of the PATCH, and sends an emptied list', async () => {
    const user = userEvent.setup();
    const provider = ssoProvider({ allowed_domains: ['acme.com', 'globex.test'], trust_email_for_linking: true });
    const { handler, sent } = backend(provider, (req) => (req.method === 'PATCH' ? jsonResponse(200, provider) : undefined));
    mockFetch(handler);
    renderProvider(7);

    const domains = (await screen.findByLabelText('Allowed e-mail domains')) as HTMLTextAreaElement;
    expect(domains.value).toBe('acme.com\nglobex.test');
    expect((screen.getByLabelText('Trust this provider’s e-mail addresses to link existing accounts') as HTMLInputElement).checked).toBe(true);
    // Same domains in another order, case and separator: not a change.
    await user.clear(domains);
    await user.type(domains, 'GLOBEX.test, acme.com');
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Acme Okta');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));
    await screen.findByText('Provider saved.');
    expect(sent[0].body).toEqual({ name: 'Acme Okta' });

    await user.clear(screen.getByLabelText('Allowed e-mail domains'));
    await user.click(screen.getByLabelText('Trust this provider’s e-mail addresses to link existing accounts'));
    await user.click(screen.getByRole('button', { name: 'Save provider' }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].body).toEqual({ allowed_domains: [], trust_email_for_linking: false });
  });

  it('shows the server’s error about the allowed domains under the input', async () => {
    const user = userEvent.setup();
    const { handler, sent } = backend(ssoProvider(), (req) =>
      req.method === 'PATCH'
        ? errorResponse(400, 'invalid_sso_config', "'acme_com' is not a domain name.", {
            allowed_domains: ["'acme_com' is not a domain name."],
          })
        : undefined,
    );
    mockFetch(handler);
    renderProvider(7);

    await user.type(await screen.findByLabelText('Allowed e-mail domains'), 'acme_com');
    await user.click(screen.getByRole('button', { name: 'Save provider' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Check the highlighted fields.');
    expect(sent[0].body).toEqual({ allowed_domains: ['acme_com'] });
    const domains = screen.getByLabelText('Allowed e-mail domains');
    expect(domains.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(domains.getAttribute('aria-describedby')!.split(' ').pop()!)?.textContent).toBe(
      "'acme_com' is not a domain name.",
    );
    expect(screen.queryByText('Provider saved.')).toBeNull();
  });

  it('labels the new account options in Russian', async () => {
    const { handler } = backend(ssoProvider());
    mockFetch(handler);
    renderApp(
      <Routes>
        <Route path="/admin/sso/:id" element={<SsoProviderPage />} />
      </Routes>,
      { route: '/admin/sso/7', lang: 'ru' },
    );
    expect(await screen.findByLabelText('Разрешённые почтовые домены')).toBeTruthy();
    expect(screen.getByLabelText('Доверять адресам эл. почты этого поставщика при привязке существующих учётных записей')).toBeTruthy();
  });
});

describe('SSO provider form helpers', () => {
  const t = (key: string) => key;

  it('parses the domains input into a trimmed, lower-cased list without repeats', () => {
    expect(parseDomains('')).toEqual([]);
    expect(parseDomains('  \n , ')).toEqual([]);
    expect(parseDomains(' Acme.COM,globex.test\n\tacme.com  Shop.Acme.com;,acme.com ')).toEqual([
      'acme.com',
      'globex.test',
      'shop.acme.com',
    ]);
  });

  it('patches the domains and the trust flag only when they changed', () => {
    const provider = ssoProvider({ allowed_domains: ['acme.com', 'globex.test'] });
    const same = { ...editState(provider), allowedDomains: 'globex.test ACME.com' };
    expect(buildPatch(provider, same, null, t)).toEqual({ value: {} });
    const changed = { ...editState(provider), allowedDomains: 'acme.com', trustEmail: true };
    expect(buildPatch(provider, changed, null, t)).toEqual({
      value: { allowed_domains: ['acme.com'], trust_email_for_linking: true },
    });
  });

  it('puts an error about one listed domain on the domains input', () => {
    expect(
      remapProviderFields({ 'allowed_domains.1': ['Not a domain.'], allowed_domains: ['Too many.'] }, { protocol: 'saml', usedFile: false }),
    ).toEqual({ allowed_domains: ['Not a domain.', 'Too many.'] });
  });
});
