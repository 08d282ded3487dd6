import type { SsoServiceProvider } from '../../../api/types';
import { CopyButton } from '../../../components/CopyButton';
import { useI18n } from '../../../i18n/I18nContext';
import type { MessageKey } from '../../../i18n/messages';
import { certificateState } from './ssoForm';

const URLS: ReadonlyArray<readonly [keyof SsoServiceProvider, MessageKey]> = [
  ['entity_id', 'sso.sp.entityId'],
  ['acs_url', 'sso.sp.acsUrl'],
  ['metadata_url', 'sso.sp.metadataUrl'],
  ['sls_url', 'sso.sp.slsUrl'],
  ['oidc_redirect_uri', 'sso.sp.redirectUri'],
];

/** What the company's IdP administrator needs from us: entity ID, endpoints, our certificate. */
export function SpDetails({ sp }: { sp: SsoServiceProvider }) {
  const { t, formatDay } = useI18n();
  const certState = certificateState(sp.certificate_expires_at);
  return (
    <section className="card sp-details" aria-labelledby="sso-sp">
      <h2 id="sso-sp">{t('sso.sp.title')}</h2>
      <p className="muted">{t('sso.sp.intro')}</p>
      <dl className="sp-facts">
        {URLS.map(([key, label]) => {
          const value = String(sp[key] ?? '');
          return (
            <div key={key}>
              <dt>{t(label)}</dt>
              <dd>
                <code className="sp-value">{value}</code>
                {value ? <CopyButton value={value} what={t(label)} /> : null}
              </dd>
            </div>
          );
        })}
        <div>
          <dt>{t('sso.sp.certificateExpires')}</dt>
          <dd>
            {sp.certificate_expires_at ? (
              <span className={certState === 'expired' || certState === 'soon' ? 'field-error' : undefined}>
                {formatDay(sp.certificate_expires_at)}
              </span>
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
        </div>
      </dl>
      {sp.certificate ? (
        <details className="sp-certificate">
          <summary>{t('sso.sp.certificate')}</summary>
          <pre>{sp.certificate}</pre>
          <CopyButton value={sp.certificate} what={t('sso.sp.certificateName')} />
        </details>
      ) : null}
    </section>
  );
}
