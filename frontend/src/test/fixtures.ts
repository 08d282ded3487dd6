import type { CourseCard, CourseDetail, LessonContent } from '../api/types';

/** Contract-shaped sample data for the catalogue/learning tests. */
export function courseCard(overrides: Partial<CourseCard> = {}): CourseCard {
  return {
    slug: 'sewing-101',
    title: 'Sewing 101',
    subtitle: 'From needle to dress',
    cover_url: null,
    category: { slug: 'sewing', name: 'Sewing' },
    tags: ['basics'],
    level: 'beginner',
    language: 'en',
    estimated_minutes: 95,
    price: { amount: 0, currency: 'RUB' },
    is_free: true,
    lesson_count: 3,
    enrolment: null,
    ...overrides,
  };
}

export function courseDetail(overrides: Partial<CourseDetail> = {}): CourseDetail {
  return {
    ...courseCard(),
    description_html: '<p>Learn <strong>sewing</strong>.</p>',
    authors: [{ name: 'Coco' }],
    modules: [
      {
        id: 1,
        title: 'Basics',
        position: 1,
        lessons: [
          { id: 11, title: 'Welcome', kind: 'video', position: 1, is_free_preview: true, is_required: true, duration_seconds: 330, completed: true, locked: false },
          { id: 12, title: 'Stitches', kind: 'article', position: 2, is_free_preview: false, is_required: true, duration_seconds: null, completed: false, locked: true },
        ],
      },
      {
        id: 2,
        title: 'Check',
        position: 2,
        lessons: [
          { id: 21, title: 'Final quiz', kind: 'quiz', position: 1, is_free_preview: false, is_required: true, duration_seconds: null, completed: false, locked: true },
        ],
      },
    ],
    ...overrides,
  };
}

export function lessonContent(overrides: Partial<LessonContent> = {}): LessonContent {
  return {
    id: 11,
    title: 'Welcome',
    kind: 'video',
    position: 1,
    is_free_preview: true,
    is_required: true,
    duration_seconds: 330,
    completed: false,
    locked: false,
    course: { slug: 'sewing-101', title: 'Sewing 101' },
    next_lesson_id: 12,
    previous_lesson_id: null,
    ...overrides,
  };
}
