import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse, mockFetch, renderApp } from '../test/utils';
import { VerifyPage } from './VerifyPage';

const certificate = {
  code: 'FFS-ABC-123',
  learner_name: 'Kim Lee',
  course_title: 'Sewing 101',
  school_name: 'Fashion Factory School',
  issued_at: '2030-01-02T10:00:00Z',
  valid: true,
  revoked_at: null,
};

function renderVerify(lang: 'en' | 'ru', response: () => Response) {
  const fetchMock = mockFetch(({ path }) => {
    if (path === '/api/verify/FFS-ABC-123/') return response();
    if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'x');
    return errorResponse(404, 'not_found', 'x');
  });
  renderApp(
    <Routes>
      <Route path="/verify/:code" element={<VerifyPage />} />
    </Routes>,
    { route: '/verify/FFS-ABC-123', lang },
  );
  return fetchMock;
}

describe('VerifyPage', () => {
  it('shows a valid certificate without signing in', async () => {
    const fetchMock = renderVerify('en', () => jsonResponse(200, certificate));
    expect((await screen.findByTestId('certificate-status')).textContent).toBe('Valid');
    expect(screen.getByText('Kim Lee')).toBeTruthy();
    expect(screen.getByText('Sewing 101')).toBeTruthy();
    expect(screen.getByText('Fashion Factory School')).toBeTruthy();
    expect(screen.getByText('2 January 2030')).toBeTruthy();
    const call = fetchMock.mock.calls.find(([url]) => String(url) === '/api/verify/FFS-ABC-123/');
    expect((call?.[1]?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('shows a revoked certificate', async () => {
    renderVerify('ru', () => jsonResponse(200, { ...certificate, valid: false, revoked_at: '2030-02-01T00:00:00Z' }));
    expect((await screen.findByTestId('certificate-status')).textContent).toBe('Отозван');
    expect(screen.getByText(/Сертификат отозван/)).toBeTruthy();
  });

  it('treats valid=false as revoked even without a date', async () => {
    renderVerify('en', () => jsonResponse(200, { ...certificate, valid: false }));
    expect((await screen.findByTestId('certificate-status')).textContent).toBe('Revoked');
  });

  it('says when the certificate does not exist', async () => {
    renderVerify('en', () => errorResponse(404, 'not_found', 'Not found'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Certificate not found' })).toBeTruthy();
    expect(screen.queryByTestId('certificate-status')).toBeNull();
  });
});
