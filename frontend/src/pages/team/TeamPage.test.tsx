import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { TeamPage } from './TeamPage';

const corporate = { slug: 'acme', schema: 'acme', kind: 'corporate' as const, name: 'Acme' };

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'learner', tenant: corporate }) });
});
afterEach(() => api.clearSession());

function renderTeam(lang: 'en' | 'ru' = 'en') {
  return renderApp(
    <Routes>
      <Route path="/team" element={<TeamPage />} />
    </Routes>,
    { route: '/team', lang },
  );
}

describe('TeamPage', () => {
  it('says so when the person has no reports', async () => {
    mockFetch(({ path }) => (path === '/api/team/' ? jsonResponse(200, { results: [] }) : errorResponse(404, 'not_found', 'x')));
    renderTeam();
    expect(await screen.findByText('You have no team members.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'My team' })).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says so in Russian too', async () => {
    mockFetch(({ path }) => (path === '/api/team/' ? jsonResponse(200, { results: [] }) : errorResponse(404, 'not_found', 'x')));
    renderTeam('ru');
    expect(await screen.findByText('В вашей команде пока никого нет.')).toBeTruthy();
  });

  it('lists members with counts and expands their assignments', async () => {
    const user = userEvent.setup();
    mockFetch(({ path }) =>
      path === '/api/team/'
        ? jsonResponse(200, {
            results: [
              {
                id: 11,
                email: 'alice@acme.test',
                name: 'Alice Smith',
                department: 'Production/Sewing',
                manager_id: 1,
                assigned: 2,
                completed: 1,
                overdue: 1,
                assignments: [
                  { course: { slug: 'safety', title: 'Safety' }, due_at: '2026-01-10T20:59:59Z', required: true, status: 'overdue', progress_percent: 40, completed_at: null },
                  { course: { slug: 'ethics', title: 'Ethics' }, due_at: null, required: false, status: 'completed', progress_percent: 100, completed_at: '2026-01-01T00:00:00Z' },
                ],
              },
            ],
          })
        : errorResponse(404, 'not_found', 'x'),
    );
    renderTeam();
    const row = (await screen.findByRole('rowheader', { name: /Alice Smith/ })).closest('tr')!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Production / Sewing', '2', '1', '1', 'Show assignments Alice Smith']);

    const toggle = within(row).getByRole('button', { name: 'Show assignments Alice Smith' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const details = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(details.hidden).toBe(true);
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(details.hidden).toBe(false);
    expect(within(details).getByText('Safety')).toBeTruthy();
    expect(screen.getByText('Due 10 Jan 2026')).toBeTruthy();
    expect(screen.getByText('overdue')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Progress: Alice Smith — Safety' }).getAttribute('aria-valuenow')).toBe('40');
  });
});
