import { useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from '../../../api/client';
import { hrApi, ssoApi } from '../../../api/endpoints';
import { NO_ERROR, type FormError } from '../../../api/errors';
import type { Employee, SsoProvider, SsoSettings } from '../../../api/types';
import { CheckboxField, SelectField } from '../../../components/FormControls';
import { FormAlert, FormSuccess } from '../../../components/FormAlert';
import { useI18n, type Translate } from '../../../i18n/I18nContext';
import { useLoad } from '../../hr/useLoad';
import { ssoFormError } from './ssoErrors';

const FIELDS = ['sso_required', 'fallback_admin_id'] as const;
/** Pages of 200 people scanned for tenant admins (the directory has no role filter). */
const MAX_PAGES = 10;

/** Active tenant admins: the people who may be the password fallback. */
async function tenantAdmins(signal: AbortSignal): Promise<Employee[]> {
  const admins: Employee[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const data = await hrApi.employees({ status: 'active', page_size: 200, page }, signal);
    admins.push(...data.results.filter((employee) => employee.role === 'tenant_admin'));
    if (!data.next) break;
  }
  return admins;
}

function adminLabel(employee: Employee): string {
  const name = employee.full_name || [employee.first_name, employee.last_name].filter(Boolean).join(' ');
  return name ? `${name} (${employee.email})` : employee.email;
}

/**
 * The server gives one code (`invalid_sso_config`) and English text for both reasons SSO cannot be
 * required; what the page knows tells them apart.
 */
function policyError(
  err: unknown,
  t: Translate,
  context: { providers: SsoProvider[] | null; fallback: string },
): FormError {
  const formError = ssoFormError(err, t, FIELDS);
  if (!(err instanceof ApiError)) return formError;
  const fields: FieldErrors = { ...formError.fields };
  let message = formError.message;
  if (fields.sso_required) {
    const noEnabledProvider = context.providers !== null && !context.providers.some((p) => p.enabled);
    const reason = noEnabledProvider ? t('sso.error.needProvider') : !context.fallback ? t('sso.error.needFallback') : null;
    if (reason) {
      fields.sso_required = [reason];
      message = reason;
    } else {
      message = fields.sso_required.join(' ');
    }
  }
  if (fields.fallback_admin_id) {
    fields.fallback_admin_id = [t('sso.error.fallbackInvalid')];
    if (!fields.sso_required) message = t('sso.error.fallbackInvalid');
  }
  return { message, fields };
}

/** "Require single sign-on" and the one tenant admin who keeps password sign-in. */
export function LoginPolicyForm({
  settings,
  providers,
  onSaved,
}: {
  settings: SsoSettings;
  providers: SsoProvider[] | null;
  onSaved: (settings: SsoSettings) => void;
}) {
  const { t } = useI18n();
  const admins = useLoad((signal) => tenantAdmins(signal), []);
  const [required, setRequired] = useState(settings.sso_required);
  const [fallback, setFallback] = useState(settings.fallback_admin_id === null ? '' : String(settings.fallback_admin_id));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const options: Array<readonly [string, string]> = [
    ['', t('sso.policy.noFallback')],
    ...(admins.data ?? []).map((employee) => [String(employee.user_id), adminLabel(employee)] as const),
  ];
  // Keep the saved choice selectable while the list loads (or if the list stopped short of it).
  if (fallback && !options.some(([value]) => value === fallback)) {
    options.push([fallback, t('sso.policy.adminId', { id: fallback })]);
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    setPending(true);
    setError(NO_ERROR);
    try {
      const result = await ssoApi.updateSettings({
        fallback_admin_id: fallback ? Number(fallback) : null,
        sso_required: required,
      });
      onSaved(result);
      setRequired(result.sso_required);
      setFallback(result.fallback_admin_id === null ? '' : String(result.fallback_admin_id));
      setSaved(true);
    } catch (err) {
      setError(policyError(err, t, { providers, fallback }));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card sso-policy" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="sso-policy">
      <h2 id="sso-policy">{t('sso.policy.title')}</h2>
      <p className="muted">{t('sso.policy.intro')}</p>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('sso.policy.saved') : ''} />
      <CheckboxField
        label={t('sso.policy.required')}
        name="sso_required"
        checked={required}
        onChange={(e) => setRequired(e.target.checked)}
        errors={error.fields.sso_required}
      />
      <SelectField
        label={t('sso.policy.fallback')}
        name="fallback_admin_id"
        value={fallback}
        onChange={(e) => setFallback(e.target.value)}
        options={options}
        hint={admins.error || undefined}
        errors={error.fields.fallback_admin_id}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('sso.policy.save')}
        </button>
      </div>
    </form>
  );
}
