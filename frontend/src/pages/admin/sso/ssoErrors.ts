import { ApiError, type FieldErrors } from '../../../api/client';
import { toFormError, type FormError } from '../../../api/errors';
import type { Translate } from '../../../i18n/I18nContext';
import type { MessageKey } from '../../../i18n/messages';

/** Server messages are English only; these codes get a translated explanation. */
const CODE_MESSAGES: Record<string, MessageKey> = {
  idp_not_configured: 'sso.error.notConfigured',
  idp_exists: 'sso.error.idpExists',
  invalid_metadata: 'sso.error.invalidMetadata',
  unsafe_url: 'sso.error.unsafeUrl',
  fetch_failed: 'sso.error.fetchFailed',
  domain_taken: 'sso.error.domainTaken',
  invalid_domain: 'sso.error.invalidDomain',
  verification_failed: 'sso.error.verificationFailed',
  dns_unavailable: 'sso.error.dnsUnavailable',
  idp_not_found: 'error.notFound',
  domain_not_found: 'error.notFound',
  not_found: 'error.notFound',
};

/**
 * toFormError for the SSO forms: `remap` first moves the server's field names onto the form's
 * controls; known codes get a message in the user's language. A validation error whose fields are
 * all shown next to their controls gets a short general message instead of the English one.
 */
export function ssoFormError(
  err: unknown,
  t: Translate,
  knownFields: readonly string[] = [],
  remap: (fields: FieldErrors) => FieldErrors = (fields) => fields,
): FormError {
  if (!(err instanceof ApiError)) return toFormError(err, t, knownFields);
  const remapped = new ApiError(err.status, err.code, err.message, remap(err.fields), err.retryAfter, err.details);
  const formError = toFormError(remapped, t, knownFields);
  const key = CODE_MESSAGES[err.code];
  if (key) return { ...formError, message: t(key) };
  const names = Object.keys(remapped.fields);
  const allPlaced = names.length > 0 && names.every((name) => knownFields.includes(name));
  if (err.status === 400 && allPlaced) return { ...formError, message: t('sso.error.checkFields') };
  return formError;
}

export function ssoErrorMessage(err: unknown, t: Translate): string {
  return ssoFormError(err, t).message;
}
