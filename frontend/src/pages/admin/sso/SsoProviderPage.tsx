import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client';
import { ssoApi } from '../../../api/endpoints';
import type { SsoProvider } from '../../../api/types';
import { FormAlert, FormSuccess } from '../../../components/FormAlert';
import { Loading } from '../../../components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { pageNavigation } from '../../../auth/redirect';
import { useI18n } from '../../../i18n/I18nContext';
import type { MessageKey } from '../../../i18n/messages';
import { useLoad } from '../../hr/useLoad';
import { ProviderSettingsForm } from './ProviderSettingsForm';
import { CertificateCell, EnabledBadge } from './SsoBadges';
import { ssoErrorMessage } from './ssoErrors';

const HISTORY_ACTIONS = ['created', 'updated', 'metadata_imported', 'discovery_configured', 'deleted'];

/** /admin/sso/:id — one identity provider: status and test, settings, change history, delete. */
export function SsoProviderPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const location = useLocation();
  const provider = useLoad((signal) => ssoApi.provider(id, signal), [id]);
  const [historyVersion, setHistoryVersion] = useState(0);
  const justCreated = Boolean((location.state as { created?: unknown } | null)?.created);

  const back = (
    <p className="breadcrumbs">
      <Link to="/admin/sso">{t('sso.back')}</Link>
    </p>
  );
  if (provider.error && !provider.data) {
    return (
      <section>
        {back}
        <PageHeading>{t('sso.title')}</PageHeading>
        <FormAlert message={provider.error} />
      </section>
    );
  }
  if (!provider.data) return <Loading />;

  const changed = (updated: SsoProvider) => {
    provider.setData(updated);
    setHistoryVersion((v) => v + 1);
  };

  return (
    <section className="sso-provider">
      {back}
      <PageHeading>{provider.data.name}</PageHeading>
      <FormSuccess message={justCreated ? t('sso.created') : ''} />
      <ProviderSummary provider={provider.data} onChange={changed} />
      <ProviderSettingsForm provider={provider.data} onSaved={changed} />
      <ProviderHistory providerId={provider.data.id} version={historyVersion} />
      <DeleteProvider provider={provider.data} />
    </section>
  );
}

function ProviderSummary({ provider, onChange }: { provider: SsoProvider; onChange: (provider: SsoProvider) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'toggle' | 'test' | 'reload' | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const run = async (kind: 'toggle' | 'test' | 'reload', action: () => Promise<void>) => {
    setBusy(kind);
    setError('');
    setNotice('');
    try {
      await action();
    } catch (err) {
      setError(ssoErrorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const toggle = () =>
    run('toggle', async () => {
      const updated = await ssoApi.updateProvider(provider.id, { enabled: !provider.enabled });
      onChange(updated);
      setNotice(updated.enabled ? t('sso.nowEnabled') : t('sso.nowDisabled'));
    });

  const test = () =>
    run('test', async () => {
      const { url } = await ssoApi.testProvider(provider.id);
      pageNavigation.assign(url);
    });

  const reload = () =>
    run('reload', async () => {
      onChange(await ssoApi.importMetadata(provider.id, { url: provider.metadata_url }));
      setNotice(t('sso.metadataReloaded'));
    });

  const saml = provider.protocol === 'saml';
  return (
    <section className="card" aria-labelledby="sso-summary">
      <h2 id="sso-summary">{t('sso.section.connection')}</h2>
      <FormAlert message={error} />
      <div role="status">{notice ? <p className="alert alert-success">{notice}</p> : null}</div>
      <dl className="facts">
        <div>
          <dt>{t('sso.status')}</dt>
          <dd>
            <EnabledBadge enabled={provider.enabled} />
            {provider.configured ? null : <span className="badge badge-suspended">{t('sso.notConfigured')}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('sso.col.protocol')}</dt>
          <dd>{t(`sso.protocol.${provider.protocol}`)}</dd>
        </div>
        <div>
          <dt>{t('field.slug')}</dt>
          <dd>
            <code>{provider.slug}</code>
          </dd>
        </div>
        {saml ? (
          <>
            <div>
              <dt>{t('sso.fact.entityId')}</dt>
              <dd>{provider.idp_entity_id || <span className="muted">{t('sso.notImported')}</span>}</dd>
            </div>
            <div>
              <dt>{t('sso.fact.ssoUrl')}</dt>
              <dd>{provider.idp_sso_url || <span className="muted">—</span>}</dd>
            </div>
            <div>
              <dt>{t('sso.fact.sloUrl')}</dt>
              <dd>{provider.idp_slo_url || <span className="muted">—</span>}</dd>
            </div>
            <div>
              <dt>{t('sso.fact.certificates')}</dt>
              <dd>{provider.certificates}</dd>
            </div>
            <div>
              <dt>{t('sso.fact.certificateExpires')}</dt>
              <dd>
                <CertificateCell provider={provider} />
              </dd>
            </div>
          </>
        ) : (
          <>
            <div>
              <dt>{t('sso.fact.issuer')}</dt>
              <dd>{provider.oidc_issuer || <span className="muted">{t('sso.notImported')}</span>}</dd>
            </div>
            <div>
              <dt>{t('sso.fact.secret')}</dt>
              <dd>{provider.has_client_secret ? t('sso.secret.stored') : t('sso.secret.missing')}</dd>
            </div>
          </>
        )}
      </dl>
      <div className="button-row">
        <button
          type="button"
          className={provider.enabled ? 'btn btn-secondary' : 'btn btn-primary'}
          disabled={busy !== null}
          onClick={toggle}
        >
          {provider.enabled ? t('sso.disable') : t('sso.enable')}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={busy !== null}
          onClick={test}
          aria-describedby="sso-test-hint"
        >
          {t('sso.test')}
        </button>
        {saml && provider.metadata_url ? (
          <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={reload}>
            {t('sso.reloadMetadata')}
          </button>
        ) : null}
      </div>
      <p className="field-hint" id="sso-test-hint">
        {t('sso.testHint')}
      </p>
    </section>
  );
}

function ProviderHistory({ providerId, version }: { providerId: number; version: number }) {
  const { t, formatDate } = useI18n();
  const history = useLoad(async (signal) => (await ssoApi.history(providerId, signal)).results, [providerId, version]);
  const entries = history.data ?? [];
  return (
    <section className="card" aria-labelledby="sso-history" aria-busy={history.loading}>
      <h2 id="sso-history">{t('sso.section.history')}</h2>
      <FormAlert message={history.error} />
      {history.data && entries.length === 0 ? <p className="muted">{t('sso.history.empty')}</p> : null}
      {entries.length ? (
        <ol className="sso-history">
          {entries.map((entry, index) => (
            <li key={`${entry.created_at}-${index}`}>
              <time dateTime={entry.created_at}>{formatDate(entry.created_at)}</time>{' '}
              <strong>
                {HISTORY_ACTIONS.includes(entry.action)
                  ? t(`sso.history.${entry.action}` as MessageKey)
                  : entry.action}
              </strong>{' '}
              <span className="muted">{entry.actor || t('audit.system')}</span>
              {entry.fields.length ? (
                <div className="sso-history-fields">
                  {t('sso.history.fields')}{' '}
                  {entry.fields.map((field, i) => (
                    <span key={field}>
                      {i ? ', ' : ''}
                      <code>{field}</code>
                    </span>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function DeleteProvider({ provider }: { provider: SsoProvider }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  const deleteButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Leaving the confirmation puts the focus back on the button that opened it.
  useEffect(() => {
    if (wasConfirming.current && !confirming) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const remove = async () => {
    setPending(true);
    setError('');
    try {
      await ssoApi.deleteProvider(provider.id);
      navigate('/admin/sso', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t('error.notFound') : ssoErrorMessage(err, t));
      setPending(false);
      setConfirming(false);
    }
  };

  return (
    <section className="card" aria-labelledby="sso-delete">
      <h2 id="sso-delete">{t('sso.section.delete')}</h2>
      <FormAlert message={error} />
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="confirm-delete-provider">
          <p id="confirm-delete-provider">{t('sso.confirmDelete', { name: provider.name })}</p>
          <div className="button-row">
            <button type="button" className="btn btn-danger" disabled={pending} onClick={remove} autoFocus>
              {t('sso.confirmDeleteYes')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirming(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button ref={deleteButton} type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
          {t('sso.delete')}
        </button>
      )}
    </section>
  );
}
