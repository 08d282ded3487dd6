import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ssoApi } from '../../../api/endpoints';
import type { SsoCertificateWarning, SsoProvider, SsoSettings } from '../../../api/types';
import { FormAlert } from '../../../components/FormAlert';
import { PageHeading } from '../../../components/PageHeading';
import { useI18n } from '../../../i18n/I18nContext';
import { useLoad } from '../../hr/useLoad';
import { LoginDomains } from './LoginDomains';
import { LoginPolicyForm } from './LoginPolicyForm';
import { ProviderCreateForm } from './ProviderCreateForm';
import { CertificateCell, ProviderStatusBadges } from './SsoBadges';
import { SpDetails } from './SpDetails';

/** /admin/sso — identity providers, our service-provider details, the login policy, e-mail domains. */
export function SsoPage() {
  const { t } = useI18n();
  const providers = useLoad((signal) => ssoApi.providers(signal), []);
  const settings = useLoad((signal) => ssoApi.settings(signal), []);
  const list = providers.data?.results ?? null;

  return (
    <section className="sso">
      <PageHeading>{t('sso.title')}</PageHeading>
      <p className="muted">{t('sso.intro')}</p>
      {settings.data ? <CertificateWarnings warnings={settings.data.certificate_warnings} providers={list ?? []} /> : null}

      <ProvidersSection
        providers={list}
        presets={providers.data?.presets ?? null}
        error={providers.error}
        loading={providers.loading}
      />

      <FormAlert message={settings.error} />
      {settings.data ? (
        <div className="grid-2">
          <SpDetails sp={settings.data.sp} />
          <LoginPolicyForm
            settings={settings.data}
            providers={list}
            onSaved={(saved: SsoSettings) => settings.setData(saved)}
          />
        </div>
      ) : null}

      <LoginDomains />
    </section>
  );
}

function CertificateWarnings({ warnings, providers }: { warnings: SsoCertificateWarning[]; providers: SsoProvider[] }) {
  const { t, formatDay } = useI18n();
  if (warnings.length === 0) return null;
  const names = new Map(providers.map((p) => [p.slug, p.name]));
  return (
    <div className="sso-warnings">
      {warnings.map((warning) => {
        const date = formatDay(warning.expires_at);
        const name = warning.provider ? (names.get(warning.provider) ?? warning.provider) : '';
        const text = warning.provider
          ? t(warning.expired ? 'sso.warn.providerExpired' : 'sso.warn.provider', { name, date })
          : t(warning.expired ? 'sso.warn.spExpired' : 'sso.warn.sp', { date });
        return (
          <div
            key={`${warning.provider ?? 'sp'}-${warning.expires_at}`}
            className={`alert ${warning.expired ? 'alert-error' : 'alert-warning'}`}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
}

function ProvidersSection({
  providers,
  presets,
  error,
  loading,
}: {
  providers: SsoProvider[] | null;
  presets: string[] | null;
  error: string;
  loading: boolean;
}) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const wasAdding = useRef(false);

  // Closing the form gives the focus back to the button that opened it.
  useEffect(() => {
    if (wasAdding.current && !adding) addButton.current?.focus();
    wasAdding.current = adding;
  }, [adding]);

  return (
    <section className="sso-providers" aria-labelledby="sso-providers">
      <div className="toolbar">
        <h2 id="sso-providers">{t('sso.providers')}</h2>
        <button
          ref={addButton}
          type="button"
          className="btn btn-primary"
          aria-expanded={adding}
          aria-controls={adding ? 'sso-new-provider' : undefined}
          onClick={() => setAdding((open) => !open)}
        >
          {t('sso.addProvider')}
        </button>
      </div>
      {adding ? <ProviderCreateForm id="sso-new-provider" presets={presets} onCancel={() => setAdding(false)} /> : null}
      <FormAlert message={error} />
      <div className="table-wrap" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('sso.col.protocol')}</th>
              <th scope="col">{t('sso.col.status')}</th>
              <th scope="col">{t('sso.col.certificate')}</th>
            </tr>
          </thead>
          <tbody>
            {providers && providers.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  {t('sso.providers.empty')}
                </td>
              </tr>
            ) : null}
            {providers?.map((provider) => (
              <tr key={provider.id}>
                <td>
                  <Link to={`/admin/sso/${provider.id}`}>{provider.name}</Link>
                </td>
                <td>{t(`sso.protocol.${provider.protocol}`)}</td>
                <td>
                  <ProviderStatusBadges provider={provider} />
                </td>
                <td>
                  <CertificateCell provider={provider} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
