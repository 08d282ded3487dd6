import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext';

/**
 * "Copy" for a value shown next to it. `what` names the value for screen readers ("Copy ACS URL")
 * through visually hidden text, not aria-label, so the button never answers to a form label.
 */
export function CopyButton({ value, what }: { value: string; what: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const copy = async () => {
    let ok = false;
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(value);
        ok = true;
      }
    } catch {
      ok = false;
    }
    setStatus(ok ? 'copied' : 'failed');
    if (timer.current !== null) clearTimeout(timer.current);
    if (ok) timer.current = setTimeout(() => setStatus('idle'), 4000);
  };

  return (
    <span className="copy">
      <button type="button" className="btn btn-secondary btn-small" onClick={copy}>
        {t('sso.copy')}
        <span className="visually-hidden"> {what}</span>
      </button>
      <span role="status" className={status === 'failed' ? 'copy-status field-error' : 'copy-status muted'}>
        {status === 'copied' ? t('sso.copied') : status === 'failed' ? t('sso.copyFailed') : ''}
      </span>
    </span>
  );
}
