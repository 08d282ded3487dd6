import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { platformApi } from '../../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../../api/errors';
import type { Tenant } from '../../api/types';
import { Field } from '../../components/Field';
import { FormAlert } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import { ProvisioningPanel } from './ProvisioningPanel';

const FIELDS = ['slug', 'name', 'admin_email', 'seats'] as const;

/**
 * /platform/tenants/new — the create form; after POST the page switches to the
 * live provisioning view (?slug=… in the URL, so a reload keeps following it).
 */
export function TenantCreatePage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const createdSlug = params.get('slug');
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const [loadError, setLoadError] = useState('');

  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const [seats, setSeats] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);

  // Reloaded page (or back/forward) with ?slug=: fetch the tenant to resume the progress view.
  useEffect(() => {
    if (!createdSlug || tenant?.slug === createdSlug) return;
    const controller = new AbortController();
    platformApi
      .getTenant(createdSlug, controller.signal)
      .then(setTenant)
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [createdSlug]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!slug.trim()) fields.slug = [t('error.required')];
    if (!name.trim()) fields.name = [t('error.required')];
    if (!adminEmail.trim()) fields.admin_email = [t('error.required')];
    const seatCount = Number(seats);
    if (!/^\d+$/.test(seats.trim()) || seatCount < 1) fields.seats = [t('error.seatsInvalid')];
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const created = await platformApi.createTenant({
        slug: slug.trim(),
        name: name.trim(),
        admin_email: adminEmail.trim(),
        seats: seatCount,
      });
      setTenant(created);
      setParams({ slug: created.slug }, { replace: false });
    } catch (err) {
      const formError = toFormError(err, t, FIELDS);
      // 409: the slug is taken — show it at the slug field as well.
      if (err instanceof ApiError && err.status === 409 && !formError.fields.slug) {
        formError.fields = { ...formError.fields, slug: [formError.message] };
      }
      setError(formError);
    } finally {
      setPending(false);
    }
  };

  if (createdSlug) {
    return (
      <section className="page page-narrow" key="progress">
        <PageHeading>{t('wizard.progressTitle', { name: tenant?.name ?? createdSlug })}</PageHeading>
        {tenant && tenant.slug === createdSlug ? (
          <ProvisioningPanel key={tenant.slug} initial={tenant} />
        ) : loadError ? (
          <FormAlert message={loadError} />
        ) : (
          <Loading />
        )}
        <p>
          <Link to="/platform/tenants">{t('wizard.back')}</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="page page-narrow">
      <PageHeading>{t('wizard.title')}</PageHeading>
      <p className="muted">{t('wizard.intro')}</p>
      <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending}>
        <FormAlert message={error.message} />
        <Field
          label={t('field.slug')}
          name="slug"
          autoComplete="off"
          spellCheck={false}
          value={slug}
          onChange={(e) => setSlug(e.target.value.toLowerCase())}
          hint={t('wizard.slugHint')}
          errors={error.fields.slug}
        />
        <Field
          label={t('field.name')}
          name="name"
          autoComplete="organization"
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={error.fields.name}
        />
        <Field
          label={t('field.adminEmail')}
          type="email"
          name="admin_email"
          autoComplete="off"
          value={adminEmail}
          onChange={(e) => setAdminEmail(e.target.value)}
          errors={error.fields.admin_email}
        />
        <Field
          label={t('field.seats')}
          type="number"
          name="seats"
          min={1}
          step={1}
          inputMode="numeric"
          value={seats}
          onChange={(e) => setSeats(e.target.value)}
          errors={error.fields.seats}
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {t('action.createTenant')}
          </button>
          <Link to="/platform/tenants">{t('wizard.back')}</Link>
        </div>
      </form>
    </section>
  );
}
