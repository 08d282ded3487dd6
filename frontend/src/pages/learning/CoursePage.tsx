import { useEffect, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { learningApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { CourseDetail, LessonSummary } from '../../api/types';
import { formatClock } from '../../catalog/format';
import { FormAlert } from '../../components/FormAlert';
import { LessonKindLabel } from '../../components/LessonKind';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';
import { lessonPath } from '../catalog/CourseLandingPage';

/** The first lesson not completed yet, in syllabus order (null when everything is done). */
export function firstIncompleteLesson(course: Pick<CourseDetail, 'modules'>): LessonSummary | null {
  for (const module of course.modules) {
    for (const lesson of module.lessons) if (!lesson.completed) return lesson;
  }
  return null;
}

/** /learn/:slug — the enrolled learner's course: progress, modules and lessons with ticks. */
export function CoursePage() {
  const { slug = '' } = useParams();
  const { t } = useI18n();
  const [course, setCourse] = useState<CourseDetail | null>(null);
  const [error, setError] = useState('');
  const [notEnrolled, setNotEnrolled] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setCourse(null);
    setNotEnrolled(false);
    learningApi
      .course(slug, controller.signal)
      .then(setCourse)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        // Not enrolled (or no such course here): the landing page explains and offers enrolment.
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) setNotEnrolled(true);
        else setError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [slug]);

  if (notEnrolled) return <Navigate to={`/courses/${encodeURIComponent(slug)}`} replace />;
  if (!course) return error ? <FormAlert message={error} /> : <Loading />;

  const progress = course.enrolment?.progress_percent ?? 0;
  const next = firstIncompleteLesson(course);

  return (
    <section className="page learn-course">
      <p className="breadcrumbs">
        <Link to="/learning">{t('learning.title')}</Link>
      </p>
      <div className="page-head">
        <PageHeading>{course.title}</PageHeading>
        {next ? (
          <Link to={lessonPath(course.slug, next.id)} className="btn btn-primary">
            {t('learn.continue')}
          </Link>
        ) : null}
      </div>
      {course.subtitle ? <p className="muted">{course.subtitle}</p> : null}
      <ProgressBar value={progress} label={t('learn.progress')} className="progress-large" />
      {!next && course.modules.some((m) => m.lessons.length) ? (
        <p className="alert alert-success" role="status">
          {t('learn.courseDone')}
        </p>
      ) : null}

      <ol className="learn-modules">
        {course.modules.map((module) => (
          <li key={module.id} className="learn-module card">
            <h2>{module.title}</h2>
            <ol className="learn-lessons">
              {module.lessons.map((lesson) => (
                <li key={lesson.id} className={`learn-lesson${lesson.completed ? ' is-done' : ''}`}>
                  <span className={`tick${lesson.completed ? ' tick-done' : ''}`} aria-hidden="true">
                    {lesson.completed ? '✓' : ''}
                  </span>
                  <span className="visually-hidden">{lesson.completed ? t('learn.done') : t('learn.notDone')}: </span>
                  <LessonKindLabel kind={lesson.kind} iconOnly />
                  <Link to={lessonPath(course.slug, lesson.id)} className="learn-lesson-link">
                    {lesson.title}
                  </Link>
                  {lesson.duration_seconds ? (
                    <span className="muted learn-lesson-duration">{formatClock(lesson.duration_seconds)}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
      <p>
        <Link to={`/courses/${encodeURIComponent(course.slug)}`}>{t('learn.aboutCourse')}</Link>
      </p>
    </section>
  );
}
