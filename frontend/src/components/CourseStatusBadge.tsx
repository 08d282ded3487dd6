import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/messages';

const KNOWN = ['draft', 'published', 'unpublished', 'archived'];

/** Publication status of a course (authoring views). */
export function CourseStatusBadge({ status }: { status: string | undefined }) {
  const { t } = useI18n();
  if (!status) return null;
  const known = KNOWN.includes(status);
  return (
    <span className={`badge badge-course-${known ? status : 'unknown'}`}>
      {known ? t(`courseStatus.${status}` as MessageKey) : status}
    </span>
  );
}
