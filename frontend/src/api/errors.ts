import { ApiError, type FieldErrors } from './client';
import type { Translate } from '../i18n/I18nContext';

export interface FormError {
  /** General message for the role="alert" element ('' when there is none). */
  message: string;
  fields: FieldErrors;
}

export const NO_ERROR: FormError = { message: '', fields: {} };

/**
 * Converts anything thrown by an API call into what a form shows. Field errors
 * for fields the form does not render are folded into the general message.
 */
export function toFormError(err: unknown, t: Translate, knownFields: readonly string[] = []): FormError {
  if (!(err instanceof ApiError)) return { message: t('error.unknown'), fields: {} };
  if (err.code === 'network_error') return { message: t('error.network'), fields: {} };

  const fields: FieldErrors = {};
  const stray: string[] = [];
  for (const [name, msgs] of Object.entries(err.fields)) {
    if (knownFields.includes(name)) fields[name] = msgs;
    else stray.push(...msgs);
  }

  let message = err.message;
  if (!message && err.status === 429) message = t('error.throttled', { seconds: err.retryAfter ?? 60 });
  else if (err.status === 429 && err.retryAfter !== null && !/\d/.test(message)) {
    message = `${message} ${t('error.throttled', { seconds: err.retryAfter })}`;
  }
  if (!message && Object.keys(fields).length === 0 && stray.length === 0) message = t('error.unknown');
  if (stray.length) message = [message, ...stray].filter(Boolean).join(' ');
  return { message, fields };
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
