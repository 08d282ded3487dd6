import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../api/client';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../test/utils';
import { InvitePage } from './InvitePage';
import { ResetConfirmPage, ResetRequestPage } from './ResetPasswordPage';

function routes() {
  return (
    <Routes>
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route path="/reset-password" element={<ResetRequestPage />} />
      <Route path="/reset-password/:token" element={<ResetConfirmPage />} />
      <Route path="/admin" element={<h1>Admin landing</h1>} />
      <Route path="/learning" element={<h1>Learning landing</h1>} />
    </Routes>
  );
}

afterEach(() => api.clearSession());

describe('invitation accept', () => {
  it('checks the passwords match, then accepts and signs in', async () => {
    const user = userEvent.setup();
    const access = makeJwt(Math.floor(Date.now() / 1000) + 300);
    let accepted: unknown = null;
    mockFetch(({ path, method, init }) => {
      if (path === '/api/auth/invitations/tok123/' && method === 'GET')
        return jsonResponse(200, { email: 'new@acme.test', tenant_name: 'Acme', expires_at: '2030-01-01T00:00:00Z' });
      if (path === '/api/auth/invitations/tok123/accept/' && method === 'POST') {
        accepted = JSON.parse(String(init.body));
        return jsonResponse(200, { access, user: makeUser({ role: 'tenant_admin', email: 'new@acme.test' }) });
      }
      return errorResponse(401, 'not_authenticated', 'x');
    });
    renderApp(routes(), { route: '/invite/tok123', lang: 'en' });

    expect(await screen.findByText(/new@acme\.test/)).toBeTruthy();
    await user.type(screen.getByLabelText('First name'), 'Nina');
    await user.type(screen.getByLabelText('Password'), 'S3cure-pass');
    await user.type(screen.getByLabelText('Confirm password'), 'different');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(screen.getByText('Passwords do not match.')).toBeTruthy();
    expect(accepted).toBeNull();

    await user.clear(screen.getByLabelText('Confirm password'));
    await user.type(screen.getByLabelText('Confirm password'), 'S3cure-pass');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    expect(await screen.findByRole('heading', { name: 'Admin landing' })).toBeTruthy();
    expect(accepted).toEqual({ password: 'S3cure-pass', first_name: 'Nina' });
    expect(api.session?.access).toBe(access);
  });

  it('explains an expired invitation', async () => {
    mockFetch(() => errorResponse(410, 'invitation_expired', 'Expired'));
    renderApp(routes(), { route: '/invite/old', lang: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Invitation is not valid' })).toBeTruthy();
  });
});

describe('password reset', () => {
  it('always answers neutrally to a reset request', async () => {
    const user = userEvent.setup();
    mockFetch(({ path }) =>
      path === '/api/auth/password-reset/' ? new Response(null, { status: 202 }) : errorResponse(404, 'x', 'x'),
    );
    renderApp(routes(), { route: '/reset-password', lang: 'en' });
    await user.type(screen.getByLabelText('Email'), 'someone@example.com');
    await user.click(screen.getByRole('button', { name: 'Send link' }));
    expect(await screen.findByText('If the account exists, we sent a link to reset the password.')).toBeTruthy();
  });

  it('sets the new password and signs in', async () => {
    const user = userEvent.setup();
    let body: unknown = null;
    mockFetch(({ path, init }) => {
      if (path === '/api/auth/password-reset/confirm/') {
        body = JSON.parse(String(init.body));
        return jsonResponse(200, { access: makeJwt(Math.floor(Date.now() / 1000) + 300), user: makeUser({ role: 'learner' }) });
      }
      return errorResponse(401, 'x', 'x');
    });
    renderApp(routes(), { route: '/reset-password/rst-1', lang: 'en' });
    await user.type(screen.getByLabelText('Password'), 'N3w-password');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('heading', { name: 'Learning landing' })).toBeTruthy();
    expect(body).toEqual({ token: 'rst-1', password: 'N3w-password' });
  });

  it('shows an invalid-token error', async () => {
    const user = userEvent.setup();
    mockFetch(() => errorResponse(400, 'invalid_token', 'The link is invalid or expired.'));
    renderApp(routes(), { route: '/reset-password/bad', lang: 'en' });
    await user.type(screen.getByLabelText('Password'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The link is invalid or expired.');
  });
});
