import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { courseCard } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { MyLearningPage } from './MyLearningPage';

const corporate = { slug: 'acme', schema: 'acme', kind: 'corporate' as const, name: 'Acme' };

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'learner', tenant: corporate }) });
});
afterEach(() => api.clearSession());

function mockMy(preferences = { email_reminders: true, email_digest: true }) {
  const patches: unknown[] = [];
  mockFetch(({ path, method, init }) => {
    if (path === '/api/learning/my/')
      return jsonResponse(200, {
        in_progress: [],
        assigned: [
          { ...courseCard({ slug: 'late', title: 'Late course' }), due_at: '2020-01-15T20:59:59Z', required: true },
          { ...courseCard({ slug: 'soon', title: 'Soon course' }), due_at: '2099-12-31T12:00:00Z', required: false },
        ],
        completed: [],
        certificates: [],
      });
    if (path === '/api/me/preferences/' && method === 'PATCH') {
      const body = JSON.parse(String(init.body));
      patches.push(body);
      return jsonResponse(200, { ...preferences, ...body });
    }
    if (path === '/api/me/preferences/') return jsonResponse(200, preferences);
    return errorResponse(404, 'not_found', 'x');
  });
  return patches;
}

function renderMy(lang: 'en' | 'ru') {
  return renderApp(
    <Routes>
      <Route path="/learning" element={<MyLearningPage />} />
    </Routes>,
    { route: '/learning', lang },
  );
}

describe('MyLearningPage assigned cards', () => {
  it('shows the due date, Required/Optional and Overdue badges', async () => {
    mockMy();
    renderMy('en');
    const assigned = await screen.findByRole('region', { name: 'Assigned' });
    const late = within(assigned).getByRole('link', { name: 'Late course' }).closest('article')!;
    expect(within(late).getByText('Due 15 Jan 2020')).toBeTruthy();
    expect(within(late).getByText('Required')).toBeTruthy();
    expect(within(late).getByText('Overdue')).toBeTruthy();
    const soon = within(assigned).getByRole('link', { name: 'Soon course' }).closest('article')!;
    expect(within(soon).getByText('Due 31 Dec 2099')).toBeTruthy();
    expect(within(soon).getByText('Optional')).toBeTruthy();
    expect(within(soon).queryByText('Overdue')).toBeNull();
  });

  it('uses the Russian date format', async () => {
    mockMy();
    renderMy('ru');
    const assigned = await screen.findByRole('region', { name: 'Назначено' });
    expect(within(assigned).getByText('До 31.12.2099')).toBeTruthy();
    expect(within(assigned).getByText('Просрочен')).toBeTruthy();
  });

  it('saves the e-mail preferences as they are toggled', async () => {
    const user = userEvent.setup();
    const patches = mockMy();
    renderMy('en');
    const reminders = (await screen.findByLabelText('Due-date reminders')) as HTMLInputElement;
    expect(reminders.checked).toBe(true);
    expect((screen.getByLabelText('Weekly digest') as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByLabelText('Weekly digest'));
    expect(await screen.findByText('Preference saved.')).toBeTruthy();
    expect(patches).toEqual([{ email_digest: false }]);
    expect((screen.getByLabelText('Weekly digest') as HTMLInputElement).checked).toBe(false);
  });
});
