import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { courseCard, courseDetail } from '../../test/fixtures';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch, renderApp } from '../../test/utils';
import { StorefrontGate } from '../Home';
import { CatalogPage } from './CatalogPage';
import { CourseLandingPage } from './CourseLandingPage';

const plain = (value: string | null) => (value ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

function signIn(role: Role = 'student') {
  api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role, email: 'kim@example.com' }) });
}

function Where() {
  const location = useLocation();
  return (
    <p data-testid="where">
      {location.pathname}
      {location.search}|{JSON.stringify(location.state ?? null)}
    </p>
  );
}

function routes() {
  return (
    <>
      <Routes>
        <Route
          path="/catalog"
          element={
            <StorefrontGate>
              <CatalogPage />
            </StorefrontGate>
          }
        />
        <Route
          path="/courses/:slug"
          element={
            <StorefrontGate>
              <CourseLandingPage />
            </StorefrontGate>
          }
        />
        <Route path="/login" element={<h1>Login page</h1>} />
        <Route path="/learn/:slug" element={<h1>Course page</h1>} />
        <Route path="/learn/:slug/lessons/:id" element={<h1>Lesson page</h1>} />
      </Routes>
      <Where />
    </>
  );
}

const publicBranding = { display_name: 'FFS', logo_url: null, favicon_url: null, primary_color: '#000000', accent_color: '#ffffff', support_email: null, metrika_id: null, tenant: { slug: 'public', kind: 'public', name: 'FFS' } };

afterEach(() => api.clearSession());

describe('CatalogPage', () => {
  it('shows course cards with price, level and duration, and turns filters into the API query', async () => {
    const user = userEvent.setup();
    const courseCalls: string[] = [];
    const fetchMock = mockFetch(({ url, path }) => {
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'x');
      if (path === '/api/branding/') return jsonResponse(200, publicBranding);
      if (path === '/api/catalog/categories/') return jsonResponse(200, [{ slug: 'sewing', name: 'Sewing' }, { slug: 'knit', name: 'Knitting' }]);
      if (path === '/api/catalog/courses/') {
        courseCalls.push(url);
        return jsonResponse(200, {
          count: 30,
          next: 'x',
          previous: null,
          results: [
            courseCard(),
            courseCard({ slug: 'couture', title: 'Couture', level: 'advanced', is_free: false, price: { amount: 1299000, currency: 'RUB' }, estimated_minutes: 600 }),
          ],
        });
      }
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(routes(), { route: '/catalog', lang: 'en' });

    const card = (await screen.findByRole('link', { name: 'Couture' })).closest('article')!;
    expect(plain(within(card).getByText(/RUB/).textContent)).toBe('RUB 12,990');
    expect(within(card).getByText('Advanced')).toBeTruthy();
    expect(within(card).getByText('10 h')).toBeTruthy();
    const freeCard = screen.getByRole('link', { name: 'Sewing 101' }).closest('article')!;
    expect(within(freeCard).getByText('Free')).toBeTruthy();
    expect(within(freeCard).getByText('1 h 35 min')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Couture' }).getAttribute('href')).toBe('/courses/couture');
    expect(courseCalls[0]).toBe('/api/catalog/courses/');

    await user.selectOptions(screen.getByLabelText('Category'), 'knit');
    await user.selectOptions(screen.getByLabelText('Level'), 'advanced');
    await user.selectOptions(screen.getByLabelText('Language'), 'ru');
    await user.click(screen.getByLabelText('Free only'));
    await waitFor(() => expect(courseCalls.at(-1)).toBe('/api/catalog/courses/?category=knit&level=advanced&language=ru&free=true'));

    await user.type(screen.getByLabelText('Search'), 'silk');
    await waitFor(() =>
      expect(courseCalls.at(-1)).toBe('/api/catalog/courses/?search=silk&category=knit&level=advanced&language=ru&free=true'),
    );
    expect(screen.getByTestId('where').textContent).toContain('/catalog?search=silk&category=knit&level=advanced&language=ru&free=true');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(courseCalls.at(-1)).toContain('&free=true&page=2'));
    // Changing a filter starts from page 1 again.
    await user.click(screen.getByLabelText('Free only'));
    await waitFor(() => expect(courseCalls.at(-1)).toBe('/api/catalog/courses/?search=silk&category=knit&level=advanced&language=ru'));
    expect(fetchMock).toHaveBeenCalled();
  });

  it('uses Russian labels and money format by default', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'x');
      if (path === '/api/catalog/categories/') return jsonResponse(200, []);
      if (path === '/api/catalog/courses/')
        return jsonResponse(200, { count: 1, next: null, previous: null, results: [courseCard({ is_free: false, price: { amount: 199000, currency: 'RUB' } })] });
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(routes(), { route: '/catalog' });
    await screen.findByRole('link', { name: 'Sewing 101' });
    expect(screen.getByLabelText('Поиск')).toBeTruthy();
    expect(screen.getByLabelText('Категория')).toBeTruthy();
    expect(screen.getByLabelText('Уровень')).toBeTruthy();
    expect(screen.getByLabelText('Язык')).toBeTruthy();
    expect(screen.getByLabelText('Только бесплатные')).toBeTruthy();
    expect(screen.getByText((_, el) => el?.classList.contains('price') === true && plain(el.textContent) === '1 990 ₽')).toBeTruthy();
  });

  it('sends anonymous visitors of a corporate tenant to sign in', async () => {
    mockFetch(({ path }) => {
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'x');
      if (path === '/api/branding/') return jsonResponse(200, { ...publicBranding, tenant: { slug: 'acme', kind: 'corporate', name: 'Acme' } });
      return errorResponse(404, 'not_found', 'x');
    });
    renderApp(routes(), { route: '/catalog?level=beginner', lang: 'en' });
    expect(await screen.findByRole('heading', { name: 'Login page' })).toBeTruthy();
    expect(screen.getByTestId('where').textContent).toBe('/login|{"from":"/catalog?level=beginner"}');
  });
});

describe('CourseLandingPage', () => {
  function landingFetch(detail = courseDetail(), onEnrol?: () => Response) {
    const calls: Array<{ method: string; url: string }> = [];
    mockFetch(({ url, path, method }) => {
      calls.push({ method, url });
      if (path === '/api/auth/refresh/') return errorResponse(401, 'not_authenticated', 'x');
      if (path === `/api/catalog/courses/${detail.slug}/` && method === 'GET') return jsonResponse(200, detail);
      if (path === `/api/catalog/courses/${detail.slug}/enrol/` && method === 'POST')
        return onEnrol ? onEnrol() : jsonResponse(201, { enrolment: { status: 'active', progress_percent: 0 } });
      return errorResponse(404, 'not_found', 'x');
    });
    return calls;
  }

  it('shows the description, the syllabus with previews, and sends anonymous enrolment to login and back', async () => {
    const user = userEvent.setup();
    landingFetch();
    renderApp(routes(), { route: '/courses/sewing-101', lang: 'en' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sewing 101' })).toBeTruthy();
    expect(screen.getByText('sewing', { selector: 'strong' })).toBeTruthy();
    const syllabus = screen.getByRole('region', { name: 'Syllabus' });
    // A free preview links to its lesson and is badged; locked lessons are plain text.
    const preview = within(syllabus).getByRole('link', { name: 'Welcome' });
    expect(preview.getAttribute('href')).toBe('/learn/sewing-101/lessons/11');
    expect(within(preview.closest('li')!).getByText('Preview')).toBeTruthy();
    expect(within(preview.closest('li')!).getByText('5:30')).toBeTruthy();
    expect(within(syllabus).queryByRole('link', { name: 'Stitches' })).toBeNull();
    expect(within(syllabus).getAllByText('Available after enrolment')).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Enrol for free' }));
    expect(screen.getByTestId('where').textContent).toBe('/login|{"from":"/courses/sewing-101"}');
  });

  it('enrols a signed-in user in a free course and opens the course page', async () => {
    const user = userEvent.setup();
    signIn();
    const calls = landingFetch();
    renderApp(routes(), { route: '/courses/sewing-101', lang: 'en' });
    await user.click(await screen.findByRole('button', { name: 'Enrol for free' }));
    expect(await screen.findByRole('heading', { name: 'Course page' })).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/catalog/courses/sewing-101/enrol/')).toBe(true);
  });

  it('offers "Continue learning" when enrolled', async () => {
    signIn();
    landingFetch(courseDetail({ enrolment: { status: 'active', progress_percent: 40 } }));
    renderApp(routes(), { route: '/courses/sewing-101', lang: 'en' });
    const link = await screen.findByRole('link', { name: 'Continue learning' });
    expect(link.getAttribute('href')).toBe('/learn/sewing-101');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    // Enrolled: every lesson links.
    expect(screen.getByRole('link', { name: 'Stitches' })).toBeTruthy();
  });

  it('shows the price and a disabled buy button for a paid course', async () => {
    signIn();
    landingFetch(courseDetail({ is_free: false, price: { amount: 499000, currency: 'RUB' } }));
    renderApp(routes(), { route: '/courses/sewing-101', lang: 'ru' });
    const buy = await screen.findByRole('button', { name: 'Купить (скоро)' });
    expect((buy as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Записаться бесплатно' })).toBeNull();
    expect(screen.getByText((_, el) => el?.classList.contains('course-aside-price') === true && plain(el.textContent) === '4 990 ₽')).toBeTruthy();
  });

  it('passes preview=1 to the API for authors', async () => {
    signIn('content_author');
    const calls = landingFetch();
    renderApp(routes(), { route: '/courses/sewing-101?preview=1', lang: 'en' });
    await screen.findByRole('heading', { level: 1, name: 'Sewing 101' });
    expect(calls.find((c) => c.url.startsWith('/api/catalog/courses/sewing-101/'))?.url).toBe('/api/catalog/courses/sewing-101/?preview=1');
  });
});
