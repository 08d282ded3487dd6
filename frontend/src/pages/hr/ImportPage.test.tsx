import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { importJob, paged } from '../../test/hrFixtures';
import { laxLabelMatches, textMatches } from '../../test/locators';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { ImportPage } from './ImportPage';

const corporate = { slug: 'acme', schema: 'acme', kind: 'corporate' as const, name: 'Acme' };

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'hr_manager', tenant: corporate }) });
});
afterEach(() => api.clearSession());

function renderImport() {
  return renderApp(
    <Routes>
      <Route path="/hr/import" element={<ImportPage pollMs={10} />} />
    </Routes>,
    { route: '/hr/import', lang: 'en' },
  );
}

describe('ImportPage', () => {
  it('uploads the file, polls until done and shows the counts and row errors', async () => {
    const user = userEvent.setup();
    let sent: FormData | null = null;
    const states = [
      importJob({ status: 'running', total_rows: 4, processed_rows: 2, progress_percent: 50 }),
      importJob({
        status: 'done',
        dry_run: true,
        total_rows: 4,
        processed_rows: 4,
        progress_percent: 100,
        created: 2,
        updated: 1,
        unchanged: 0,
        failed: 1,
        errors: [{ row: 3, column: 'email', message: 'Not a valid e-mail.' }],
      }),
    ];
    let polls = 0;
    mockFetch(({ path, method, init }) => {
      if (path === '/api/hr/imports/' && method === 'POST') {
        sent = init.body as FormData;
        return jsonResponse(202, importJob({ dry_run: true }));
      }
      if (path === '/api/hr/imports/') return jsonResponse(200, paged(polls >= 2 ? [states[1]] : []));
      if (path === '/api/hr/imports/7/') {
        const job = states[Math.min(polls, states.length - 1)];
        polls += 1;
        return jsonResponse(200, job);
      }
      return errorResponse(404, 'not_found', 'x');
    });
    renderImport();

    expect(await screen.findByText('No imports yet.')).toBeTruthy();
    expect(screen.getByText(/email \(e-mail, почта\)/)).toBeTruthy();
    expect(screen.getByText(/groups \(группы\) — separated by “;”/)).toBeTruthy();

    const input = screen.getByLabelText('File') as HTMLInputElement;
    expect(input.accept).toBe('.csv,.xlsx');
    await user.upload(input, new File(['email\nalice@acme.test\n'], 'people.csv', { type: 'text/csv' }));
    await user.click(screen.getByLabelText('Dry run'));
    await user.click(screen.getByRole('button', { name: 'Import' }));

    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('done'));
    expect(sent!.get('dry_run')).toBe('true');
    expect(sent!.get('send_invitations')).toBe('false');
    expect((sent!.get('file') as File).name).toBe('people.csv');

    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByTestId('import-created').textContent).toBe('2');
    expect(screen.getByTestId('import-updated').textContent).toBe('1');
    expect(screen.getByTestId('import-unchanged').textContent).toBe('0');
    expect(screen.getByTestId('import-failed').textContent).toBe('1');
    for (const label of ['Created', 'Updated', 'Unchanged', 'Failed']) {
      expect(screen.getAllByText(label).length).toBeGreaterThan(0);
    }
    expect(screen.getByText('This was a dry run: nothing was changed.')).toBeTruthy();

    const errors = screen.getByRole('table', { name: 'Row errors' });
    const row = within(errors).getByText('Not a valid e-mail.').closest('tr')!;
    expect(within(row).getByText('3')).toBeTruthy();
    expect(within(row).getByText('email')).toBeTruthy();

    // The recent-imports list shows the finished job without making "Created … 2" ambiguous.
    expect(await screen.findByText('new: 2, updated: 1, unchanged: 0, failed: 1')).toBeTruthy();
    expect(textMatches(document.body, /Created\D*2/)).toEqual([screen.getByTestId('import-created').parentElement]);
    for (const label of ['File', 'Send invitations', 'Dry run']) expect(laxLabelMatches(document.body, label)).toHaveLength(1);

    // Polling stops once the job is finished.
    const seen = polls;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(polls).toBe(seen);
    expect(polls).toBe(2);
  });

  it('shows a file-level failure as an alert', async () => {
    const user = userEvent.setup();
    mockFetch(({ path, method }) => {
      if (path === '/api/hr/imports/' && method === 'POST') return jsonResponse(202, importJob());
      if (path === '/api/hr/imports/') return jsonResponse(200, paged([]));
      if (path === '/api/hr/imports/7/')
        return jsonResponse(200, importJob({ status: 'failed', progress_percent: 100, file_error: 'Required column missing: email.' }));
      return errorResponse(404, 'not_found', 'x');
    });
    renderImport();
    await user.upload(screen.getByLabelText('File'), new File(['name\nx\n'], 'bad.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('failed'));
    expect(screen.getByRole('alert').textContent).toBe('Required column missing: email.');
  });

  it('asks for a file before uploading', async () => {
    const user = userEvent.setup();
    const fetchMock = mockFetch(({ path }) => (path === '/api/hr/imports/' ? jsonResponse(200, paged([])) : errorResponse(404, 'x', 'x')));
    renderImport();
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(screen.getByText('Choose a CSV or XLSX file.')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });
});
