import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Rule } from '../../api/types';
import { courseCard } from '../../test/fixtures';
import { departments, group, paged } from '../../test/hrFixtures';
import { laxLabelMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { RulesPage } from './RulesPage';
import { SettingsPage } from './SettingsPage';

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'hr_manager' }) });
});
afterEach(() => api.clearSession());

const rule = (overrides: Partial<Rule> = {}): Rule => ({
  id: 1,
  name: 'Safety for sewers',
  course: { slug: 'safety', title: 'Safety' },
  target: { kind: 'group', id: 3, name: 'Sewers' },
  due_days: 14,
  due_from: 'assignment',
  required: true,
  recertify_months: null,
  is_active: true,
  created_by: 'hr@acme.test',
  created_at: '2026-01-01T00:00:00Z',
  last_applied_at: null,
  ...overrides,
});

describe('RulesPage', () => {
  it('lists rules, saves a new attribute rule and reports how many were assigned', async () => {
    const user = userEvent.setup();
    const rules = [rule()];
    let posted: unknown = null;
    mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/rules/' && method === 'POST') {
        posted = JSON.parse(String(init.body));
        const saved = rule({ id: 2, name: 'Managers', target: { kind: 'attribute', attribute: 'title', value: 'Manager' } });
        rules.push(saved);
        return jsonResponse(201, { ...saved, assigned_now: 4 });
      }
      if (path === '/api/hr/rules/') return jsonResponse(200, { results: rules });
      if (path === '/api/catalog/courses/') return jsonResponse(200, paged([courseCard({ slug: 'safety', title: 'Safety' })]));
      if (path === '/api/hr/groups/') return jsonResponse(200, paged([group()]));
      if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/hr/rules" element={<RulesPage />} />
      </Routes>,
      { route: '/hr/rules', lang: 'en' },
    );
    expect(await screen.findByText('Group “Sewers”')).toBeTruthy();
    expect(screen.getByText('14 days after assignment')).toBeTruthy();

    for (const label of ['Rule name', 'Course', 'Due in days', 'Counted from', 'Re-certify every (months)', 'Active']) {
      expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    }
    await user.type(screen.getByLabelText('Rule name'), 'Managers');
    await screen.findByRole('option', { name: 'Safety' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Course' }), 'safety');
    await user.click(screen.getByRole('radio', { name: 'Attribute' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Attribute' }), 'title');
    await user.type(screen.getByLabelText('Value'), 'Manager');
    await user.type(screen.getByLabelText('Due in days'), '30');
    await user.selectOptions(screen.getByLabelText('Counted from'), 'hire');
    await user.click(screen.getByRole('button', { name: 'Save rule' }));

    expect((await screen.findByTestId('assigned-now')).textContent).toBe('Assigned now: 4');
    expect(posted).toEqual({
      name: 'Managers',
      course: 'safety',
      target: { kind: 'attribute', attribute: 'title', value: 'Manager' },
      due_days: 30,
      due_from: 'hire',
      required: true,
      recertify_months: null,
      is_active: true,
    });
    expect(await screen.findByText('Job title: Manager')).toBeTruthy();
  });
});

describe('SettingsPage', () => {
  it('loads and saves the notification settings', async () => {
    const user = userEvent.setup();
    let patch: unknown = null;
    mockFetch(({ path, method, init }) => {
      if (path !== '/api/hr/notification-settings/') return errorResponse(404, 'not_found', 'x');
      if (method === 'PATCH') {
        patch = JSON.parse(String(init.body));
        return jsonResponse(200, patch);
      }
      return jsonResponse(200, { reminder_days_before: 3, escalation_days_after: 1, digest_weekday: 0, recertification_lead_days: 30 });
    });
    renderApp(
      <Routes>
        <Route path="/hr/settings" element={<SettingsPage />} />
      </Routes>,
      { route: '/hr/settings', lang: 'en' },
    );
    const reminder = await screen.findByLabelText('Reminder (days before the due date)');
    expect((reminder as HTMLInputElement).value).toBe('3');
    await user.clear(reminder);
    await user.type(reminder, '5');
    await user.selectOptions(screen.getByLabelText('Weekly digest day'), 'Friday');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByText('Changes saved.')).toBeTruthy());
    expect(patch).toEqual({ digest_weekday: 4, reminder_days_before: 5, escalation_days_after: 1, recertification_lead_days: 30 });
  });
});
