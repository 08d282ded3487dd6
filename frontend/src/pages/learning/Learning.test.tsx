import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { courseCard, courseDetail } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { CoursePage, firstIncompleteLesson } from './CoursePage';
import { MyLearningPage } from './MyLearningPage';

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'learner' }) });
});
afterEach(() => api.clearSession());

describe('MyLearningPage', () => {
  it('shows in-progress, assigned (with due date), completed courses and certificates', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/learning/my/')
        return jsonResponse(200, {
          in_progress: [courseCard({ enrolment: { status: 'active', progress_percent: 35 } })],
          assigned: [
            { ...courseCard({ slug: 'safety', title: 'Safety', enrolment: { status: 'active', progress_percent: 0 } }), due_at: '2030-03-15T12:00:00Z' },
            { ...courseCard({ slug: 'ethics', title: 'Ethics' }), due_at: null },
          ],
          completed: [courseCard({ slug: 'done', title: 'Done course', enrolment: { status: 'completed', progress_percent: 100 } })],
          certificates: [
            {
              code: 'FFS-1',
              course_slug: 'done',
              course_title: 'Done course',
              issued_at: '2030-01-02T10:00:00Z',
              revoked_at: null,
              pdf_url: 'https://cdn.test/FFS-1.pdf',
              verify_url: '/verify/FFS-1',
            },
          ],
        });
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(
      <Routes>
        <Route path="/learning" element={<MyLearningPage />} />
      </Routes>,
      { route: '/learning', lang: 'en' },
    );

    const inProgress = await screen.findByRole('region', { name: 'In progress' });
    const link = within(inProgress).getByRole('link', { name: 'Sewing 101' });
    expect(link.getAttribute('href')).toBe('/learn/sewing-101');
    expect(within(inProgress).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('35');

    const assigned = screen.getByRole('region', { name: 'Assigned' });
    expect(within(assigned).getByText('Due 15 Mar 2030')).toBeTruthy();
    expect(within(assigned).getAllByText(/^Due /)).toHaveLength(1);

    expect(within(screen.getByRole('region', { name: 'Completed' })).getByRole('link', { name: 'Done course' })).toBeTruthy();

    const certificates = screen.getByRole('region', { name: 'Certificates' });
    expect(within(certificates).getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toBe('https://cdn.test/FFS-1.pdf');
    expect(within(certificates).getByRole('link', { name: 'Verification link' }).getAttribute('href')).toBe('/verify/FFS-1');
  });

  it('says when a section is empty', async () => {
    mockFetch(({ path }) =>
      path === '/api/learning/my/'
        ? jsonResponse(200, { in_progress: [], assigned: [], completed: [], certificates: [] })
        : errorResponse(404, 'not_found', 'x'),
    );
    renderApp(
      <Routes>
        <Route path="/learning" element={<MyLearningPage />} />
      </Routes>,
      { route: '/learning' },
    );
    expect(await screen.findByRole('region', { name: 'В процессе' })).toBeTruthy();
    expect(screen.getAllByText('Пока пусто.')).toHaveLength(4);
  });
});

describe('CoursePage', () => {
  it('shows the progress, ticks and "Continue" to the first incomplete lesson', async () => {
    mockFetch(({ path }) =>
      path === '/api/learning/courses/sewing-101/'
        ? jsonResponse(200, courseDetail({ enrolment: { status: 'active', progress_percent: 33 } }))
        : errorResponse(404, 'not_found', 'x'),
    );
    renderApp(
      <Routes>
        <Route path="/learn/:slug" element={<CoursePage />} />
      </Routes>,
      { route: '/learn/sewing-101', lang: 'en' },
    );
    const bar = await screen.findByRole('progressbar', { name: 'Course progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('33');
    expect(screen.getByRole('link', { name: 'Continue' }).getAttribute('href')).toBe('/learn/sewing-101/lessons/12');
    const welcome = screen.getByRole('link', { name: 'Welcome' }).closest('li')!;
    expect(within(welcome).getByText(/^Completed/)).toBeTruthy();
    const stitches = screen.getByRole('link', { name: 'Stitches' }).closest('li')!;
    expect(within(stitches).getByText(/^Not completed/)).toBeTruthy();
  });

  it('sends a learner who is not enrolled to the landing page', async () => {
    mockFetch(({ path }) =>
      path === '/api/learning/courses/sewing-101/' ? errorResponse(403, 'not_enrolled', 'x') : errorResponse(404, 'not_found', 'x'),
    );
    renderApp(
      <Routes>
        <Route path="/learn/:slug" element={<CoursePage />} />
        <Route path="/courses/:slug" element={<h1>Landing</h1>} />
      </Routes>,
      { route: '/learn/sewing-101', lang: 'en' },
    );
    expect(await screen.findByRole('heading', { name: 'Landing' })).toBeTruthy();
  });

  it('finds the first incomplete lesson across modules', () => {
    const course = courseDetail();
    course.modules[0].lessons[1].completed = true;
    expect(firstIncompleteLesson(course)?.id).toBe(21);
    course.modules[1].lessons[0].completed = true;
    expect(firstIncompleteLesson(course)).toBeNull();
  });
});
