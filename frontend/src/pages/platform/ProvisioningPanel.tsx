import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { platformApi } from '../../api/endpoints';
import { toFormError } from '../../api/errors';
import type { Tenant } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nContext';

export const POLL_INTERVAL_MS = 1000;

export function isProvisioningFinished(tenant: Tenant): boolean {
  return tenant.status !== 'provisioning' || tenant.provisioning?.state === 'failed';
}

/**
 * Shows the live provisioning progress of a tenant, polling
 * GET /api/platform/tenants/{slug}/ every second until it is active or failed.
 */
export function ProvisioningPanel({
  initial,
  onChange,
  showSettingsLink = true,
  pollInterval = POLL_INTERVAL_MS,
}: {
  initial: Tenant;
  onChange?: (tenant: Tenant) => void;
  showSettingsLink?: boolean;
  pollInterval?: number;
}) {
  const { t } = useI18n();
  const [tenant, setTenant] = useState<Tenant>(initial);
  const [pollError, setPollError] = useState('');
  const [retryError, setRetryError] = useState('');
  const [retrying, setRetrying] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const slug = initial.slug;
  const finished = isProvisioningFinished(tenant);

  useEffect(() => {
    if (finished) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      timer = setTimeout(async () => {
        try {
          const next = await platformApi.getTenant(slug);
          if (!active) return;
          setTenant(next);
          setPollError('');
          onChangeRef.current?.(next);
          if (!isProvisioningFinished(next)) tick();
        } catch (err) {
          if (!active) return;
          setPollError(toFormError(err, t).message);
          tick(); // keep polling through transient errors
        }
      }, pollInterval);
    };
    tick();
    return () => {
      active = false;
      clearTimeout(timer);
    };
    // Restart only when the tenant or the finished state changes.
  }, [slug, finished, pollInterval]);

  const retry = async () => {
    setRetrying(true);
    setRetryError('');
    try {
      const next = await platformApi.retryProvisioning(slug);
      setTenant(next);
      onChangeRef.current?.(next);
    } catch (err) {
      setRetryError(toFormError(err, t).message);
    } finally {
      setRetrying(false);
    }
  };

  const failed = tenant.status === 'provisioning' && tenant.provisioning?.state === 'failed';
  const progress = Math.max(0, Math.min(100, Math.round(tenant.provisioning?.progress ?? 0)));
  const statusLabel = t(`status.${tenant.status}`);

  return (
    <div className="provisioning card">
      <p className="provisioning-status" data-testid="provisioning-status">
        <span className="muted">{t('wizard.status')}:</span> <StatusBadge status={tenant.status} />
        {statusLabel !== tenant.status ? <span className="muted"> ({tenant.status})</span> : null}
      </p>

      {tenant.status === 'provisioning' ? (
        <>
          <div className="progress-row">
            <progress max={100} value={progress} aria-label={t('wizard.progress')} />
            <span aria-hidden="true">{progress}%</span>
          </div>
          {tenant.provisioning?.step ? (
            <p aria-live="polite">
              <span className="muted">{t('wizard.step')}:</span> {tenant.provisioning.step}
            </p>
          ) : null}
        </>
      ) : null}

      {failed ? (
        <>
          <FormAlert message={[t('wizard.failed'), tenant.provisioning.error].filter(Boolean).join(' ')} />
          <button type="button" className="btn btn-primary" onClick={retry} disabled={retrying}>
            {t('action.retry')}
          </button>
        </>
      ) : null}
      <FormAlert message={retryError || (failed ? '' : pollError)} />

      {tenant.status === 'active' ? (
        <div className="provisioning-ready">
          <p role="status">{t('wizard.ready')}</p>
          {tenant.primary_url ? (
            <p>
              <a href={tenant.primary_url} className="btn btn-primary">
                {t('wizard.open', { url: tenant.primary_url })}
              </a>
            </p>
          ) : null}
        </div>
      ) : null}

      {showSettingsLink ? (
        <p>
          <Link to={`/platform/tenants/${encodeURIComponent(slug)}`}>{t('wizard.details')}</Link>
        </p>
      ) : null}
    </div>
  );
}
