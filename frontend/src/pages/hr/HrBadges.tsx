import { ASSIGNMENT_STATUSES, EMPLOYEE_STATUSES } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';

export function EmployeeStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const known = (EMPLOYEE_STATUSES as readonly string[]).includes(status);
  return (
    <span className={`badge badge-employee-${known ? status : 'unknown'}`}>
      {known ? t(`hr.employeeStatus.${status}` as MessageKey) : status}
    </span>
  );
}

export function AssignmentStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const known = (ASSIGNMENT_STATUSES as readonly string[]).includes(status);
  return (
    <span className={`badge badge-assignment-${known ? status : 'unknown'}`}>
      {known ? t(`hr.assignmentStatus.${status}` as MessageKey) : status}
    </span>
  );
}
