import type { SsoProvider } from '../../../api/types';
import { useI18n } from '../../../i18n/I18nContext';
import { certificateState } from './ssoForm';

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${enabled ? 'badge-active' : 'badge-archived'}`}>
      {enabled ? t('sso.enabled') : t('sso.disabled')}
    </span>
  );
}

/** Enabled/disabled, plus "not configured" while the metadata or discovery is missing. */
export function ProviderStatusBadges({ provider }: { provider: SsoProvider }) {
  const { t } = useI18n();
  return (
    <span className="badge-row">
      <EnabledBadge enabled={provider.enabled} />
      {provider.configured ? null : <span className="badge badge-suspended">{t('sso.notConfigured')}</span>}
    </span>
  );
}

/** The IdP signing certificate's expiry, with a warning within 30 days of it (SAML only). */
export function CertificateCell({ provider }: { provider: SsoProvider }) {
  const { t, formatDay } = useI18n();
  const expiresAt = provider.certificate_expires_at;
  const state = certificateState(expiresAt);
  if (!expiresAt || state === 'none') return <span className="muted">—</span>;
  const date = formatDay(expiresAt);
  if (state === 'expired') return <span className="badge badge-overdue">{t('sso.cert.expired', { date })}</span>;
  if (state === 'soon') return <span className="badge badge-suspended">{t('sso.cert.expiresSoon', { date })}</span>;
  return <span>{t('sso.cert.until', { date })}</span>;
}
