import type { Dashboard, Department, Employee, Group, ImportJob } from '../api/types';

/** Contract-shaped sample data for the HR tests (lms/corporate/api). */
export function employee(overrides: Partial<Employee> = {}): Employee {
  return {
    id: 11,
    user_id: 101,
    email: 'alice@acme.test',
    first_name: 'Alice',
    last_name: 'Smith',
    full_name: 'Alice Smith',
    role: 'learner',
    language: 'ru',
    status: 'active',
    employee_id: 'E-1',
    title: 'Seamstress',
    location: 'Moscow',
    hire_date: '2024-02-01',
    department: { id: 5, path: 'Production/Sewing' },
    manager: null,
    groups: [],
    email_reminders: true,
    email_digest: true,
    deactivated_at: null,
    created_at: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export function department(overrides: Partial<Department> = {}): Department {
  return { id: 5, name: 'Sewing', path: 'Production/Sewing', parent_id: 4, employees: 3, ...overrides };
}

export const departments = (): Department[] => [
  department({ id: 4, name: 'Production', path: 'Production', parent_id: null, employees: 1 }),
  department(),
  department({ id: 6, name: 'Sales', path: 'Sales', parent_id: null, employees: 0 }),
];

export function group(overrides: Partial<Group> = {}): Group {
  return { id: 3, name: 'Sewers', description: '', members: 2, created_at: '2025-01-01T00:00:00Z', ...overrides };
}

export function importJob(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 7,
    filename: 'people.csv',
    dry_run: false,
    status: 'queued',
    file_format: 'csv',
    encoding: 'utf-8',
    total_rows: 0,
    processed_rows: 0,
    progress_percent: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
    file_error: '',
    created_by: 'hr@acme.test',
    created_at: '2026-05-01T10:00:00Z',
    finished_at: null,
    ...overrides,
  };
}

export function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  const figures = { assigned: 3, completed: 2, overdue: 1, in_progress: 0, not_started: 0, completion_rate: 66.7 };
  return {
    generated_at: '2026-05-01T10:00:00Z',
    totals: { ...figures, learners: 3 },
    by_department: [{ id: 5, path: 'Production/Sewing', ...figures }],
    by_course: [{ slug: 'safety', title: 'Safety', ...figures }],
    trend: [
      { week: '2026-04-20', assigned: 2, completed: 0 },
      { week: '2026-04-27', assigned: 1, completed: 2 },
    ],
    seats: { used: 4, limit: 10, available: 6 },
    ...overrides,
  };
}

export const paged = <T,>(results: T[], count = results.length) => ({ count, next: null, previous: null, results });
