import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { CourseCard as CourseCardData } from '../api/types';
import { formatMinutes } from '../catalog/format';
import { useI18n } from '../i18n/I18nContext';
import { Price } from './Price';
import { ProgressBar } from './ProgressBar';

/** A course in a grid: cover, title, level, duration, price (and progress when enrolled). */
export function CourseCard({
  course,
  to,
  showPrice = true,
  children,
}: {
  course: CourseCardData;
  /** Where the title links to (default: the course landing page). */
  to?: string;
  showPrice?: boolean;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const href = to ?? `/courses/${encodeURIComponent(course.slug)}`;
  const duration = formatMinutes(course.estimated_minutes, lang);
  const enrolment = course.enrolment && course.enrolment.status !== 'revoked' ? course.enrolment : null;
  return (
    <article className="course-card">
      <div className="course-cover" aria-hidden="true">
        {course.cover_url ? <img src={course.cover_url} alt="" loading="lazy" /> : <span className="course-cover-placeholder">{course.title.slice(0, 1)}</span>}
      </div>
      <div className="course-card-body">
        {course.category ? <p className="course-category">{course.category.name}</p> : null}
        <h3 className="course-title">
          <Link to={href} className="course-link">
            {course.title}
          </Link>
        </h3>
        {course.subtitle ? <p className="course-subtitle">{course.subtitle}</p> : null}
        <ul className="course-meta">
          {course.level ? <li>{t(`level.${course.level}`)}</li> : null}
          {duration ? <li>{duration}</li> : null}
          {course.lesson_count ? <li>{t('catalog.lessons', { count: course.lesson_count })}</li> : null}
        </ul>
        {enrolment ? (
          <ProgressBar
            className="progress-small"
            value={enrolment.progress_percent}
            label={`${t('learn.progress')}: ${course.title}`}
          />
        ) : null}
        {children}
        {showPrice ? (
          <p className="course-price">
            <Price course={course} />
          </p>
        ) : null}
      </div>
    </article>
  );
}
