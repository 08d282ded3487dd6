import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../api/client';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp, type Handler } from '../test/utils';
import { LoginPage } from './LoginPage';

const branding = {
  display_name: 'FFS',
  logo_url: null,
  favicon_url: null,
  primary_color: '#222222',
  accent_color: '#cc0066',
  support_email: null,
  metrika_id: null,
  tenant: { slug: 'public', kind: 'public', name: 'FFS' },
};

function backend(login: Handler): Handler {
  return (req) => {
    if (req.path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'No session');
    if (req.path === '/api/branding/') return jsonResponse(200, branding);
    if (req.path === '/api/auth/token/') return login(req);
    return errorResponse(404, 'not_found', 'Not found');
  };
}

function renderLogin(lang: 'ru' | 'en' = 'ru') {
  return renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/platform/tenants" element={<h1>Tenants landing</h1>} />
      <Route path="/learning" element={<h1>Learning landing</h1>} />
    </Routes>,
    { route: '/login', lang },
  );
}

describe('LoginPage', () => {
  afterEach(() => {
    api.clearSession();
  });

  it('renders the Russian labels by default', () => {
    mockFetch(backend(() => errorResponse(500, 'x', 'x')));
    renderLogin();
    expect(screen.getByRole('heading', { level: 1 })).toBeTruthy();
    expect(screen.getByLabelText('Эл. почта')).toHaveProperty('type', 'email');
    expect(screen.getByLabelText('Пароль')).toHaveProperty('type', 'password');
    expect(screen.getByRole('button', { name: 'Войти' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('renders the English labels', () => {
    mockFetch(backend(() => errorResponse(500, 'x', 'x')));
    renderLogin('en');
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('shows the server error message in an alert', async () => {
    const user = userEvent.setup();
    const fetchMock = mockFetch(
      backend(() => errorResponse(401, 'invalid_credentials', 'Неверная эл. почта или пароль.')),
    );
    renderLogin();

    await user.type(screen.getByLabelText('Эл. почта'), 'user@example.com');
    await user.type(screen.getByLabelText('Пароль'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Войти' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Неверная эл. почта или пароль.');
    // A failed login must not trigger the refresh-and-retry dance.
    const loginCalls = fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/api/auth/token/'));
    expect(loginCalls).toHaveLength(1);
    expect(JSON.parse(String(loginCalls[0][1]?.body))).toEqual({ email: 'user@example.com', password: 'wrong' });
  });

  it('shows field errors next to the fields', async () => {
    const user = userEvent.setup();
    mockFetch(backend(() => errorResponse(400, 'validation_error', 'Check the form.', { email: ['Enter a valid email.'] })));
    renderLogin('en');

    await user.type(screen.getByLabelText('Email'), 'nope');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('alert');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = email.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)?.textContent).toBe('Enter a valid email.');
  });

  it('explains throttling with the Retry-After delay', async () => {
    const user = userEvent.setup();
    mockFetch(backend(() => errorResponse(429, 'throttled', '', undefined, { 'Retry-After': '30' })));
    renderLogin('en');

    await user.type(screen.getByLabelText('Email'), 'user@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('30');
  });

  it('signs in and goes to the landing page of the role', async () => {
    const user = userEvent.setup();
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    mockFetch(backend(() => jsonResponse(200, { access, user: makeUser({ role: 'platform_admin' }) })));
    renderLogin('en');

    await user.type(screen.getByLabelText('Email'), 'admin@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Tenants landing' })).toBeTruthy();
    expect(api.session?.access).toBe(access);
    expect(JSON.stringify({ ...window.localStorage })).not.toContain(access);
  });

  it('sends learners to /learning', async () => {
    const user = userEvent.setup();
    mockFetch(
      backend(() =>
        jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'learner' }) }),
      ),
    );
    renderLogin('en');
    await user.type(screen.getByLabelText('Email'), 'l@example.com');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Learning landing' })).toBeTruthy());
  });
});
