import { useState, type MouseEvent } from 'react';
import { learningApi } from '../api/endpoints';
import { toFormError } from '../api/errors';
import { saveBlob } from '../api/saveBlob';
import type { Certificate } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { FormAlert } from './FormAlert';

/** "/api/…" URLs need the in-memory access token, so they are fetched and saved as a blob. */
function needsAuth(url: string): boolean {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.origin === window.location.origin && parsed.pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

/** Download-PDF and verification links of a certificate. */
export function CertificateLinks({ certificate }: { certificate: Certificate }) {
  const { t } = useI18n();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const onDownload = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (!needsAuth(certificate.pdf_url)) return; // signed or public URL: let the browser follow it
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const blob = await learningApi.certificatePdf(certificate.pdf_url);
      saveBlob(blob, `certificate-${certificate.code}.pdf`);
    } catch (err) {
      setError(toFormError(err, t).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="certificate-links">
      <a href={certificate.pdf_url} onClick={onDownload} aria-busy={busy || undefined} download>
        {t('certificate.download')}
      </a>
      <a href={certificate.verify_url}>{t('certificate.verify')}</a>
      <FormAlert message={error} />
    </div>
  );
}
