import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Assignment } from '../../api/types';
import { translate } from '../../i18n/I18nContext';
import { courseCard } from '../../test/fixtures';
import { departments, employee, group, paged } from '../../test/hrFixtures';
import { laxLabelMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { buildAssignPayload, type AssignFormState } from './assignPayload';
import { AssignmentsPage } from './AssignmentsPage';

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'hr_manager' }) });
});
afterEach(() => api.clearSession());

const assignment = (overrides: Partial<Assignment> = {}): Assignment => ({
  id: 900,
  user: { id: 101, email: 'alice@acme.test', name: 'Alice Smith' },
  course: { slug: 'safety', title: 'Safety' },
  cycle: 1,
  source: 'manual',
  rule_id: null,
  required: true,
  assigned_at: '2026-04-01T10:00:00Z',
  due_at: null,
  recertify_months: null,
  status: 'not_started',
  progress_percent: 0,
  completed_at: null,
  ...overrides,
});

function mockAssignments() {
  const posts: Array<{ path: string; body: unknown }> = [];
  const fetchMock = mockFetch(({ path, method, url, init }) => {
    if (method === 'POST') {
      const body = JSON.parse(String(init.body));
      posts.push({ path, body });
      if (path === '/api/hr/assignments/') return jsonResponse(201, { created: 3, already_assigned: posts.length > 1 ? 1 : 0, people: 4 });
      if (path === '/api/hr/assignments/bulk/') return jsonResponse(200, body.action === 'unassign' ? { cancelled: body.ids.length } : { updated: body.ids.length });
    }
    if (path === '/api/catalog/courses/')
      return jsonResponse(200, paged([courseCard({ slug: 'safety', title: 'Safety' }), courseCard({ slug: 'ethics', title: 'Ethics' })]));
    if (path === '/api/hr/groups/') return jsonResponse(200, paged([group(), group({ id: 8, name: 'Managers' })]));
    if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
    if (path === '/api/hr/employees/') {
      const search = new URL(url, 'http://x').searchParams.get('search');
      return jsonResponse(200, paged(search ? [employee({ id: 11, user_id: 42 })] : []));
    }
    if (path === '/api/hr/assignments/') return jsonResponse(200, paged([assignment(), assignment({ id: 901, user: { id: 102, email: 'bob@acme.test', name: 'Bob' } })]));
    return errorResponse(404, 'not_found', 'x');
  });
  return { posts, fetchMock };
}

function renderAssignments() {
  return renderApp(
    <Routes>
      <Route path="/hr/assignments" element={<AssignmentsPage />} />
    </Routes>,
    { route: '/hr/assignments', lang: 'en' },
  );
}

describe('AssignmentsPage', () => {
  it('posts courses, groups and departments with a fixed due date', async () => {
    const user = userEvent.setup();
    const { posts } = mockAssignments();
    renderAssignments();

    await user.click(await screen.findByRole('checkbox', { name: 'Safety' }));
    await user.click(screen.getByRole('checkbox', { name: 'Sewers' }));
    await user.click(screen.getByRole('checkbox', { name: 'Production / Sewing' }));
    expect(screen.queryByLabelText('Due date')).toBeNull();
    await user.click(screen.getByRole('radio', { name: 'By date' }));
    fireEvent.change(screen.getByLabelText('Due date'), { target: { value: '2030-12-31' } });
    expect((screen.getByRole('checkbox', { name: 'Required' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Assign' }));

    expect(await screen.findByText('Assigned: 3')).toBeTruthy();
    expect(screen.queryByText(/Already assigned/)).toBeNull();
    expect(posts[0]).toEqual({
      path: '/api/hr/assignments/',
      body: {
        courses: ['safety'],
        users: [],
        groups: [3],
        departments: [5],
        due: { kind: 'date', date: '2030-12-31' },
        required: true,
        recertify_months: null,
      },
    });
  });

  it('posts picked people (their user ids) with days after hire and re-certification', async () => {
    const user = userEvent.setup();
    const { posts } = mockAssignments();
    renderAssignments();

    await user.click(await screen.findByRole('checkbox', { name: 'Ethics' }));
    await user.type(screen.getByLabelText('Find employee'), 'alice');
    await user.click(await screen.findByRole('button', { name: /Alice Smith/ }));
    const chips = screen.getByRole('list', { name: 'Selected people' });
    expect(within(chips).getByText('Alice Smith')).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Days after hire' }));
    await user.type(screen.getByLabelText('Days'), '30');
    await user.click(screen.getByRole('checkbox', { name: 'Required' }));
    await user.type(screen.getByLabelText('Re-certify every (months)'), '12');
    await user.click(screen.getByRole('button', { name: 'Assign' }));

    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0].body).toEqual({
      courses: ['ethics'],
      users: [42],
      groups: [],
      departments: [],
      due: { kind: 'after_hire', days: 30 },
      required: false,
      recertify_months: 12,
    });

    // Second submit: the server reports people who already had the course.
    await user.click(screen.getByRole('radio', { name: 'Days after assignment' }));
    await user.click(screen.getByRole('button', { name: 'Assign' }));
    expect(await screen.findByText('Already assigned: 1')).toBeTruthy();
    expect(posts[1].body).toMatchObject({ due: { kind: 'after_assignment', days: 30 } });
  });

  it('validates before posting', async () => {
    const user = userEvent.setup();
    const { posts } = mockAssignments();
    renderAssignments();
    await screen.findByRole('checkbox', { name: 'Safety' });
    await user.click(screen.getByRole('radio', { name: 'Days after assignment' }));
    await user.click(screen.getByRole('button', { name: 'Assign' }));
    expect(screen.getByText('Choose at least one course.')).toBeTruthy();
    expect(screen.getByText('Choose people, groups or departments.')).toBeTruthy();
    expect(screen.getByText('Enter a whole number from 1 to 3650.')).toBeTruthy();
    expect(posts).toHaveLength(0);
  });

  it('unassigns and changes the due date of selected rows', async () => {
    const user = userEvent.setup();
    const { posts } = mockAssignments();
    renderAssignments();
    const alice = await screen.findByRole('checkbox', { name: 'Select', description: /Alice Smith.*Safety/ });
    // No bulk bar (and no second button named like "Assign") until something is selected.
    expect(screen.queryByRole('button', { name: 'Unassign' })).toBeNull();
    expect(screen.getAllByRole('button', { name: /assign/i }).map((b) => b.textContent)).toEqual(['Assign']);
    expect(screen.queryByLabelText('New due date')).toBeNull();

    await user.click(alice);
    expect(screen.getByText('Selected assignments: 1')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Unassign' }));
    expect(await screen.findByText('Unassigned: 1')).toBeTruthy();
    expect(posts[0]).toEqual({ path: '/api/hr/assignments/bulk/', body: { ids: [900], action: 'unassign' } });
    expect(screen.queryByRole('button', { name: 'Unassign' })).toBeNull();

    await user.click(await screen.findByRole('checkbox', { name: 'Select all on this page' }));
    await user.click(screen.getByRole('button', { name: 'Change due date' }));
    expect(screen.getByText('Enter a date.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New due date'), { target: { value: '2031-01-15' } });
    await user.click(screen.getByRole('button', { name: 'Change due date' }));
    expect(await screen.findByText('Due date changed: 2')).toBeTruthy();
    expect(posts[1].body).toEqual({ ids: [900, 901], action: 'set_due', due: { kind: 'date', date: '2031-01-15' } });
  });

  it('keeps course titles unique as labels even when the course is already in the list', async () => {
    mockAssignments();
    renderAssignments();
    await screen.findByRole('checkbox', { name: 'Select', description: /Bob.*Safety/ });
    // getAllByLabelText would list every control whose label is "Safety" (rows use descriptions instead).
    expect(screen.getAllByLabelText('Safety')).toHaveLength(1);
    for (const label of ['Safety', 'Sewers', 'Production / Sewing', 'By date', 'Find employee']) {
      expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    }
  });
});

describe('buildAssignPayload', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);
  const base: AssignFormState = {
    courses: ['safety'],
    users: [42],
    groups: [],
    departments: [],
    due: { kind: 'none', date: '', days: '' },
    required: true,
    recertifyMonths: '',
  };

  it('builds each due kind', () => {
    expect(buildAssignPayload(base, t).payload?.due).toEqual({ kind: 'none' });
    expect(buildAssignPayload({ ...base, due: { kind: 'date', date: '2030-01-02', days: '9' } }, t).payload?.due).toEqual({
      kind: 'date',
      date: '2030-01-02',
    });
    expect(buildAssignPayload({ ...base, due: { kind: 'after_assignment', date: 'x', days: '14' } }, t).payload?.due).toEqual({
      kind: 'after_assignment',
      days: 14,
    });
  });

  it('rejects bad numbers and a missing date', () => {
    expect(buildAssignPayload({ ...base, due: { kind: 'date', date: '', days: '' } }, t).errors).toEqual({ due_date: ['Enter a date.'] });
    expect(buildAssignPayload({ ...base, due: { kind: 'after_hire', date: '', days: '0' } }, t).errors).toHaveProperty('due_days');
    expect(buildAssignPayload({ ...base, recertifyMonths: '121' }, t).errors).toHaveProperty('recertify_months');
    expect(buildAssignPayload({ ...base, recertifyMonths: '2.5' }, t).errors).toHaveProperty('recertify_months');
  });
});
