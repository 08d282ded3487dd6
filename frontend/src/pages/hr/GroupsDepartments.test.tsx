import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { departments, employee, group, paged } from '../../test/hrFixtures';
import { laxLabelMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { buildDepartmentTree, subtreeIds } from './departmentTree';
import { DepartmentsPage } from './DepartmentsPage';
import { GroupDetailPage } from './GroupDetailPage';
import { GroupsPage } from './GroupsPage';

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'hr_manager' }) });
});
afterEach(() => api.clearSession());

describe('GroupsPage', () => {
  it('lists groups with member counts and creates one', async () => {
    const user = userEvent.setup();
    const groups = [group()];
    mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/groups/' && method === 'POST') {
        const created = group({ id: 9, name: JSON.parse(String(init.body)).name, members: 0 });
        groups.push(created);
        return jsonResponse(201, created);
      }
      if (path === '/api/hr/groups/') return jsonResponse(200, paged(groups));
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/hr/groups" element={<GroupsPage />} />
      </Routes>,
      { route: '/hr/groups', lang: 'en' },
    );
    const link = await screen.findByRole('link', { name: 'Sewers' });
    expect(link.getAttribute('href')).toBe('/hr/groups/3');
    expect(within(link.closest('tr')!).getByText('2')).toBeTruthy();
    expect(laxLabelMatches(document.body, 'Group name')).toHaveLength(1);
    await user.type(screen.getByLabelText('Group name'), 'New starters');
    await user.click(screen.getByRole('button', { name: 'Create group' }));
    expect(await screen.findByRole('link', { name: 'New starters' })).toBeTruthy();
  });
});

describe('GroupDetailPage', () => {
  it('adds a found employee, removes a member and renames the group', async () => {
    const user = userEvent.setup();
    const posts: unknown[] = [];
    let name = 'Sewers';
    mockFetch(({ path, method, url, init }) => {
      if (path === '/api/hr/groups/3/members/' && method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return jsonResponse(200, { added: 1, removed: 0 });
      }
      if (path === '/api/hr/groups/3/members/') return jsonResponse(200, paged([employee({ id: 12, full_name: 'Bob Member', email: 'bob@acme.test' })]));
      if (path === '/api/hr/groups/3/' && method === 'PATCH') {
        name = JSON.parse(String(init.body)).name;
        return jsonResponse(200, group({ name }));
      }
      if (path === '/api/hr/groups/3/') return jsonResponse(200, group({ name }));
      if (path === '/api/hr/employees/') {
        const search = new URL(url, 'http://x').searchParams.get('search');
        return jsonResponse(200, paged(search === 'ali' ? [employee()] : []));
      }
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/hr/groups/:id" element={<GroupDetailPage />} />
      </Routes>,
      { route: '/hr/groups/3', lang: 'en' },
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Sewers' })).toBeTruthy();
    const add = screen.getByRole('button', { name: 'Add to group' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    for (const label of ['Find employee', 'Group name']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    await user.type(screen.getByLabelText('Find employee'), 'ali');
    const match = await screen.findByRole('button', { name: /Alice Smith/ });
    expect(match.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(add.disabled).toBe(false));
    await user.click(add);
    expect(await screen.findByText('Alice Smith was added to the group.')).toBeTruthy();
    expect(posts[0]).toEqual({ add: [11] });

    await user.click(await screen.findByRole('button', { name: 'Remove Bob Member' }));
    await waitFor(() => expect(posts[1]).toEqual({ remove: [12] }));

    const nameInput = screen.getByLabelText('Group name');
    await user.clear(nameInput);
    await user.type(nameInput, 'Tailors');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Tailors' })).toBeTruthy();
  });
});

describe('DepartmentsPage', () => {
  it('shows the tree, creates under a parent and shows a 409 on delete', async () => {
    const user = userEvent.setup();
    let created: unknown = null;
    mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/departments/' && method === 'POST') {
        created = JSON.parse(String(init.body));
        return jsonResponse(201, { id: 9, name: 'Cutting', path: 'Production/Cutting', parent_id: 4, employees: 0 });
      }
      if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
      if (path === '/api/hr/departments/4/' && method === 'DELETE')
        return jsonResponse(409, { error: { code: 'department_not_empty', message: 'Move or delete the sub-departments first.' } });
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/hr/departments" element={<DepartmentsPage />} />
      </Routes>,
      { route: '/hr/departments', lang: 'en' },
    );
    const production = (await screen.findByText('Production', { selector: '.dept-name' })).closest('li')!;
    expect(within(production).getByText('Sewing', { selector: '.dept-name' })).toBeTruthy();

    for (const label of ['Department name', 'Parent department']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    await user.type(screen.getByLabelText('Department name'), 'Cutting');
    await user.selectOptions(screen.getByLabelText('Parent department'), '4');
    await user.click(screen.getByRole('button', { name: 'Create department' }));
    expect(await screen.findByText('Department “Production/Cutting” created.')).toBeTruthy();
    expect(created).toEqual({ name: 'Cutting', parent_id: 4 });

    await user.click(screen.getByRole('button', { name: 'Delete Production' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The department still has sub-departments or employees: move them first.',
    );
  });

  it('nests by parent_id and knows the subtree', () => {
    const tree = buildDepartmentTree(departments());
    expect(tree.map((d) => d.name)).toEqual(['Production', 'Sales']);
    expect(tree[0].children.map((d) => d.name)).toEqual(['Sewing']);
    expect([...subtreeIds(tree[0])].sort()).toEqual([4, 5]);
  });
});
