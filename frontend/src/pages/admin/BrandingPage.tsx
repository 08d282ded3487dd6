import { useRef, useState, type FormEvent } from 'react';
import { brandingApi } from '../../api/endpoints';
import { NO_ERROR, toFormError, type FormError } from '../../api/errors';
import type { Branding } from '../../api/types';
import { useBranding } from '../../branding/BrandingContext';
import { DEFAULT_ACCENT, DEFAULT_PRIMARY, normaliseColor } from '../../branding/applyBranding';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';

const FIELDS = [
  'display_name',
  'primary_color',
  'accent_color',
  'support_email',
  'metrika_id',
  'logo',
  'favicon',
] as const;

/** /admin — the tenant's branding form (PATCH /api/tenant/branding/, multipart). */
export function BrandingPage() {
  const { t } = useI18n();
  const { branding, loaded } = useBranding();
  if (!loaded) return <Loading />;
  return (
    <section>
      <PageHeading>{t('branding.title')}</PageHeading>
      <p className="muted">{t('branding.intro')}</p>
      <BrandingForm key={branding ? 'loaded' : 'empty'} initial={branding} />
    </section>
  );
}

function BrandingForm({ initial }: { initial: Branding | null }) {
  const { t } = useI18n();
  const { update } = useBranding();
  const [displayName, setDisplayName] = useState(initial?.display_name ?? '');
  const [primary, setPrimary] = useState(normaliseColor(initial?.primary_color, DEFAULT_PRIMARY));
  const [accent, setAccent] = useState(normaliseColor(initial?.accent_color, DEFAULT_ACCENT));
  const [supportEmail, setSupportEmail] = useState(initial?.support_email ?? '');
  const [metrikaId, setMetrikaId] = useState(initial?.metrika_id == null ? '' : String(initial.metrika_id));
  const [current, setCurrent] = useState(initial);
  const logoRef = useRef<HTMLInputElement>(null);
  const faviconRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    if (metrikaId.trim() && !/^\d+$/.test(metrikaId.trim())) {
      setError({ message: '', fields: { metrika_id: [t('branding.metrikaHint')] } });
      return;
    }
    const form = new FormData();
    form.append('display_name', displayName.trim());
    form.append('primary_color', primary);
    form.append('accent_color', accent);
    // Empty strings clear the optional fields.
    form.append('support_email', supportEmail.trim());
    form.append('metrika_id', metrikaId.trim());
    const logo = logoRef.current?.files?.[0];
    const favicon = faviconRef.current?.files?.[0];
    if (logo) form.append('logo', logo);
    if (favicon) form.append('favicon', favicon);

    setPending(true);
    setError(NO_ERROR);
    try {
      const result = await brandingApi.update(form);
      update(result);
      setCurrent(result);
      if (logoRef.current) logoRef.current.value = '';
      if (faviconRef.current) faviconRef.current.value = '';
      setSaved(true);
    } catch (err) {
      setError(toFormError(err, t, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card branding-form" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('branding.saved') : ''} />
      <Field
        label={t('field.displayName')}
        name="display_name"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        errors={error.fields.display_name}
      />
      <div className="field-row">
        <Field
          label={t('field.primaryColor')}
          type="color"
          name="primary_color"
          className="field-color"
          value={primary}
          onChange={(e) => setPrimary(e.target.value)}
          hint={<code>{primary}</code>}
          errors={error.fields.primary_color}
        />
        <Field
          label={t('field.accentColor')}
          type="color"
          name="accent_color"
          className="field-color"
          value={accent}
          onChange={(e) => setAccent(e.target.value)}
          hint={<code>{accent}</code>}
          errors={error.fields.accent_color}
        />
      </div>
      <Field
        label={t('field.supportEmail')}
        type="email"
        name="support_email"
        autoComplete="off"
        value={supportEmail}
        onChange={(e) => setSupportEmail(e.target.value)}
        errors={error.fields.support_email}
      />
      <Field
        label={t('field.metrikaId')}
        name="metrika_id"
        inputMode="numeric"
        autoComplete="off"
        value={metrikaId}
        onChange={(e) => setMetrikaId(e.target.value)}
        hint={t('branding.metrikaHint')}
        errors={error.fields.metrika_id}
      />
      <div className="field-row">
        <div>
          <Field
            ref={logoRef}
            label={t('field.logo')}
            type="file"
            name="logo"
            accept="image/png,image/jpeg,image/svg+xml,image/webp"
            hint={t('branding.fileHint')}
            errors={error.fields.logo}
          />
          {current?.logo_url ? (
            <img className="preview preview-logo" src={current.logo_url} alt={`${t('branding.current')}: ${t('field.logo')}`} />
          ) : null}
        </div>
        <div>
          <Field
            ref={faviconRef}
            label={t('field.favicon')}
            type="file"
            name="favicon"
            accept="image/png,image/x-icon,image/vnd.microsoft.icon,image/svg+xml"
            hint={t('branding.fileHint')}
            errors={error.fields.favicon}
          />
          {current?.favicon_url ? (
            <img
              className="preview preview-favicon"
              src={current.favicon_url}
              alt={`${t('branding.current')}: ${t('field.favicon')}`}
            />
          ) : null}
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}
