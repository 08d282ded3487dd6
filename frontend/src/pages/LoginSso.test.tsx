import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { api } from '../api/client';
import type { Lang } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { pageNavigation } from '../auth/redirect';
import { BrandingProvider } from '../branding/BrandingContext';
import { I18nProvider } from '../i18n/I18nContext';
import { laxLabelMatches } from '../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp, type Handler } from '../test/utils';
import { LoginPage } from './LoginPage';

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
const storefront = { ...corporate, display_name: 'FFS', tenant: { slug: 'public', kind: 'public', name: 'FFS' } };

const providers = [
  { name: 'Acme IdP', protocol: 'saml', login_url: '/sso/saml/acme-idp/login/' },
  { name: 'Acme Azure', protocol: 'oidc', login_url: '/sso/oidc/acme-azure/login/' },
];

function backend(overrides: Handler, branding: object = corporate): Handler {
  return async (req) => {
    const answer = await overrides(req);
    if (answer.status !== 599) return answer;
    if (req.path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'No session');
    if (req.path === '/api/branding/') return jsonResponse(200, branding);
    return errorResponse(404, 'not_found', 'Not found');
  };
}
/** "Not handled here" for backend(). */
const pass = () => new Response(null, { status: 599 });

function renderLogin({ lang = 'en' as Lang, from }: { lang?: Lang; from?: string } = {}) {
  return render(
    <I18nProvider initialLang={lang}>
      <AuthProvider>
        <BrandingProvider>
          <MemoryRouter initialEntries={[{ pathname: '/login', state: from ? { from } : null }]}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/admin" element={<h1>Admin landing</h1>} />
            </Routes>
          </MemoryRouter>
        </BrandingProvider>
      </AuthProvider>
    </I18nProvider>,
  );
}

const bodyOf = (init: RequestInit) => JSON.parse(String(init.body)) as unknown;

afterEach(() => {
  api.clearSession();
});

describe('LoginPage: single sign-on buttons', () => {
  it('shows one "Sign in with" button per provider going to its login URL with the intended path', async () => {
    mockFetch(
      backend(({ path }) =>
        path === '/api/auth/sso/options/' ? jsonResponse(200, { providers, sso_required: false }) : pass(),
      ),
    );
    renderLogin({ from: '/learn/safety?tab=2' });

    const saml = await screen.findByRole('link', { name: 'Sign in with Acme IdP' });
    expect(saml.getAttribute('href')).toBe('/sso/saml/acme-idp/login/?next=%2Flearn%2Fsafety%3Ftab%3D2');
    expect(screen.getByRole('link', { name: 'Sign in with Acme Azure' }).getAttribute('href')).toBe(
      '/sso/oidc/acme-azure/login/?next=%2Flearn%2Fsafety%3Ftab%3D2',
    );
    // The password form is there as before, and "Sign in" stays one unambiguous button.
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /sign in/i }).map((b) => b.textContent)).toEqual(['Sign in']);
    for (const label of ['Email', 'Password']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Sign in with a password (administrators)' })).toBeNull();
  });

  it('comes back to /learning when no page asked for the sign-in, in Russian too', async () => {
    mockFetch(
      backend(({ path }) =>
        path === '/api/auth/sso/options/' ? jsonResponse(200, { providers: providers.slice(0, 1), sso_required: false }) : pass(),
      ),
    );
    renderLogin({ lang: 'ru' });
    const link = await screen.findByRole('link', { name: 'Войти через Acme IdP' });
    expect(link.getAttribute('href')).toBe('/sso/saml/acme-idp/login/?next=%2Flearning');
  });

  it('shows no buttons when the host has no providers or the call fails', async () => {
    const fetchMock = mockFetch(backend(() => pass()));
    renderLogin();
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/auth/sso/options/'))).toBe(true),
    );
    expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('puts single sign-on first and the password form behind a disclosure when SSO is required', async () => {
    const user = userEvent.setup();
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    const fetchMock = mockFetch(
      backend(({ path }) => {
        if (path === '/api/auth/sso/options/') return jsonResponse(200, { providers: providers.slice(0, 1), sso_required: true });
        if (path === '/api/auth/token/') return jsonResponse(200, { access, user: makeUser({ role: 'tenant_admin' }) });
        return pass();
      }),
    );
    renderLogin();

    const toggle = await screen.findByRole('button', { name: 'Sign in with a password (administrators)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const form = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(form.hidden).toBe(true);
    // Hidden controls are out of the accessibility tree: no password "Sign in" button for now.
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    const sso = screen.getByRole('link', { name: 'Sign in with Acme IdP' });
    expect(sso.compareDocumentPosition(toggle) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByText('Your company uses single sign-on: sign in through its identity provider.')).toBeTruthy();

    await user.click(toggle);
    expect(form.hidden).toBe(false);
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    expect(screen.queryByRole('button', { name: 'Sign in with a password (administrators)' })).toBeNull();

    // The fallback admin signs in with the unchanged password form.
    await user.type(screen.getByLabelText('Email'), 'admin@acme.test');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Admin landing' })).toBeTruthy();
    const login = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/api/auth/token/'));
    expect(bodyOf(login![1]!)).toEqual({ email: 'admin@acme.test', password: 'pw' });
  });

  it('explains a password sign-in refused because the company requires single sign-on', async () => {
    const user = userEvent.setup();
    mockFetch(
      backend(({ path }) => {
        if (path === '/api/auth/sso/options/') return jsonResponse(200, { providers: providers.slice(0, 1), sso_required: true });
        if (path === '/api/auth/token/') return errorResponse(403, 'sso_required', 'Your company signs in through its identity provider.');
        return pass();
      }),
    );
    renderLogin({ lang: 'ru' });
    await user.click(await screen.findByRole('button', { name: 'Войти по паролю (для администраторов)' }));
    await user.type(screen.getByLabelText('Эл. почта'), 'kate@acme.test');
    await user.type(screen.getByLabelText('Пароль'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Войти' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Ваша компания входит через единый вход: воспользуйтесь кнопкой входа через её систему.',
    );
  });

  it('keeps the password form open when SSO is required but no provider is enabled', async () => {
    mockFetch(
      backend(({ path }) => (path === '/api/auth/sso/options/' ? jsonResponse(200, { providers: [], sso_required: true }) : pass())),
    );
    renderLogin();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Sign in with a password (administrators)' })).toBeNull();
  });
});

describe('LoginPage: home-realm discovery on the base domain', () => {
  const redirect = 'http://acme.localhost:8000/sso/saml/acme-idp/login/?next=/learning';

  it('offers the company sign-in for a discovered address and goes there', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const fetchMock = mockFetch(
      backend(({ path, init }) => {
        if (path === '/api/auth/sso/options/') return jsonResponse(200, { providers: [], sso_required: false });
        if (path === '/api/auth/sso/discover/') {
          const { email } = bodyOf(init) as { email: string };
          return jsonResponse(200, { redirect: email === 'kate@acme.com' ? redirect : null });
        }
        return pass();
      }, storefront),
    );
    renderLogin();

    // Branding tells the page it is on the storefront host.
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/branding/'))).toBe(true));
    await user.type(screen.getByLabelText('Email'), 'Kate@Acme.com');
    await user.tab();

    expect(await screen.findByText('Your company signs in with single sign-on')).toBeTruthy();
    const discover = fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/api/auth/sso/discover/'));
    expect(discover).toHaveLength(1);
    expect(discover[0][1]?.method).toBe('POST');
    expect(bodyOf(discover[0][1]!)).toEqual({ email: 'kate@acme.com' });

    await user.click(screen.getByRole('button', { name: 'Continue with single sign-on' }));
    expect(assign).toHaveBeenCalledWith(redirect);

    // Another address hides the offer again.
    await user.clear(screen.getByLabelText('Email'));
    await user.type(screen.getByLabelText('Email'), 'bob@example.org');
    expect(screen.queryByText('Your company signs in with single sign-on')).toBeNull();
  });

  it('answers a submit without a password with the company sign-in instead of "required"', async () => {
    const user = userEvent.setup();
    const fetchMock = mockFetch(
      backend(({ path }) => {
        if (path === '/api/auth/sso/discover/') return jsonResponse(200, { redirect });
        return pass();
      }, storefront),
    );
    renderLogin();
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/branding/'))).toBe(true));

    await user.type(screen.getByLabelText('Email'), 'kate@acme.com{Enter}');

    expect(await screen.findByRole('button', { name: 'Continue with single sign-on' })).toBeTruthy();
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/auth/token/'))).toBe(false);
  });

  it('leaves the password sign-in unchanged for addresses without a company sign-in', async () => {
    const user = userEvent.setup();
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    const fetchMock = mockFetch(
      backend(({ path }) => {
        if (path === '/api/auth/sso/discover/') return jsonResponse(200, { redirect: null });
        if (path === '/api/auth/token/') return jsonResponse(200, { access, user: makeUser({ role: 'tenant_admin' }) });
        return pass();
      }, storefront),
    );
    renderLogin();
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/branding/'))).toBe(true));

    await user.type(screen.getByLabelText('Email'), 'student@example.org');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText('Your company signs in with single sign-on')).toBeNull();

    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Admin landing' })).toBeTruthy();
  });

  it('does not ask discovery on a company host', async () => {
    const user = userEvent.setup();
    const fetchMock = mockFetch(backend(() => pass()));
    renderLogin();
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/branding/'))).toBe(true));
    await user.type(screen.getByLabelText('Email'), 'kate@acme.com');
    await user.tab();
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/api/auth/sso/discover/'))).toBe(false);
  });
});

describe('Coming back from the identity provider', () => {
  it('signs in from the refresh cookie alone on the full page load of the `next` path', async () => {
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    const fetchMock = mockFetch(
      backend(({ path }) => {
        // The SSO redirect set only the HttpOnly refresh cookie: the SPA's silent refresh does the rest.
        if (path === '/api/auth/refresh/')
          return jsonResponse(200, { access, user: makeUser({ role: 'learner', email: 'kate@acme.test' }) });
        if (path === '/api/learning/my/') return jsonResponse(200, { in_progress: [], assigned: [], completed: [], certificates: [] });
        return pass();
      }),
    );
    renderApp(<AppRoutes />, { route: '/learning', lang: 'en' });

    expect(await screen.findByRole('button', { name: 'Log out' })).toBeTruthy();
    expect(screen.getByText('kate@acme.test')).toBeTruthy();
    expect(api.session?.access).toBe(access);
    const refresh = fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/api/auth/refresh/'));
    expect(refresh[0][1]).toMatchObject({ method: 'POST', credentials: 'include' });
  });

  it('ends the identity provider session too when the logout answer says where', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    mockFetch(
      backend(({ path }) => {
        if (path === '/api/auth/refresh/')
          return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'learner' }) });
        if (path === '/api/auth/logout/') return jsonResponse(200, { sso_logout_url: '/sso/saml/acme-idp/logout/?code=xyz' });
        if (path === '/api/learning/my/') return jsonResponse(200, { in_progress: [], assigned: [], completed: [], certificates: [] });
        return pass();
      }),
    );
    renderApp(<AppRoutes />, { route: '/learning', lang: 'en' });
    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith('/sso/saml/acme-idp/logout/?code=xyz'));
    expect(api.session).toBeNull();
  });
});
