import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { learningApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { AssignedCourse, CourseCard as CourseCardData, MyLearning } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CertificateLinks } from '../../components/CertificateLinks';
import { CourseCard } from '../../components/CourseCard';
import { EmailPreferences } from '../../components/EmailPreferences';
import { FormAlert } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';

const learnPath = (course: CourseCardData) => `/learn/${encodeURIComponent(course.slug)}`;

/** /learning — the learner's courses (in progress, assigned, completed) and certificates. */
export function MyLearningPage() {
  const { t, formatDay } = useI18n();
  const { user } = useAuth();
  const [data, setData] = useState<MyLearning | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    learningApi
      .my(controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, []);

  return (
    <section className="page my-learning">
      <div className="page-head">
        <PageHeading>{t('learning.title')}</PageHeading>
        <Link to="/catalog" className="btn btn-secondary">
          {t('learning.browse')}
        </Link>
      </div>
      <FormAlert message={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <>
          <LearningSection id="in-progress" title={t('learning.inProgress')} empty={!data.in_progress?.length}>
            <CourseList courses={data.in_progress ?? []} />
          </LearningSection>

          <LearningSection id="assigned" title={t('learning.assigned')} empty={!data.assigned?.length}>
            <ul className="course-grid">
              {(data.assigned ?? []).map((course) => (
                <li key={course.slug}>
                  <CourseCard course={course} to={learnPath(course)} showPrice={false}>
                    <AssignmentInfo course={course} />
                  </CourseCard>
                </li>
              ))}
            </ul>
          </LearningSection>

          <LearningSection id="completed" title={t('learning.completed')} empty={!data.completed?.length}>
            <CourseList courses={data.completed ?? []} />
          </LearningSection>

          <LearningSection id="certificates" title={t('learning.certificates')} empty={!data.certificates?.length}>
            <ul className="certificate-list">
              {(data.certificates ?? []).map((certificate) => (
                <li key={certificate.code} className="certificate card">
                  <h3>{certificate.course_title}</h3>
                  <p className="muted">
                    {t('certificate.issued', { date: formatDay(certificate.issued_at) })}
                    {certificate.revoked_at ? (
                      <>
                        {' · '}
                        <span className="badge badge-revoked">{t('certificate.revokedOn', { date: formatDay(certificate.revoked_at) })}</span>
                      </>
                    ) : null}
                    {' · '}
                    <code>{certificate.code}</code>
                  </p>
                  <CertificateLinks certificate={certificate} />
                </li>
              ))}
            </ul>
          </LearningSection>
        </>
      ) : null}
      {user?.tenant?.kind === 'corporate' ? <EmailPreferences /> : null}
    </section>
  );
}

/** Due date and Required/Optional/Overdue badges of an assigned course. */
function AssignmentInfo({ course }: { course: AssignedCourse }) {
  const { t, formatShortDay } = useI18n();
  const overdue = course.due_at !== null && new Date(course.due_at).getTime() < Date.now();
  return (
    <>
      {course.due_at ? (
        <p className={`due-date${overdue ? ' is-overdue' : ''}`}>
          <time dateTime={course.due_at}>{t('learning.due', { date: formatShortDay(course.due_at) })}</time>
        </p>
      ) : null}
      {typeof course.required === 'boolean' || overdue ? (
        <p className="assignment-badges">
          {course.required === true ? <span className="badge badge-required">{t('learning.required')}</span> : null}
          {course.required === false ? <span className="badge badge-optional">{t('learning.optional')}</span> : null}
          {overdue ? <span className="badge badge-overdue">{t('learning.overdue')}</span> : null}
        </p>
      ) : null}
    </>
  );
}

function LearningSection({ id, title, empty, children }: { id: string; title: string; empty: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const headingId = `learning-${id}`;
  return (
    <section className="learning-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {empty ? <p className="muted">{t('learning.emptySection')}</p> : children}
    </section>
  );
}

function CourseList({ courses }: { courses: CourseCardData[] }) {
  return (
    <ul className="course-grid">
      {courses.map((course) => (
        <li key={course.slug}>
          <CourseCard course={course} to={learnPath(course)} showPrice={false} />
        </li>
      ))}
    </ul>
  );
}
