import { createEvent, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { AuthoringCourse, AuthoringLesson } from '../../api/types';
import { courseCard } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { AuthoringListPage } from './AuthoringListPage';
import { CourseEditorPage } from './CourseEditorPage';

type Call = { method: string; path: string; url: string; body: unknown };

function lesson(id: number, title: string, kind: AuthoringLesson['kind'], extra: Partial<AuthoringLesson> = {}): AuthoringLesson {
  return { id, title, kind, position: 1, is_free_preview: false, is_required: true, duration_seconds: null, ...extra };
}

function tree(): AuthoringCourse {
  return {
    ...courseCard({ slug: 'draping', title: 'Draping', status: 'draft', is_free: false, price: { amount: 250000, currency: 'RUB' } }),
    description_md: '# Hi',
    tags: ['silk', 'form'],
    modules: [
      { id: 1, title: 'Intro', position: 1, lessons: [lesson(11, 'Welcome', 'video'), lesson(12, 'Tools', 'article', { body_md: 'Pins' })] },
      { id: 2, title: 'Practice', position: 2, lessons: [lesson(21, 'Check', 'quiz')] },
    ],
  };
}

function serve(extra: Record<string, (call: Call) => Response | Promise<Response>> = {}) {
  const calls: Call[] = [];
  mockFetch(({ url, path, method, init }) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    const call = { method, path, url, body };
    calls.push(call);
    const handler = extra[`${method} ${path}`] ?? extra[`${method} ${url}`];
    if (handler) return handler(call);
    if (method === 'GET' && path === '/api/authoring/courses/draping/') return jsonResponse(200, tree());
    if (method === 'POST' && path === '/api/authoring/courses/draping/reorder/') return jsonResponse(200, {});
    return errorResponse(404, 'not_found', `${method} ${path}`);
  });
  return calls;
}

function renderEditor() {
  return renderApp(
    <Routes>
      <Route path="/authoring" element={<AuthoringListPage />} />
      <Route path="/authoring/courses/:slug" element={<CourseEditorPage />} />
    </Routes>,
    { route: '/authoring/courses/draping', lang: 'en' },
  );
}

beforeEach(() => {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'content_author' }) });
});
afterEach(() => api.clearSession());

describe('AuthoringListPage', () => {
  it('lists courses with status badges and creates a course (price in roubles → minor units)', async () => {
    const user = userEvent.setup();
    const calls = serve({
      'GET /api/authoring/courses/': () =>
        jsonResponse(200, {
          count: 2,
          next: null,
          previous: null,
          results: [courseCard({ slug: 'draping', title: 'Draping', status: 'draft' }), courseCard({ slug: 'knit', title: 'Knitting', status: 'published' })],
        }),
      'POST /api/authoring/courses/': ({ body }) => jsonResponse(201, { ...tree(), ...(body as object), slug: 'corsetry', title: 'Corsetry' }),
      'GET /api/authoring/courses/corsetry/': () => jsonResponse(200, { ...tree(), slug: 'corsetry', title: 'Corsetry', modules: [] }),
    });
    renderApp(
      <Routes>
        <Route path="/authoring" element={<AuthoringListPage />} />
        <Route path="/authoring/courses/:slug" element={<CourseEditorPage />} />
      </Routes>,
      { route: '/authoring', lang: 'en' },
    );

    const row = (await screen.findByRole('link', { name: 'Knitting' })).closest('tr')!;
    expect(within(row).getByText('published')).toBeTruthy();
    expect(within(screen.getByRole('link', { name: 'Draping' }).closest('tr')!).getByText('draft')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'New course' }));
    await user.type(screen.getByLabelText('Slug'), 'Corsetry');
    await user.type(screen.getByLabelText('Title'), 'Corsetry');
    await user.type(screen.getByLabelText('Subtitle'), 'Structure');
    await user.selectOptions(screen.getByLabelText('Level'), 'advanced');
    await user.selectOptions(screen.getByLabelText('Language'), 'ru');
    await user.clear(screen.getByLabelText('Price'));
    await user.type(screen.getByLabelText('Price'), '1990,50');
    await user.type(screen.getByLabelText('Category slug'), 'tailoring');
    await user.click(screen.getByRole('button', { name: 'Create course' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Corsetry' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      slug: 'corsetry',
      title: 'Corsetry',
      subtitle: 'Structure',
      level: 'advanced',
      language: 'ru',
      price_amount: 199050,
      currency: 'RUB',
      category_slug: 'tailoring',
    });
  });

  it('uses the Russian labels', async () => {
    const user = userEvent.setup();
    serve({ 'GET /api/authoring/courses/': () => jsonResponse(200, { count: 0, next: null, previous: null, results: [] }) });
    renderApp(
      <Routes>
        <Route path="/authoring" element={<AuthoringListPage />} />
      </Routes>,
      { route: '/authoring' },
    );
    await user.click(await screen.findByRole('button', { name: 'Новый курс' }));
    expect(screen.getByLabelText('Название курса')).toBeTruthy();
    expect(screen.getByText('Курсов пока нет.')).toBeTruthy();
  });
});

describe('CourseEditorPage', () => {
  it('saves the course fields', async () => {
    const user = userEvent.setup();
    const calls = serve({ 'PATCH /api/authoring/courses/draping/': ({ body }) => jsonResponse(200, { ...tree(), ...(body as object) }) });
    renderEditor();
    const title = await screen.findByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Draping on the form');
    await user.clear(screen.getByLabelText('Tags'));
    await user.type(screen.getByLabelText('Tags'), 'silk,  bias , silk,');
    await user.clear(screen.getByLabelText('Estimated minutes'));
    await user.type(screen.getByLabelText('Estimated minutes'), '90');
    await user.clear(screen.getByLabelText('Price'));
    await user.type(screen.getByLabelText('Price'), '0');
    await user.type(screen.getByLabelText('Description'), '!');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changes saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      title: 'Draping on the form',
      subtitle: 'From needle to dress',
      description_md: '# Hi!',
      tags: ['silk', 'bias'],
      estimated_minutes: 90,
      price_amount: 0,
      currency: 'RUB',
      level: 'beginner',
      language: 'en',
    });
  });

  it('reorders with the keyboard buttons (across modules) and posts the full order', async () => {
    const user = userEvent.setup();
    const calls = serve();
    renderEditor();
    const tools = await screen.findByRole('listitem', { name: 'Tools' });
    const down = within(tools).getByRole('button', { name: 'Move down' });
    await user.click(down);

    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/reorder/'))).toHaveLength(1));
    expect(calls.find((c) => c.path.endsWith('/reorder/'))?.body).toEqual({
      modules: [
        { id: 1, lessons: [11] },
        { id: 2, lessons: [12, 21] },
      ],
    });
    const practice = screen.getByRole('region', { name: 'Practice' });
    expect(within(practice).getByRole('listitem', { name: 'Tools' })).toBeTruthy();
    // Focus follows the moved lesson.
    expect(document.activeElement).toBe(within(screen.getByRole('listitem', { name: 'Tools' })).getByRole('button', { name: 'Move down' }));

    // The first lesson cannot go further up; modules move too.
    expect((within(screen.getByRole('listitem', { name: 'Welcome' })).getByRole('button', { name: 'Move up' }) as HTMLButtonElement).disabled).toBe(true);
    const practiceUp = within(practice).getAllByRole('button', { name: 'Move up' })[0];
    await user.click(practiceUp);
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/reorder/'))).toHaveLength(2));
    expect(calls.filter((c) => c.path.endsWith('/reorder/'))[1].body).toEqual({
      modules: [
        { id: 2, lessons: [12, 21] },
        { id: 1, lessons: [11] },
      ],
    });
  });

  it('reorders by drag and drop, and puts the order back when the server refuses', async () => {
    const calls = serve({ 'POST /api/authoring/courses/draping/reorder/': () => errorResponse(400, 'invalid', 'Order rejected.') });
    renderEditor();
    const check = await screen.findByRole('listitem', { name: 'Check' });
    const welcome = screen.getByRole('listitem', { name: 'Welcome' });
    const handle = check.querySelector('.drag-handle')!;
    const dataTransfer = { setData: () => undefined, getData: () => '', effectAllowed: '', dropEffect: '' };
    fireEvent.dragStart(handle, { dataTransfer });
    fireEvent.dragOver(welcome, { dataTransfer, clientY: -10 });
    const drop = createEvent.drop(welcome, { dataTransfer });
    Object.defineProperty(drop, 'clientY', { value: -10 });
    fireEvent(welcome, drop);

    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/reorder/'))).toHaveLength(1));
    expect(calls.find((c) => c.path.endsWith('/reorder/'))?.body).toEqual({
      modules: [
        { id: 1, lessons: [21, 11, 12] },
        { id: 2, lessons: [] },
      ],
    });
    expect(await screen.findByText('Order rejected.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Practice' })).getByRole('listitem', { name: 'Check' })).toBeTruthy();
  });

  it('adds a module and a lesson; the new lesson opens for editing', async () => {
    const user = userEvent.setup();
    const calls = serve({
      'POST /api/authoring/courses/draping/modules/': ({ body }) => jsonResponse(201, { id: 3, title: (body as { title: string }).title, position: 3, lessons: [] }),
      'POST /api/authoring/modules/3/lessons/': ({ body }) => jsonResponse(201, lesson(31, (body as { title: string }).title, 'file')),
    });
    renderEditor();
    await user.type(await screen.findByLabelText('Module title'), 'Finishing');
    await user.click(screen.getByRole('button', { name: 'Add module' }));
    const module = await screen.findByRole('region', { name: 'Finishing' });
    await user.type(within(module).getByLabelText('Lesson title'), 'Pattern PDF');
    await user.selectOptions(within(module).getByLabelText('Lesson type'), 'file');
    await user.click(within(module).getByRole('button', { name: 'Add lesson' }));

    const item = await within(module).findByRole('listitem', { name: 'Pattern PDF' });
    expect(within(item).getByLabelText('File')).toBeTruthy();
    expect(within(item).getByLabelText('Free preview')).toBeTruthy();
    expect(within(item).getByLabelText('Required')).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/authoring/modules/3/lessons/')?.body).toEqual({ title: 'Pattern PDF', kind: 'file' });
  });

  it('edits an article lesson in place', async () => {
    const user = userEvent.setup();
    const calls = serve({ 'PATCH /api/authoring/lessons/12/': ({ body }) => jsonResponse(200, { ...lesson(12, 'Tools', 'article'), ...(body as object) }) });
    renderEditor();
    const item = await screen.findByRole('listitem', { name: 'Tools' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    await user.type(within(item).getByLabelText('Text'), ' and needles');
    await user.click(within(item).getByLabelText('Free preview'));
    await user.click(within(item).getByRole('button', { name: 'Save lesson' }));
    expect(await within(item).findByText('Lesson saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      title: 'Tools',
      is_free_preview: true,
      is_required: true,
      body_md: 'Pins and needles',
    });
    expect(within(screen.getByRole('listitem', { name: 'Tools' })).getByText('Preview')).toBeTruthy();
  });

  it('edits a quiz and saves it whole', async () => {
    const user = userEvent.setup();
    const calls = serve({ 'PATCH /api/authoring/lessons/21/': ({ body }) => jsonResponse(200, { ...lesson(21, 'Check', 'quiz'), ...(body as object) }) });
    renderEditor();
    const item = await screen.findByRole('listitem', { name: 'Check' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    await user.clear(within(item).getByLabelText('Pass mark, %'));
    await user.type(within(item).getByLabelText('Pass mark, %'), '80');
    await user.clear(within(item).getByLabelText('Attempt limit'));
    await user.type(within(item).getByLabelText('Attempt limit'), '2');
    await user.click(within(item).getByLabelText('Shuffle questions'));

    // A new quiz starts with one empty question; a half-filled one is refused on the client.
    const q1 = within(item).getByRole('group', { name: 'Question 1' });
    await user.type(within(q1).getByLabelText('Question text'), 'Best fabric for draping?');
    await user.click(within(item).getByRole('button', { name: 'Save lesson' }));
    expect((await within(item).findByRole('alert')).textContent).toMatch(/Check the questions/);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);

    await user.type(within(q1).getByLabelText('Option 1'), 'Silk');
    await user.type(within(q1).getByLabelText('Option 2'), 'Denim');

    await user.click(within(item).getByRole('button', { name: 'Add question' }));
    const q2 = within(item).getByRole('group', { name: 'Question 2' });
    await user.type(within(q2).getByLabelText('Question text'), 'Which tools?');
    await user.selectOptions(within(q2).getByLabelText('Question type'), 'multiple');
    await user.type(within(q2).getByLabelText('Option 1'), 'Pins');
    await user.type(within(q2).getByLabelText('Option 2'), 'Glue');
    await user.click(within(q2).getByRole('button', { name: 'Add option' }));
    await user.type(within(q2).getByLabelText('Option 3'), 'Form');
    await user.click(within(q2).getByLabelText('Option 3 is correct'));
    // Option 1 is correct by default; add Glue then remove it again.
    await user.click(within(q2).getByLabelText('Option 2 is correct'));
    await user.click(within(q2).getByLabelText('Option 2 is correct'));

    await user.click(within(item).getByRole('button', { name: 'Save lesson' }));
    expect(await within(item).findByText('Lesson saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      title: 'Check',
      is_free_preview: false,
      is_required: true,
      quiz: {
        pass_mark: 80,
        attempt_limit: 2,
        shuffle: true,
        questions: [
          { text: 'Best fabric for draping?', kind: 'single', options: [{ text: 'Silk', is_correct: true }, { text: 'Denim', is_correct: false }] },
          {
            text: 'Which tools?',
            kind: 'multiple',
            options: [
              { text: 'Pins', is_correct: true },
              { text: 'Glue', is_correct: false },
              { text: 'Form', is_correct: true },
            ],
          },
        ],
      },
    });
  });

  it('uploads a lesson video in parts and attaches it to the lesson', async () => {
    const user = userEvent.setup();
    const calls = serve({
      'POST /api/authoring/uploads/': () => jsonResponse(201, { asset_id: 'a9', part_size: 4, part_count: 2 }),
      'POST /api/authoring/uploads/a9/parts/': () => jsonResponse(200, { urls: { 1: 'https://s3.test/p?n=1', 2: 'https://s3.test/p?n=2' } }),
      'POST /api/authoring/uploads/a9/parts/1/': () => new Response(null, { status: 204 }),
      'POST /api/authoring/uploads/a9/parts/2/': () => new Response(null, { status: 204 }),
      'PUT https://s3.test/p?n=1': () => new Response(null, { status: 200, headers: { ETag: '"e1"' } }),
      'PUT https://s3.test/p?n=2': () => new Response(null, { status: 200, headers: { ETag: '"e2"' } }),
      'POST /api/authoring/uploads/a9/complete/': () =>
        jsonResponse(200, { id: 'a9', status: 'ready', content_type: 'video/mp4', size: 6, filename: 'intro.mp4', duration_seconds: 3 }),
      'PATCH /api/authoring/lessons/11/': () =>
        jsonResponse(200, lesson(11, 'Welcome', 'video', { media_asset: { id: 'a9', status: 'ready', content_type: 'video/mp4', size: 6, filename: 'intro.mp4', duration_seconds: 3 } })),
    });
    renderEditor();
    const item = await screen.findByRole('listitem', { name: 'Welcome' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    expect(within(item).getByText('No file uploaded yet.')).toBeTruthy();
    await user.upload(within(item).getByLabelText('Video file'), new File(['abcdef'], 'intro.mp4', { type: 'video/mp4' }));

    expect(await within(item).findByText('File uploaded: intro.mp4')).toBeTruthy();
    expect(within(item).getByText('Current file: intro.mp4 (ready)')).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/authoring/uploads/a9/complete/')?.body).toEqual({
      parts: [
        { part_number: 1, etag: '"e1"' },
        { part_number: 2, etag: '"e2"' },
      ],
    });
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ media_asset_id: 'a9' });
  });

  it('publishes, shows the server validation errors, and links to the learner preview', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    serve({
      'POST /api/authoring/courses/draping/publish/': () => {
        attempts += 1;
        return attempts === 1
          ? errorResponse(400, 'publish_invalid', 'The course is not ready.', { lessons: ['Video “Welcome” has no ready media.'], quiz: ['Quiz “Check” has no questions.'] })
          : jsonResponse(200, { ...tree(), status: 'published' });
      },
      'POST /api/authoring/courses/draping/unpublish/': () => jsonResponse(200, { ...tree(), status: 'draft' }),
    });
    renderEditor();
    expect((await screen.findByRole('link', { name: 'Preview as learner' })).getAttribute('href')).toBe('/courses/draping?preview=1');

    await user.click(screen.getByRole('button', { name: 'Publish' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The course is not ready.')).toBeTruthy();
    expect(within(alert).getByText('Video “Welcome” has no ready media.')).toBeTruthy();
    expect(within(alert).getByText('Quiz “Check” has no questions.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByRole('button', { name: 'Unpublish' })).toBeTruthy();
    expect(screen.getByText('published')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Unpublish' }));
    expect(await screen.findByRole('button', { name: 'Publish' })).toBeTruthy();
  });
  it('archives a course: the status changes and the archive button goes away', async () => {
    const user = userEvent.setup();
    const calls = serve({
      'POST /api/authoring/courses/draping/archive/': () => jsonResponse(200, { ...tree(), status: 'archived' }),
    });
    renderEditor();
    await user.click(await screen.findByRole('button', { name: 'Archive' }));
    expect(await screen.findByText('archived')).toBeTruthy();
    expect(screen.getByText(/gone from the catalogue/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Archive' })).toBeNull();
    expect(calls.some((c) => c.path === '/api/authoring/courses/draping/archive/')).toBe(true);
  });
});

describe('quiz editor server errors', () => {
  beforeEach(() => {
    api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'content_author' }) });
  });

  it('shows the server message, flags the question and skips a blank starter question', async () => {
    const user = userEvent.setup();
    const quizTree = tree();
    quizTree.modules[1].lessons[0].quiz = {
      pass_mark: 70,
      attempt_limit: 0,
      shuffle: false,
      questions: [{ id: 5, text: 'Q?', kind: 'single', options: [{ id: 1, text: 'A', is_correct: true }, { id: 2, text: 'B', is_correct: false }] }],
    };
    const calls = serve({
      'GET /api/authoring/courses/draping/': () => jsonResponse(200, quizTree),
      'PATCH /api/authoring/lessons/21/': () =>
        errorResponse(400, 'validation_error', 'Invalid.', { 'quiz.questions.0': ['Mark the correct answer (exactly one for single choice).'] }),
    });
    renderEditor();
    const item = await screen.findByRole('listitem', { name: 'Check' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    // An added but untouched question is left out of the request.
    await user.click(within(item).getByRole('button', { name: 'Add question' }));
    await user.click(within(item).getByRole('button', { name: 'Save lesson' }));
    const alert = await within(item).findByRole('alert');
    expect(alert.textContent).toContain('Mark the correct answer');
    expect(within(item).getByRole('group', { name: 'Question 1' }).className).toContain('is-invalid');
    const body = calls.find((c) => c.method === 'PATCH')?.body as { quiz: { questions: unknown[] } };
    expect(body.quiz.questions).toHaveLength(1);
  });
});
