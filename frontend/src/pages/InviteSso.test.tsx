import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { pageNavigation } from '../auth/redirect';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp, type Handler } from '../test/utils';
import { InvitePage } from './InvitePage';

const invitation = { email: 'new@acme.test', tenant_name: 'Acme', expires_at: '2030-01-01T00:00:00Z' };

/** What GET /api/auth/sso/options/ lists: plain login URLs, no grant. */
const providers = [
  { name: 'Acme Okta', protocol: 'saml', login_url: '/sso/saml/acme-okta/login/' },
  { name: 'Acme Entra', protocol: 'oidc', login_url: '/sso/oidc/acme-entra/login/' },
];
/** What POST /api/auth/sso/invitations/<token>/ answers: the same providers with one-time grants. */
const granted = [
  { name: 'Acme Entra', protocol: 'oidc', login_url: '/sso/oidc/acme-entra/login/?link=grant-oidc' },
  { name: 'Acme Okta', protocol: 'saml', login_url: '/sso/saml/acme-okta/login/?link=grant-saml' },
];

const SSO_PATH = '/api/auth/sso/invitations/tok123/';

function routes() {
  return (
    <Routes>
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route path="/learning" element={<h1>Learning landing</h1>} />
    </Routes>
  );
}

/** The invitation tok123 on a company host; `overrides` answers first (a 599 status means "not handled"). */
function backend(overrides: Handler): Handler {
  return async (req) => {
    const answer = await overrides(req);
    if (answer.status !== 599) return answer;
    if (req.path === '/api/auth/invitations/tok123/' && req.method === 'GET') return jsonResponse(200, invitation);
    return errorResponse(401, 'not_authenticated', 'No session');
  };
}
const pass = () => new Response(null, { status: 599 });
const options = (body: object) => (req: Parameters<Handler>[0]) =>
  req.path === '/api/auth/sso/options/' ? jsonResponse(200, body) : pass();

const calls = (fetchMock: ReturnType<typeof mockFetch>, path: string) =>
  fetchMock.mock.calls.filter(([url]) => new URL(String(url), 'http://localhost').pathname === path);

afterEach(() => api.clearSession());

describe('invitation accept: single sign-on', () => {
  it('offers a "Continue with" button per provider above the password form', async () => {
    const fetchMock = mockFetch(backend(options({ providers, sso_required: false })));
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    const okta = await screen.findByRole('button', { name: 'Continue with Acme Okta' });
    const list = screen.getByRole('list', { name: 'Company sign-in' });
    expect(within(list).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Continue with Acme Okta',
      'Continue with Acme Entra',
    ]);
    // The password form is still there, after the buttons.
    const password = screen.getByLabelText('Password');
    expect(okta.compareDocumentPosition(password) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Accept invitation' })).toBeTruthy();
    expect(screen.getByText(/Continue with your company sign-in or choose a password/)).toBeTruthy();
    expect(screen.getByText(/At your company sign-in, use new@acme\.test/)).toBeTruthy();
    // Nothing is minted until a button is pressed.
    expect(calls(fetchMock, SSO_PATH)).toHaveLength(0);
  });

  it('shows no buttons when the host has no providers or the options call fails', async () => {
    mockFetch(backend(() => pass()));
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });
    expect(await screen.findByRole('button', { name: 'Accept invitation' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Continue with/ })).toBeNull();
    expect(screen.getByText('You have been invited to “Acme”. Choose a password to sign in.')).toBeTruthy();
  });

  it('asks for the one-time login URLs and goes to the chosen provider’s', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const fetchMock = mockFetch(
      backend((req) =>
        req.path === SSO_PATH && req.method === 'POST'
          ? jsonResponse(200, { providers: granted, sso_required: false })
          : options({ providers, sso_required: false })(req),
      ),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'ru' });

    await user.click(await screen.findByRole('button', { name: 'Продолжить через Acme Okta' }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith('/sso/saml/acme-okta/login/?link=grant-saml'));
    expect(assign).toHaveBeenCalledTimes(1);
    const posted = calls(fetchMock, SSO_PATH);
    expect(posted).toHaveLength(1);
    expect(posted[0][1]?.method).toBe('POST');
    // The browser is leaving: no second grant from a double click.
    expect((screen.getByRole('button', { name: 'Продолжить через Acme Entra' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the error when the invitation can no longer be accepted', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    mockFetch(
      backend((req) =>
        req.path === SSO_PATH
          ? errorResponse(410, 'invitation_expired', 'The invitation has expired.')
          : options({ providers, sso_required: false })(req),
      ),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    const button = await screen.findByRole('button', { name: 'Continue with Acme Entra' });
    await user.click(button);
    expect((await screen.findByRole('alert')).textContent).toBe('The invitation has expired.');
    expect(assign).not.toHaveBeenCalled();
    expect((button as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when the chosen provider is gone, and shows the current ones', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    mockFetch(
      backend((req) =>
        req.path === SSO_PATH
          ? jsonResponse(200, { providers: granted.slice(1), sso_required: false })
          : options({ providers, sso_required: false })(req),
      ),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    await user.click(await screen.findByRole('button', { name: 'Continue with Acme Entra' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This sign-in option is no longer available. Choose another one or reload the page.',
    );
    expect(assign).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Continue with Acme Entra' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Continue with Acme Okta' })).toBeTruthy();
  });

  it('hides the password form when the company requires single sign-on', async () => {
    const fetchMock = mockFetch(backend(options({ providers: providers.slice(0, 1), sso_required: true })));
    renderApp(routes(), { route: '/invite/tok123', lang: 'ru' });

    const okta = await screen.findByRole('button', { name: 'Продолжить через Acme Okta' });
    expect(okta.className).toContain('btn-primary');
    expect(screen.queryByLabelText('Пароль')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Принять приглашение' })).toBeNull();
    expect(screen.queryByText('или')).toBeNull();
    expect(
      screen.getByText(
        'Вас пригласили в «Acme». Сотрудники компании входят через её систему единого входа, поэтому пароль здесь задавать не нужно.',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'В системе компании войдите с адресом new@acme.test: приглашение отправлено на него, и с другим адресом принять его не получится.',
      ),
    ).toBeTruthy();
    expect(calls(fetchMock, '/api/auth/invitations/tok123/accept/')).toHaveLength(0);
  });

  it('switches to single sign-on only when the password accept answers 403 sso_required', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const fetchMock = mockFetch(
      backend((req) => {
        if (req.path === '/api/auth/invitations/tok123/accept/')
          return errorResponse(403, 'sso_required', 'Your company signs in through its identity provider.');
        if (req.path === SSO_PATH) return jsonResponse(200, { providers: granted, sso_required: true });
        return options({ providers, sso_required: false })(req);
      }),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    await user.type(await screen.findByLabelText('Password'), 'S3cure-pass');
    await user.type(screen.getByLabelText('Confirm password'), 'S3cure-pass');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    const explanation = await screen.findByText(
      'At your company sign-in, use new@acme.test: the invitation was sent to this address and cannot be accepted with another one.',
    );
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Accept invitation' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(
      screen.getByText(
        'You have been invited to “Acme”. The company signs in through its identity provider, so there is no password to choose here.',
      ),
    ).toBeTruthy();
    // The focus is not lost with the form.
    expect(document.activeElement).toBe(explanation);
    expect(calls(fetchMock, '/api/auth/invitations/tok123/accept/')).toHaveLength(1);
    expect(api.session).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Continue with Acme Entra' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/sso/oidc/acme-entra/login/?link=grant-oidc'));
  });

  it('fetches the buttons again after a 403 sso_required when none were known', async () => {
    const user = userEvent.setup();
    let optionsCalls = 0;
    mockFetch(
      backend((req) => {
        if (req.path === '/api/auth/invitations/tok123/accept/')
          return errorResponse(403, 'sso_required', 'Your company signs in through its identity provider.');
        if (req.path === '/api/auth/sso/options/') {
          optionsCalls += 1;
          return optionsCalls === 1
            ? errorResponse(503, 'unavailable', 'Try later.')
            : jsonResponse(200, { providers: providers.slice(0, 1), sso_required: true });
        }
        return pass();
      }),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    await user.type(await screen.findByLabelText('Password'), 'S3cure-pass');
    await user.type(screen.getByLabelText('Confirm password'), 'S3cure-pass');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    expect(await screen.findByRole('button', { name: 'Continue with Acme Okta' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(optionsCalls).toBe(2);
  });

  it('still accepts with a password when single sign-on is offered but not required', async () => {
    const user = userEvent.setup();
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    mockFetch(
      backend((req) =>
        req.path === '/api/auth/invitations/tok123/accept/'
          ? jsonResponse(200, { access, user: makeUser({ role: 'learner', email: 'new@acme.test' }) })
          : options({ providers, sso_required: false })(req),
      ),
    );
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    await user.type(await screen.findByLabelText('Password'), 'S3cure-pass');
    await user.type(screen.getByLabelText('Confirm password'), 'S3cure-pass');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('heading', { name: 'Learning landing' })).toBeTruthy();
    expect(api.session?.access).toBe(access);
  });
});
