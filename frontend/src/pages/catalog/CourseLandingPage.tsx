import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { catalogApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { CourseDetail, LessonSummary } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { formatClock, formatMinutes } from '../../catalog/format';
import { FormAlert } from '../../components/FormAlert';
import { LessonKindLabel } from '../../components/LessonKind';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { Price } from '../../components/Price';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';

export function lessonPath(slug: string, lessonId: LessonSummary['id']): string {
  return `/learn/${encodeURIComponent(slug)}/lessons/${encodeURIComponent(String(lessonId))}`;
}

/** /courses/:slug — the course landing page: description, syllabus, price and the enrol button. */
export function CourseLandingPage() {
  const { slug = '' } = useParams();
  const [params] = useSearchParams();
  const preview = params.get('preview') === '1';
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [course, setCourse] = useState<CourseDetail | null>(null);
  const [loadError, setLoadError] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [enrolError, setEnrolError] = useState('');
  const [enrolling, setEnrolling] = useState(false);
  const userId = user?.id ?? null;

  useEffect(() => {
    const controller = new AbortController();
    setCourse(null);
    setNotFound(false);
    setLoadError('');
    catalogApi
      .course(slug, { preview }, controller.signal)
      .then(setCourse)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 404) setNotFound(true);
        else setLoadError(toFormError(err, t).message);
      });
    return () => controller.abort();
    // Refetch when the user signs in/out: the enrolment and locks depend on it.
  }, [slug, preview, userId]);

  if (notFound) {
    return (
      <section className="page page-narrow">
        <PageHeading>{t('course.notFound')}</PageHeading>
        <p>
          <Link to="/catalog">{t('course.backToCatalog')}</Link>
        </p>
      </section>
    );
  }
  if (!course) return loadError ? <FormAlert message={loadError} /> : <Loading />;

  const enrolment = course.enrolment;
  const enrolled = enrolment !== null && enrolment.status !== 'revoked';
  const learnPath = `/learn/${encodeURIComponent(course.slug)}`;
  const duration = formatMinutes(course.estimated_minutes, lang);

  const onEnrol = async () => {
    if (!user) {
      navigate('/login', { state: { from: location.pathname + location.search } });
      return;
    }
    setEnrolling(true);
    setEnrolError('');
    try {
      await catalogApi.enrol(course.slug);
      navigate(learnPath);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        navigate('/login', { state: { from: location.pathname + location.search } });
        return;
      }
      setEnrolError(
        err instanceof ApiError && err.code === 'payment_required' ? t('course.paymentRequired') : toFormError(err, t).message,
      );
      setEnrolling(false);
    }
  };

  let action;
  if (enrolled) {
    action = (
      <Link to={learnPath} className="btn btn-primary btn-large">
        {t('course.continueLearning')}
      </Link>
    );
  } else if (course.is_free) {
    action = (
      <button type="button" className="btn btn-primary btn-large" onClick={onEnrol} disabled={enrolling || preview}>
        {t('course.enrolFree')}
      </button>
    );
  } else {
    action = (
      <button type="button" className="btn btn-primary btn-large" disabled>
        {t('course.buySoon')}
      </button>
    );
  }

  return (
    <article className="page course-landing">
      {preview ? (
        <p className="alert alert-info" role="status">
          {t('course.previewMode')}
        </p>
      ) : null}
      <p className="breadcrumbs">
        <Link to="/catalog">{t('course.backToCatalog')}</Link>
      </p>
      <div className="course-hero">
        <div className="course-hero-text">
          {course.category ? <p className="course-category">{course.category.name}</p> : null}
          <PageHeading>{course.title}</PageHeading>
          {course.subtitle ? <p className="course-hero-subtitle">{course.subtitle}</p> : null}
          {course.authors?.length ? (
            <p className="muted">{t('course.authors', { names: course.authors.map((a) => a.name).join(', ') })}</p>
          ) : null}
        </div>
        {course.cover_url ? <img className="course-hero-cover" src={course.cover_url} alt="" /> : null}
      </div>

      <div className="course-layout">
        <div className="course-main">
          {course.description_html ? (
            // Sanitised by the server (rendered from the author's Markdown).
            <div className="prose" dangerouslySetInnerHTML={{ __html: course.description_html }} />
          ) : null}

          <section aria-labelledby="syllabus-heading" className="syllabus">
            <h2 id="syllabus-heading">{t('course.syllabus')}</h2>
            <Syllabus course={course} enrolled={enrolled} />
          </section>
        </div>

        <aside className="course-aside card" aria-label={t('course.price')}>
          <dl className="facts facts-column">
            <div>
              <dt>{t('course.price')}</dt>
              <dd className="course-aside-price">
                <Price course={course} />
              </dd>
            </div>
            <div>
              <dt>{t('course.level')}</dt>
              <dd>{t(`level.${course.level}`)}</dd>
            </div>
            {duration ? (
              <div>
                <dt>{t('course.duration')}</dt>
                <dd>{duration}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('course.lessonCount')}</dt>
              <dd>{course.lesson_count}</dd>
            </div>
            <div>
              <dt>{t('course.language')}</dt>
              <dd>{t(`language.${course.language}`)}</dd>
            </div>
          </dl>
          {enrolled && enrolment ? (
            <>
              <p className="muted">{t('course.enrolledNote')}</p>
              <ProgressBar value={enrolment.progress_percent} label={t('learn.progress')} />
            </>
          ) : null}
          {enrolment?.status === 'revoked' ? <p className="muted">{t('course.revokedNote')}</p> : null}
          <FormAlert message={enrolError} />
          <div className="course-action">{action}</div>
        </aside>
      </div>
    </article>
  );
}

function Syllabus({ course, enrolled }: { course: CourseDetail; enrolled: boolean }) {
  const { t } = useI18n();
  return (
    <ol className="syllabus-modules">
      {course.modules.map((module) => (
        <li key={module.id} className="syllabus-module">
          <h3>{module.title}</h3>
          <ol className="syllabus-lessons">
            {module.lessons.map((lesson) => {
              const open = enrolled || lesson.is_free_preview;
              const duration = formatClock(lesson.duration_seconds);
              return (
                <li key={lesson.id} className={`syllabus-lesson${open ? '' : ' is-locked'}`}>
                  <LessonKindLabel kind={lesson.kind} iconOnly />
                  <span className="syllabus-lesson-title">
                    {open ? <Link to={lessonPath(course.slug, lesson.id)}>{lesson.title}</Link> : lesson.title}
                  </span>
                  {lesson.is_free_preview ? <span className="badge badge-preview">{t('course.preview')}</span> : null}
                  {!open ? (
                    <span className="lock" title={t('course.locked')}>
                      <span aria-hidden="true">🔒</span>
                      <span className="visually-hidden">{t('course.locked')}</span>
                    </span>
                  ) : null}
                  {duration ? <span className="syllabus-duration muted">{duration}</span> : null}
                </li>
              );
            })}
          </ol>
        </li>
      ))}
    </ol>
  );
}
