import { useState } from 'react';
import { PageHeading } from '../../components/PageHeading';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';
import { AssignForm } from './AssignForm';
import { AssignmentList } from './AssignmentList';
import { useCourses, useDepartments, useGroups } from './lookups';

/** /hr/assignments — assign courses; the current assignments with bulk actions. */
export function AssignmentsPage() {
  const { t } = useI18n();
  const courses = useCourses();
  const groups = useGroups();
  const departments = useDepartments();
  const [version, setVersion] = useState(0);
  return (
    <section>
      <PageHeading>{t('hr.assignments.title')}</PageHeading>
      <FormAlert message={courses.error || groups.error || departments.error} />
      <AssignForm
        courses={courses.data}
        groups={groups.data}
        departments={departments.data}
        onAssigned={() => setVersion((v) => v + 1)}
      />
      <AssignmentList courses={courses.data} version={version} />
    </section>
  );
}
