import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { departments, employee, group, paged } from '../../test/hrFixtures';
import { laxLabelMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { EmployeeDetailPage } from './EmployeeDetailPage';
import { EmployeesPage } from './EmployeesPage';

afterEach(() => api.clearSession());

function signIn(role: Role) {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role }) });
}

function renderEmployees() {
  return renderApp(
    <Routes>
      <Route path="/hr/employees" element={<EmployeesPage />} />
    </Routes>,
    { route: '/hr/employees', lang: 'en' },
  );
}

const addForm = () => screen.getByRole('form', { name: 'Add employee' });

describe('EmployeesPage', () => {
  it('lists employees with seats and shows the seat-limit conflict on Add employee', async () => {
    signIn('hr_manager');
    const user = userEvent.setup();
    let posted: unknown = null;
    const fetchMock = mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/employees/' && method === 'POST') {
        posted = JSON.parse(String(init.body));
        return jsonResponse(409, {
          error: {
            code: 'seat_limit_reached',
            message: 'No free seats: 5 of 5 are in use; 1 more needed.',
            details: { used: 5, limit: 5, available: 0, requested: 1 },
          },
        });
      }
      if (path === '/api/hr/employees/')
        return jsonResponse(200, paged([employee({ manager: { id: 2, email: 'boss@acme.test', name: 'Bob Boss' } }), employee({ id: 12, email: 'inv@acme.test', full_name: '', status: 'invited', department: null })]));
      if (path === '/api/hr/seats/') return jsonResponse(200, { used: 4, limit: 5, available: 1 });
      if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
      if (path === '/api/hr/groups/') return jsonResponse(200, paged([group()]));
      return errorResponse(404, 'not_found', 'x');
    });
    renderEmployees();

    const row = (await screen.findByRole('link', { name: 'Alice Smith' })).closest('tr')!;
    expect(screen.getByRole('link', { name: 'Alice Smith' }).getAttribute('href')).toBe('/hr/employees/11');
    expect(within(row).getByText('Production / Sewing')).toBeTruthy();
    expect(within(row).getByText('active')).toBeTruthy();
    expect(within(row).getByText('Bob Boss')).toBeTruthy();
    expect(within(screen.getByRole('link', { name: 'inv@acme.test' }).closest('tr')!).getByText('invited')).toBeTruthy();
    expect((await screen.findByTestId('seat-usage')).textContent).toBe('Seats: 4 / 5');

    // HR managers cannot grant roles: no "Role" select.
    expect(within(addForm()).queryByLabelText('Role')).toBeNull();
    for (const label of ['Employee ID', 'Job title', 'Department', 'Manager']) {
      expect(within(addForm()).getByLabelText(label)).toBeTruthy();
    }

    for (const label of ['Search', 'Email', 'First name', 'Last name', 'Employee ID', 'Job title', 'Manager', 'Status']) {
      expect(laxLabelMatches(document.body, label)).toHaveLength(1);
    }
    await user.type(within(addForm()).getByLabelText('Email'), 'new@acme.test');
    await user.type(within(addForm()).getByLabelText('First name'), 'Nina');
    await user.type(within(addForm()).getByLabelText('Last name'), 'New');
    await user.selectOptions(within(addForm()).getByLabelText('Department'), '6');
    await user.click(screen.getByRole('button', { name: 'Add employee' }));

    const alert = await within(addForm()).findByRole('alert');
    expect(alert.textContent).toBe('No free seats: 5 of 5 are in use. Deactivate employees who left or ask for more seats.');
    expect(screen.getByTestId('seat-usage').textContent).toBe('Seats: 5 / 5');
    expect(posted).toEqual({
      email: 'new@acme.test',
      first_name: 'Nina',
      last_name: 'New',
      employee_id: '',
      title: '',
      department_id: 6,
      manager_id: null,
    });
    expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(1);
  });

  it('lets a tenant admin choose the role and resolves the manager by e-mail', async () => {
    signIn('tenant_admin');
    const user = userEvent.setup();
    let posted: Record<string, unknown> | null = null;
    mockFetch(({ path, method, url, init }) => {
      if (path === '/api/hr/employees/' && method === 'POST') {
        posted = JSON.parse(String(init.body));
        return jsonResponse(201, employee({ id: 20, email: 'new@acme.test' }));
      }
      if (path === '/api/hr/employees/') {
        const search = new URL(url, 'http://x').searchParams.get('search');
        return jsonResponse(200, paged(search ? [employee({ id: 2, email: 'boss@acme.test', full_name: 'Bob Boss' })] : []));
      }
      if (path === '/api/hr/seats/') return jsonResponse(200, { used: 1, limit: 5, available: 4 });
      if (path === '/api/hr/departments/') return jsonResponse(200, { results: [] });
      if (path === '/api/hr/groups/') return jsonResponse(200, paged([]));
      return errorResponse(404, 'not_found', 'x');
    });
    renderEmployees();
    expect(await screen.findByText('No employees found.')).toBeTruthy();
    await user.type(within(addForm()).getByLabelText('Email'), 'new@acme.test');
    await user.type(within(addForm()).getByLabelText('Manager'), 'boss@acme.test');
    await user.selectOptions(within(addForm()).getByLabelText('Role'), 'hr_manager');
    await user.click(screen.getByRole('button', { name: 'Add employee' }));
    expect(await screen.findByText('Invitation sent to new@acme.test.')).toBeTruthy();
    expect(posted).toMatchObject({ email: 'new@acme.test', manager_id: 2, role: 'hr_manager' });
  });
});

describe('EmployeeDetailPage', () => {
  it('edits groups, deactivates and shows the transcript', async () => {
    signIn('hr_manager');
    const user = userEvent.setup();
    let patch: unknown = null;
    let current = employee();
    mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/employees/11/' && method === 'PATCH') {
        patch = JSON.parse(String(init.body));
        current = { ...current, groups: [{ id: 3, name: 'Sewers' }] };
        return jsonResponse(200, current);
      }
      if (path === '/api/hr/employees/11/') return jsonResponse(200, current);
      if (path === '/api/hr/employees/11/deactivate/') {
        current = { ...current, status: 'deactivated' };
        return jsonResponse(200, current);
      }
      if (path === '/api/hr/employees/11/transcript/')
        return jsonResponse(200, {
          employee: { id: 11, email: 'alice@acme.test', name: 'Alice Smith' },
          assignments: [
            {
              assignment_id: 1,
              course: { slug: 'safety', title: 'Safety' },
              cycle: 1,
              source: 'manual',
              required: true,
              assigned_at: '2026-01-10T10:00:00Z',
              due_at: '2026-02-10T20:59:59Z',
              state: 'current',
              status: 'overdue',
              progress_percent: 40,
              completed_at: null,
              certificate: null,
            },
          ],
          self_directed: [],
        });
      if (path === '/api/hr/departments/') return jsonResponse(200, { results: departments() });
      if (path === '/api/hr/groups/') return jsonResponse(200, paged([group()]));
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/hr/employees/:id" element={<EmployeeDetailPage />} />
      </Routes>,
      { route: '/hr/employees/11', lang: 'en' },
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Alice Smith' })).toBeTruthy();
    const transcript = await screen.findByRole('region', { name: 'Transcript' });
    expect(within(await within(transcript).findByText('Safety').then((c) => c.closest('tr')!)).getByText('overdue')).toBeTruthy();

    await user.click(await screen.findByRole('checkbox', { name: 'Sewers' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changes saved.')).toBeTruthy();
    expect(patch).toEqual({ group_ids: [3] });

    expect(screen.queryByRole('button', { name: 'Resend invitation' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Deactivate' }));
    expect(await screen.findByRole('button', { name: 'Reactivate' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByText('deactivated').length).toBeGreaterThan(0));
  });
});
