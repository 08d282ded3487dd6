import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { BrandingPage } from './BrandingPage';

const initial = {
  display_name: 'Acme Academy',
  logo_url: null,
  favicon_url: null,
  primary_color: '#112233',
  accent_color: '#445566',
  support_email: null,
  metrika_id: null,
  tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' },
};

afterEach(() => {
  api.clearSession();
  document.documentElement.removeAttribute('style');
});

describe('BrandingPage', () => {
  it('sends a multipart PATCH with the fields and the logo, then applies the result', async () => {
    const user = userEvent.setup();
    api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'tenant_admin' }) });
    let sent: FormData | null = null;
    mockFetch(({ path, method, init }) => {
      if (path === '/api/branding/') return jsonResponse(200, initial);
      if (path === '/api/tenant/branding/' && method === 'PATCH') {
        sent = init.body as FormData;
        return jsonResponse(200, {
          ...initial,
          display_name: String(sent.get('display_name')),
          primary_color: String(sent.get('primary_color')),
          logo_url: '/media/acme/logo.png',
        });
      }
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/admin" element={<BrandingPage />} />
      </Routes>,
      { route: '/admin', lang: 'en' },
    );

    const name = await screen.findByLabelText('Display name');
    expect((name as HTMLInputElement).value).toBe('Acme Academy');
    expect((screen.getByLabelText('Primary colour') as HTMLInputElement).type).toBe('color');
    expect(screen.getByLabelText('Accent colour')).toBeTruthy();
    expect(screen.getByLabelText('Support e-mail')).toBeTruthy();
    expect(screen.getByLabelText('Favicon')).toBeTruthy();

    await user.clear(name);
    await user.type(name, 'Acme School');
    fireEvent.input(screen.getByLabelText('Primary colour'), { target: { value: '#ff0000' } });
    const logo = new File(['png'], 'logo.png', { type: 'image/png' });
    await user.upload(screen.getByLabelText('Logo'), logo);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Branding saved.')).toBeTruthy();
    const form = sent as unknown as FormData;
    expect(form.get('display_name')).toBe('Acme School');
    expect(form.get('primary_color')).toBe('#ff0000');
    expect((form.get('logo') as File).name).toBe('logo.png');
    expect(form.get('favicon')).toBeNull();
    expect(document.title).toBe('Acme School');
    expect(document.documentElement.style.getPropertyValue('--color-primary')).toBe('#ff0000');
  });
});
