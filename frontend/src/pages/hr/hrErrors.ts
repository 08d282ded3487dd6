import { ApiError } from '../../api/client';
import { toFormError, type FormError } from '../../api/errors';
import type { Translate } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';

/** Server messages are English only; these codes get a translated explanation. */
const CODE_MESSAGES: Record<string, MessageKey> = {
  user_exists: 'hr.error.userExists',
  employee_id_taken: 'hr.error.employeeIdTaken',
  not_invited: 'hr.error.notInvited',
  cannot_deactivate_self: 'hr.error.cannotDeactivateSelf',
  last_tenant_admin: 'hr.error.lastTenantAdmin',
  role_change_forbidden: 'hr.error.roleForbidden',
  department_not_empty: 'hr.error.departmentNotEmpty',
  department_exists: 'hr.error.departmentExists',
  department_cycle: 'hr.error.departmentCycle',
  group_exists: 'hr.error.groupExists',
  manager_cycle: 'hr.error.managerCycle',
  invalid_manager: 'hr.error.invalidManager',
  file_too_large: 'hr.error.fileTooLarge',
};

function detailNumber(details: Record<string, unknown>, name: string): number | null {
  const value = details[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The seat-limit conflict (409 `seat_limit_reached`, details {used, limit}) in the user's language. */
export function seatLimitMessage(err: ApiError, t: Translate): string {
  const used = detailNumber(err.details, 'used');
  const limit = detailNumber(err.details, 'limit');
  if (used === null || limit === null) return t('hr.error.seatLimitShort');
  return t('hr.error.seatLimit', { used, limit });
}

export function isSeatLimit(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'seat_limit_reached';
}

/** toFormError plus translated messages for the HR conflicts the UI knows about. */
export function hrFormError(err: unknown, t: Translate, knownFields: readonly string[] = []): FormError {
  const formError = toFormError(err, t, knownFields);
  if (!(err instanceof ApiError)) return formError;
  if (err.code === 'seat_limit_reached') return { ...formError, message: seatLimitMessage(err, t) };
  if (err.status === 413) return { ...formError, message: t('hr.error.fileTooLarge') };
  const key = CODE_MESSAGES[err.code];
  return key ? { ...formError, message: t(key) } : formError;
}

export function hrErrorMessage(err: unknown, t: Translate): string {
  return hrFormError(err, t).message;
}
