import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { learningApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { LessonContent } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { formatBytes } from '../../catalog/format';
import { FormAlert } from '../../components/FormAlert';
import { LessonKindLabel } from '../../components/LessonKind';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import { lessonPath } from '../catalog/CourseLandingPage';
import { QuizLesson } from './QuizLesson';
import { VideoLesson } from './VideoLesson';

type LoadError = { kind: 'not_enrolled' | 'sign_in' | 'not_found' | 'other'; message: string };

/** /learn/:slug/lessons/:lessonId — one lesson (video, article, file or quiz) with previous/next links. */
export function LessonPage() {
  const { slug = '', lessonId = '' } = useParams();
  const { user, status } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  const [lesson, setLesson] = useState<LessonContent | null>(null);
  const [error, setError] = useState<LoadError | null>(null);
  const [completed, setCompleted] = useState(false);
  const userId = user?.id ?? null;

  useEffect(() => {
    if (status === 'loading') return;
    const controller = new AbortController();
    setLesson(null);
    setError(null);
    learningApi
      .lesson(lessonId, controller.signal)
      .then((content) => {
        setLesson(content);
        setCompleted(Boolean(content.completed || content.progress?.completed || content.quiz?.passed));
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) setError({ kind: 'sign_in', message: t('lesson.signIn') });
        else if (err instanceof ApiError && err.status === 403)
          setError({ kind: userId === null ? 'sign_in' : 'not_enrolled', message: userId === null ? t('lesson.signIn') : t('lesson.notEnrolled') });
        else if (err instanceof ApiError && err.status === 404) setError({ kind: 'not_found', message: t('lesson.notFound') });
        else setError({ kind: 'other', message: toFormError(err, t).message });
      });
    return () => controller.abort();
  }, [lessonId, userId, status]);

  const landing = `/courses/${encodeURIComponent(slug)}`;
  // Enrolled learners go back to their course page; visitors of a free preview to the landing page.
  const courseLink = user ? `/learn/${encodeURIComponent(slug)}` : landing;

  if (error) {
    return (
      <section className="page page-narrow">
        <PageHeading>{error.message}</PageHeading>
        <p className="button-row">
          {error.kind === 'sign_in' ? (
            <Link to="/login" state={{ from: location.pathname }} className="btn btn-primary">
              {t('nav.signIn')}
            </Link>
          ) : null}
          <Link to={landing}>{t('learn.aboutCourse')}</Link>
        </p>
      </section>
    );
  }
  if (!lesson) return <Loading />;

  const courseSlug = lesson.course?.slug ?? slug;
  const courseTitle = lesson.course?.title ?? slug;

  return (
    <article className="page lesson-page" key={String(lesson.id)}>
      <p className="breadcrumbs">
        <Link to={courseLink}>← {t('lesson.backToCourse', { title: courseTitle })}</Link>
      </p>
      <div className="lesson-head">
        <LessonKindLabel kind={lesson.kind} />
        <PageHeading>{lesson.title}</PageHeading>
        <p className="lesson-status" role="status">
          {completed ? (
            <span className="badge badge-done">
              <span aria-hidden="true">✓ </span>
              {t('lesson.completed')}
            </span>
          ) : null}
        </p>
      </div>

      <LessonBody lesson={lesson} trackProgress={user !== null} onCompleted={() => setCompleted(true)} />

      <nav className="lesson-nav" aria-label={t('lesson.nav')}>
        {lesson.previous_lesson_id !== null && lesson.previous_lesson_id !== undefined ? (
          <Link to={lessonPath(courseSlug, lesson.previous_lesson_id)} className="btn btn-secondary" rel="prev">
            ← {t('lesson.previous')}
          </Link>
        ) : (
          <span />
        )}
        {lesson.next_lesson_id !== null && lesson.next_lesson_id !== undefined ? (
          <Link to={lessonPath(courseSlug, lesson.next_lesson_id)} className="btn btn-primary" rel="next">
            {t('lesson.next')} →
          </Link>
        ) : null}
      </nav>
    </article>
  );
}

function LessonBody({
  lesson,
  trackProgress,
  onCompleted,
}: {
  lesson: LessonContent;
  trackProgress: boolean;
  onCompleted: () => void;
}) {
  const { t, lang } = useI18n();
  if (lesson.kind === 'video' && lesson.video) {
    return (
      <VideoLesson
        lesson={{ ...lesson, video: lesson.video }}
        trackProgress={trackProgress}
        onProgress={(result) => {
          if (result.completed) onCompleted();
        }}
      />
    );
  }
  if (lesson.kind === 'article') {
    // Sanitised by the server (rendered from the author's Markdown).
    return <div className="prose lesson-article" dangerouslySetInnerHTML={{ __html: lesson.body_html ?? '' }} />;
  }
  if (lesson.kind === 'file' && lesson.file) {
    return (
      <p className="lesson-file card">
        <a href={lesson.file.download_url} download={lesson.file.filename} className="btn btn-primary">
          {t('lesson.download', { filename: lesson.file.filename })}
        </a>{' '}
        <span className="muted">{formatBytes(lesson.file.size, lang)}</span>
      </p>
    );
  }
  if (lesson.kind === 'quiz' && lesson.quiz) {
    return <QuizLesson lessonId={lesson.id} quiz={lesson.quiz} onPassed={onCompleted} />;
  }
  return <FormAlert message={t('error.unknown')} />;
}
