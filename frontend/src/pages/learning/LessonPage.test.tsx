import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { LessonContent } from '../../api/types';
import { lessonContent } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { LessonPage } from './LessonPage';

function renderLesson(id: number | string, lang: 'en' | 'ru' = 'en') {
  return renderApp(
    <Routes>
      <Route path="/learn/:slug/lessons/:lessonId" element={<LessonPage />} />
    </Routes>,
    { route: `/learn/sewing-101/lessons/${id}`, lang },
  );
}

type Call = { method: string; path: string; body: unknown; init: RequestInit };

function serve(routes: Record<string, (call: Call) => Response>) {
  const calls: Call[] = [];
  mockFetch(({ path, method, init }) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const call = { method, path, body, init };
    calls.push(call);
    const handler = routes[`${method} ${path}`];
    if (handler) return handler(call);
    if (path === '/api/branding/') return errorResponse(404, 'not_found', 'x');
    return errorResponse(404, 'not_found', `${method} ${path}`);
  });
  return calls;
}

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'student' }) });
});
afterEach(() => {
  api.clearSession();
  vi.useRealTimers();
});

describe('quiz lesson', () => {
  const quizLesson = lessonContent({
    id: 21,
    title: 'Final quiz',
    kind: 'quiz',
    duration_seconds: null,
    quiz: { pass_mark: 70, attempt_limit: 3, attempts_used: 1, best_score: 40, passed: false, question_count: 2 },
    next_lesson_id: null,
    previous_lesson_id: 12,
  });
  const questions = [
    { id: 1, text: 'Which needle?', kind: 'single', options: [{ id: 11, text: 'Sharp' }, { id: 12, text: 'Blunt' }] },
    { id: 2, text: 'Natural fabrics?', kind: 'multiple', options: [{ id: 21, text: 'Silk' }, { id: 22, text: 'Nylon' }, { id: 23, text: 'Wool' }] },
  ];
  const certificate = {
    code: 'FFS-ABC-123',
    course_slug: 'sewing-101',
    course_title: 'Sewing 101',
    issued_at: '2030-01-02T10:00:00Z',
    revoked_at: null,
    pdf_url: 'https://cdn.test/cert/FFS-ABC-123.pdf?sig=1',
    verify_url: 'https://school.test/verify/FFS-ABC-123',
  };

  it('runs attempts: radios for single, checkboxes for multiple, contract-shaped answers, results and retry', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const calls = serve({
      'GET /api/learning/lessons/21/': () => jsonResponse(200, quizLesson),
      'POST /api/learning/lessons/21/attempts/': () => {
        attempt += 1;
        return jsonResponse(201, { attempt_id: `a${attempt}`, questions });
      },
      'POST /api/learning/attempts/a1/submit/': () =>
        jsonResponse(200, {
          score_percent: 50,
          passed: false,
          pass_mark: 70,
          results: [
            { question_id: 1, correct: true, correct_option_ids: [11] },
            { question_id: 2, correct: false, correct_option_ids: [21, 23] },
          ],
          course_progress_percent: 60,
          certificate: null,
        }),
      'POST /api/learning/attempts/a2/submit/': () =>
        jsonResponse(200, {
          score_percent: 100,
          passed: true,
          pass_mark: 70,
          results: [
            { question_id: 1, correct: true, correct_option_ids: [11] },
            { question_id: 2, correct: true, correct_option_ids: [21, 23] },
          ],
          course_progress_percent: 100,
          certificate,
        }),
    });
    renderLesson(21);

    expect(await screen.findByRole('heading', { level: 1, name: 'Final quiz' })).toBeTruthy();
    expect(screen.getByText('Pass mark: 70%')).toBeTruthy();
    expect(screen.getByText('Attempts: 1 of 3')).toBeTruthy();
    expect(screen.getByText('Best score: 40%')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Start quiz' }));
    const q1 = await screen.findByRole('group', { name: '1. Which needle?' });
    const q2 = screen.getByRole('group', { name: '2. Natural fabrics?' });
    expect(within(q1).getAllByRole('radio')).toHaveLength(2);
    expect(within(q1).queryAllByRole('checkbox')).toHaveLength(0);
    expect(within(q2).getAllByRole('checkbox')).toHaveLength(3);
    // Only submitted attempts count.
    expect(screen.getByText('Attempts: 1 of 3')).toBeTruthy();

    // Unanswered questions are caught before sending.
    await user.click(screen.getByRole('button', { name: 'Submit answers' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Answer every question (2 unanswered).');

    await user.click(within(q1).getByLabelText('Blunt'));
    await user.click(within(q1).getByLabelText('Sharp')); // radios: the last choice wins
    await user.click(within(q2).getByLabelText('Silk'));
    await user.click(within(q2).getByLabelText('Nylon'));
    await user.click(within(q2).getByLabelText('Nylon')); // unticked again
    await user.click(within(q2).getByLabelText('Wool'));
    await user.click(screen.getByRole('button', { name: 'Submit answers' }));

    expect(await screen.findByText('Not passed')).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/learning/attempts/a1/submit/')?.body).toEqual({ answers: { 1: [11], 2: [21, 23] } });
    expect(screen.getByText('Score: 50% (pass mark 70%)')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: '1. Which needle?' })).getByText('Correct')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: '2. Natural fabrics?' })).getByText('Incorrect')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Submit answers' })).toBeNull();
    expect(screen.getByText('Best score: 50%')).toBeTruthy();
    expect(screen.getByText('Attempts: 2 of 3')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const again = await screen.findByRole('group', { name: '1. Which needle?' });
    expect((within(again).getByLabelText('Sharp') as HTMLInputElement).checked).toBe(false);
    await user.click(within(again).getByLabelText('Sharp'));
    const fabrics = screen.getByRole('group', { name: '2. Natural fabrics?' });
    await user.click(within(fabrics).getByLabelText('Silk'));
    await user.click(within(fabrics).getByLabelText('Wool'));
    await user.click(screen.getByRole('button', { name: 'Submit answers' }));

    expect(await screen.findByText('Passed')).toBeTruthy();
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toBe(certificate.pdf_url);
    expect(screen.getByRole('link', { name: 'Verification link' }).getAttribute('href')).toBe(certificate.verify_url);
    // Three of three attempts used: no retry.
    expect(screen.getByText('Attempts: 3 of 3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByText('No attempts left.')).toBeTruthy();
    // Navigation.
    expect(screen.getByRole('link', { name: /Previous lesson/ }).getAttribute('href')).toBe('/learn/sewing-101/lessons/12');
    expect(screen.queryByRole('link', { name: /Next lesson/ })).toBeNull();
  });

  it('uses the Russian texts', async () => {
    const user = userEvent.setup();
    serve({
      'GET /api/learning/lessons/21/': () => jsonResponse(200, quizLesson),
      'POST /api/learning/lessons/21/attempts/': () => errorResponse(409, 'attempt_limit_reached', 'Попытки закончились.'),
    });
    renderLesson(21, 'ru');
    await user.click(await screen.findByRole('button', { name: 'Начать тест' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Попытки закончились.');
    expect(screen.queryByRole('button', { name: 'Начать тест' })).toBeNull();
  });
});

describe('article lesson', () => {
  it('renders the server HTML, the completion and the navigation', async () => {
    serve({
      'GET /api/learning/lessons/12/': () =>
        jsonResponse(200, lessonContent({ id: 12, title: 'Stitches', kind: 'article', body_html: '<h2>Running stitch</h2><p>Go.</p>', completed: true, previous_lesson_id: 11, next_lesson_id: 21 })),
    });
    renderLesson(12);
    expect(await screen.findByRole('heading', { level: 2, name: 'Running stitch' })).toBeTruthy();
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to “Sewing 101”/ }).getAttribute('href')).toBe('/learn/sewing-101');
    expect(screen.getByRole('link', { name: /Next lesson/ }).getAttribute('href')).toBe('/learn/sewing-101/lessons/21');
  });

  it('explains a locked lesson', async () => {
    serve({ 'GET /api/learning/lessons/12/': () => errorResponse(403, 'not_enrolled', 'Not enrolled') });
    renderLesson(12);
    expect(await screen.findByRole('heading', { level: 1, name: 'Enrol in the course to open this lesson.' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'About the course' }).getAttribute('href')).toBe('/courses/sewing-101');
  });
});

describe('video lesson', () => {
  function videoLesson(overrides: Partial<LessonContent> = {}, expiresInMs = 3_600_000, url = 'https://cdn.test/v.mp4?sig=1') {
    return lessonContent({
      video: { playback_url: url, expires_at: new Date(Date.now() + expiresInMs).toISOString(), duration_seconds: 300, content_type: 'video/mp4' },
      progress: { position_seconds: 40, watched_seconds: 30, completed: false },
      ...overrides,
    });
  }

  /** jsdom has no media engine: give the element a controllable playhead. */
  function fakeMedia(video: HTMLVideoElement) {
    const state = { currentTime: 0, paused: true, duration: 300, readyState: 1, playbackRate: 1 };
    Object.defineProperty(video, 'currentTime', { get: () => state.currentTime, set: (v: number) => (state.currentTime = v), configurable: true });
    Object.defineProperty(video, 'paused', { get: () => state.paused, configurable: true });
    Object.defineProperty(video, 'duration', { get: () => state.duration, configurable: true });
    Object.defineProperty(video, 'readyState', { get: () => state.readyState, configurable: true });
    Object.defineProperty(video, 'playbackRate', { get: () => state.playbackRate, set: (v: number) => (state.playbackRate = v), configurable: true });
    const play = vi.fn(() => {
      state.paused = false;
      return Promise.resolve();
    });
    const pause = vi.fn(() => {
      state.paused = true;
    });
    Object.defineProperty(video, 'play', { value: play, configurable: true });
    Object.defineProperty(video, 'pause', { value: pause, configurable: true });
    const tick = (time: number) => {
      state.currentTime = time;
      fireEvent.timeUpdate(video);
    };
    return { state, play, pause, tick };
  }

  it('resumes, accumulates watched seconds without seeks, reports on pause and shows completion', async () => {
    const user = userEvent.setup();
    const calls = serve({
      'GET /api/learning/lessons/11/': () => jsonResponse(200, videoLesson()),
      'PUT /api/learning/lessons/11/progress/': ({ body }) =>
        jsonResponse(200, { ...(body as object), completed: true, course_progress_percent: 50 }),
    });
    renderLesson(11);
    const video = (await screen.findByTestId('lesson-video')) as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe('https://cdn.test/v.mp4?sig=1');
    const media = fakeMedia(video);

    fireEvent.loadedMetadata(video);
    expect(media.state.currentTime).toBe(40);

    fireEvent.play(video);
    for (let t = 40.25; t <= 50; t += 0.25) media.tick(t);
    // A seek: the jump is not counted.
    media.state.currentTime = 200;
    fireEvent.seeking(video);
    media.tick(200.5);
    fireEvent.pause(video);

    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ position_seconds: 200, watched_seconds: 40 });
    expect(await screen.findByText('Completed')).toBeTruthy();

    // Speed select.
    await user.selectOptions(screen.getByLabelText('Speed'), '1.5');
    expect(media.state.playbackRate).toBe(1.5);
    expect([...(screen.getByLabelText('Speed') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['0.75', '1', '1.25', '1.5', '2']);
  });

  it('handles the keyboard shortcuts outside form fields', async () => {
    serve({ 'GET /api/learning/lessons/11/': () => jsonResponse(200, videoLesson()) });
    renderLesson(11);
    const video = (await screen.findByTestId('lesson-video')) as HTMLVideoElement;
    const media = fakeMedia(video);
    media.state.currentTime = 100;
    // The shortcut listener is attached by an effect after the player renders: wait until a key is
    // handled ('m' mutes), then unmute, so the checks below do not race the effect.
    await waitFor(() => {
      fireEvent.keyDown(document.body, { key: 'm' });
      expect(video.muted).toBe(true);
    });
    fireEvent.keyDown(document.body, { key: 'm' });
    expect(video.muted).toBe(false);

    fireEvent.keyDown(document.body, { key: 'k' });
    expect(media.play).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(media.pause).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(media.state.currentTime).toBe(110);
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(media.state.currentTime).toBe(105);
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(media.state.currentTime).toBe(95);
    fireEvent.keyDown(document.body, { key: 'm' });
    expect(video.muted).toBe(true);
    // Typing in a form field does nothing.
    fireEvent.keyDown(screen.getByLabelText('Speed'), { key: 'k' });
    expect(media.play).toHaveBeenCalledTimes(1);
  });

  it('sends a heartbeat every 5 s while playing and on leaving', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = serve({
      'GET /api/learning/lessons/11/': () => jsonResponse(200, videoLesson()),
      'PUT /api/learning/lessons/11/progress/': ({ body }) => jsonResponse(200, { ...(body as object), completed: false, course_progress_percent: 10 }),
    });
    const view = renderLesson(11);
    const video = (await screen.findByTestId('lesson-video')) as HTMLVideoElement;
    const media = fakeMedia(video);
    fireEvent.loadedMetadata(video);
    fireEvent.play(video);
    for (let t = 40.5; t <= 44; t += 0.5) media.tick(t);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    const puts = () => calls.filter((c) => c.method === 'PUT');
    expect(puts()).toHaveLength(1);
    expect(puts()[0].body).toEqual({ position_seconds: 44, watched_seconds: 34 });

    // Nothing new played: no duplicate heartbeat.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(puts()).toHaveLength(1);

    media.tick(44.5);
    media.tick(45);
    view.unmount();
    expect(puts()).toHaveLength(2);
    expect(puts()[1].body).toEqual({ position_seconds: 45, watched_seconds: 35 });
    expect(puts()[1].init.keepalive).toBe(true);
  });

  it('swaps the signed URL before it expires and keeps the playhead', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let gets = 0;
    serve({
      'GET /api/learning/lessons/11/': () => {
        gets += 1;
        return jsonResponse(200, videoLesson({}, gets === 1 ? 40_000 : 3_600_000, `https://cdn.test/v.mp4?sig=${gets}`));
      },
      'PUT /api/learning/lessons/11/progress/': ({ body }) => jsonResponse(200, { ...(body as object), completed: false, course_progress_percent: 10 }),
    });
    renderLesson(11);
    const video = (await screen.findByTestId('lesson-video')) as HTMLVideoElement;
    const media = fakeMedia(video);
    fireEvent.loadedMetadata(video);
    media.state.currentTime = 123;
    media.state.paused = false;

    // Expires in 40 s → refreshed 30 s early.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_500);
    });
    await waitFor(() => expect(video.getAttribute('src')).toBe('https://cdn.test/v.mp4?sig=2'));
    media.state.currentTime = 0; // the new source starts at 0
    fireEvent.loadedMetadata(video);
    expect(media.state.currentTime).toBe(123);
    expect(media.play).toHaveBeenCalled();
  });
});
