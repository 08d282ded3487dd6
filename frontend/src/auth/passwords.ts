import type { Translate } from '../i18n/I18nContext';

/** Client-side checks shared by the invitation and password-reset forms. */
export function checkPasswordPair(password: string, confirm: string, t: Translate): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (!password) fields.password = [t('error.required')];
  if (!confirm) fields.confirm_password = [t('error.required')];
  else if (password && password !== confirm) fields.confirm_password = [t('error.passwordMismatch')];
  return fields;
}
