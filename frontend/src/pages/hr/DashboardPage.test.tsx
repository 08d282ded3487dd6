import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { courseCard } from '../../test/fixtures';
import { dashboard, departments, group, paged } from '../../test/hrFixtures';
import { laxLabelMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { DashboardPage } from './DashboardPage';

const access = makeJwt(Math.floor(Date.now() / 1000) + 3600);
const originalCreate = URL.createObjectURL;
const originalRevoke = URL.revokeObjectURL;

beforeEach(() => {
  api.setSession({ access, user: makeUser({ role: 'hr_manager' }) });
  URL.createObjectURL = vi.fn(() => 'blob:report');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  api.clearSession();
  URL.createObjectURL = originalCreate;
  URL.revokeObjectURL = originalRevoke;
});

function mockHr(onExport?: (url: string, init: RequestInit) => Response) {
  return mockFetch(({ path, url, init }) => {
    if (path === '/api/hr/reports/dashboard/') {
      const full = new URL(url, 'http://x').searchParams;
      return jsonResponse(
        200,
        full.get('department') ? dashboard({ totals: { ...dashboard().totals, completion_rate: 100, overdue: 0 } }) : dashboard(),
      );
    }
    if (path === '/api/hr/reports/export/' && onExport) return onExport(url, init);
    if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
    if (path === '/api/hr/groups/') return jsonResponse(200, paged([group()]));
    if (path === '/api/catalog/courses/') return jsonResponse(200, paged([courseCard({ slug: 'safety', title: 'Safety' })]));
    return errorResponse(404, 'not_found', 'x');
  });
}

function renderDashboard(lang: 'en' | 'ru' = 'en') {
  return renderApp(
    <Routes>
      <Route path="/hr" element={<DashboardPage />} />
    </Routes>,
    { route: '/hr', lang },
  );
}

describe('DashboardPage', () => {
  it('shows the completion rate, counts, seats, bars and the trend table', async () => {
    mockHr();
    renderDashboard();
    await waitFor(() => expect(screen.getByTestId('completion-rate').textContent).toBe('66.7 %'));
    expect(screen.getByTestId('overdue-count').textContent).toBe('1');
    expect(screen.getByTestId('assigned-count').textContent).toBe('3');
    expect(screen.getByTestId('completed-count').textContent).toBe('2');
    expect(screen.getByTestId('seats-used').textContent).toBe('4 / 10');
    const byDepartment = screen.getByRole('heading', { name: 'By department' }).closest('section')!;
    expect(byDepartment.textContent).toContain('Production / Sewing');
    expect(byDepartment.textContent).toContain('66.7 % (2 of 3)');
    expect(screen.getByRole('heading', { name: 'By course' }).closest('section')!.textContent).toContain('Safety');
    // The filters are the only controls labelled like this (Playwright matches labels by substring).
    for (const label of ['Department', 'Group', 'Course']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    const trend = screen.getByRole('table', { name: /Assigned and completed per week/ });
    expect(trend.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('formats the rate for Russian with a decimal comma', async () => {
    mockHr();
    renderDashboard('ru');
    await waitFor(() => expect(screen.getByTestId('completion-rate').textContent).toBe('66,7 %'));
  });

  it('filters and downloads the export with the bearer token and the filters', async () => {
    const user = userEvent.setup();
    const exports: Array<{ url: string; auth: string | undefined }> = [];
    const fetchMock = mockHr((url, init) => {
      exports.push({ url, auth: (init.headers as Record<string, string>).Authorization });
      const csv = url.includes('file=csv');
      return new Response(csv ? 'a,b\n' : 'PK', {
        status: 200,
        headers: csv ? { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="assignments-20260501-1000.csv"' } : {},
      });
    });
    const clicks: Array<{ download: string; href: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ download: this.download, href: this.href });
    });
    renderDashboard();
    await screen.findByTestId('completion-rate');
    await screen.findByRole('option', { name: 'Production / Sewing' });

    await user.selectOptions(screen.getByLabelText('Department'), '5');
    await waitFor(() => expect(screen.getByTestId('completion-rate').textContent).toBe('100 %'));
    expect(screen.getByTestId('overdue-count').textContent).toBe('0');
    expect(
      fetchMock.mock.calls.some(([url]) => String(url) === '/api/hr/reports/dashboard/?department=5'),
    ).toBe(true);
    expect(screen.getByLabelText('Group')).toBeTruthy();
    expect(screen.getByLabelText('Course')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(exports[0]).toEqual({ url: '/api/hr/reports/export/?file=csv&department=5', auth: `Bearer ${access}` });
    expect(clicks[0]).toEqual({ download: 'assignments-20260501-1000.csv', href: 'blob:report' });

    await user.click(screen.getByRole('button', { name: 'Download XLSX' }));
    await waitFor(() => expect(clicks).toHaveLength(2));
    expect(exports[1].url).toBe('/api/hr/reports/export/?file=xlsx&department=5');
    expect(clicks[1].download).toBe('assignments.xlsx');
  });

  it('shows an export error', async () => {
    const user = userEvent.setup();
    mockHr(() => errorResponse(400, 'invalid_filter', 'Unknown course.'));
    renderDashboard();
    await screen.findByTestId('completion-rate');
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Unknown course.');
  });
});
