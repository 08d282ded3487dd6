import type { AssignPayload, DueKind, DueSpec } from '../../api/types';
import type { Translate } from '../../i18n/I18nContext';
import { parseWholeNumber } from './format';

/** Server limits (lms/corporate/services/assignments.py, rules.py). */
export const MAX_DUE_DAYS = 3650;
export const MAX_RECERTIFY_MONTHS = 120;

export interface DueInput {
  kind: DueKind;
  /** YYYY-MM-DD, for kind "date" */
  date: string;
  /** text of the number input, for the relative kinds */
  days: string;
}

export interface AssignFormState {
  courses: string[];
  /** user ids (Employee.user_id) */
  users: number[];
  groups: number[];
  departments: number[];
  due: DueInput;
  required: boolean;
  recertifyMonths: string;
}

export type FieldErrors = Record<string, string[]>;

/** The due-date part of a payload, or the field errors (`due_date`, `due_days`). */
export function buildDue(due: DueInput, t: Translate): { due: DueSpec } | { errors: FieldErrors } {
  switch (due.kind) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(due.date)
        ? { due: { kind: 'date', date: due.date } }
        : { errors: { due_date: [t('hr.assign.dateRequired')] } };
    case 'after_assignment':
    case 'after_hire': {
      const days = parseWholeNumber(due.days, 1, MAX_DUE_DAYS);
      return days === null
        ? { errors: { due_days: [t('hr.numberRange', { min: 1, max: MAX_DUE_DAYS })] } }
        : { due: { kind: due.kind, days } };
    }
    default:
      return { due: { kind: 'none' } };
  }
}

/** POST /api/hr/assignments/ body from the form, or the errors to show. */
export function buildAssignPayload(
  state: AssignFormState,
  t: Translate,
): { payload: AssignPayload; errors?: undefined } | { payload?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (state.courses.length === 0) errors.courses = [t('hr.assign.chooseCourse')];
  if (state.users.length + state.groups.length + state.departments.length === 0) {
    errors.targets = [t('hr.assign.chooseTarget')];
  }
  const due = buildDue(state.due, t);
  if ('errors' in due) Object.assign(errors, due.errors);
  let recertify: number | null = null;
  if (state.recertifyMonths.trim()) {
    recertify = parseWholeNumber(state.recertifyMonths, 1, MAX_RECERTIFY_MONTHS);
    if (recertify === null) errors.recertify_months = [t('hr.numberRange', { min: 1, max: MAX_RECERTIFY_MONTHS })];
  }
  if (Object.keys(errors).length || 'errors' in due) return { errors };
  return {
    payload: {
      courses: state.courses,
      users: state.users,
      groups: state.groups,
      departments: state.departments,
      due: due.due,
      required: state.required,
      recertify_months: recertify,
    },
  };
}
