import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { authoringApi, platformApi, type TenantPatch } from '../../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../../api/errors';
import type { CourseCard, CourseLicense, Domain, Tenant } from '../../api/types';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nContext';
import { ProvisioningPanel } from './ProvisioningPanel';

export function TenantDetailPage() {
  const { slug = '' } = useParams();
  const { t } = useI18n();
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    setTenant(null);
    setLoadError('');
    platformApi
      .getTenant(slug, controller.signal)
      .then(setTenant)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoadError(err instanceof ApiError && err.status === 404 ? t('error.notFound') : toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [slug]);

  if (loadError) {
    return (
      <section className="page page-narrow">
        <PageHeading>{slug}</PageHeading>
        <FormAlert message={loadError} />
        <p>
          <Link to="/platform/tenants">{t('tenant.back')}</Link>
        </p>
      </section>
    );
  }
  if (!tenant) return <Loading />;

  return (
    <section className="page">
      <p className="breadcrumbs">
        <Link to="/platform/tenants">{t('tenant.back')}</Link>
      </p>
      <div className="page-head">
        <PageHeading>{tenant.name}</PageHeading>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('tenants.col.slug')}</dt>
          <dd>
            <code>{tenant.slug}</code>
          </dd>
        </div>
        <div>
          <dt>{t('tenant.kind')}</dt>
          <dd>{t(`tenant.kind.${tenant.kind}`)}</dd>
        </div>
        <div>
          <dt>{t('tenant.adminEmail')}</dt>
          <dd>{tenant.admin_email}</dd>
        </div>
        {tenant.primary_url ? (
          <div>
            <dt>{t('tenant.url')}</dt>
            <dd>
              <a href={tenant.primary_url}>{tenant.primary_url}</a>
            </dd>
          </div>
        ) : null}
      </dl>

      {tenant.status === 'provisioning' ? (
        <ProvisioningPanel key={tenant.slug} initial={tenant} onChange={setTenant} showSettingsLink={false} />
      ) : null}

      <div className="grid-2">
        <SettingsForm tenant={tenant} onSaved={setTenant} />
        <StatusActions tenant={tenant} onChanged={setTenant} />
      </div>
      <Domains tenant={tenant} onChange={(domains) => setTenant({ ...tenant, domains })} />
      <Licences key={tenant.slug} slug={tenant.slug} />
    </section>
  );
}

function SettingsForm({ tenant, onSaved }: { tenant: Tenant; onSaved: (tenant: Tenant) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(tenant.name);
  const [seats, setSeats] = useState(String(tenant.seats));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const fields: Record<string, string[]> = {};
    if (!name.trim()) fields.name = [t('error.required')];
    if (!/^\d+$/.test(seats.trim()) || Number(seats) < 1) fields.seats = [t('error.seatsInvalid')];
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const updated = await platformApi.updateTenant(tenant.slug, { name: name.trim(), seats: Number(seats) });
      onSaved(updated);
      setName(updated.name);
      setSeats(String(updated.seats));
      setSaved(true);
    } catch (err) {
      setError(toFormError(err, t, ['name', 'seats']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="tenant-settings">
      <h2 id="tenant-settings">{t('tenant.settings')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('tenant.saved') : ''} />
      <Field
        label={t('field.name')}
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={error.fields.name}
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
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}

function StatusActions({ tenant, onChanged }: { tenant: Tenant; onChanged: (tenant: Tenant) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState('');
  const [pending, setPending] = useState(false);

  const change = async (status: NonNullable<TenantPatch['status']>) => {
    setPending(true);
    setError('');
    try {
      onChanged(await platformApi.updateTenant(tenant.slug, { status }));
    } catch (err) {
      setError(toFormError(err, t).message);
    } finally {
      setPending(false);
    }
  };

  const { status } = tenant;
  return (
    <div className="card" role="group" aria-labelledby="tenant-status">
      <h2 id="tenant-status">{t('tenant.statusActions')}</h2>
      <p>
        <span className="muted">{t('tenant.status')}:</span> <StatusBadge status={status} />
      </p>
      <FormAlert message={error} />
      <div className="button-row">
        {status === 'active' ? (
          <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => change('suspended')}>
            {t('action.suspend')}
          </button>
        ) : null}
        {status === 'suspended' || status === 'archived' ? (
          <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => change('active')}>
            {t('action.resume')}
          </button>
        ) : null}
        {status === 'active' || status === 'suspended' ? (
          <button type="button" className="btn btn-danger" disabled={pending} onClick={() => change('archived')}>
            {t('action.archive')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function Domains({ tenant, onChange }: { tenant: Tenant; onChange: (domains: Domain[]) => void }) {
  const { t } = useI18n();
  const [host, setHost] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [rowBusy, setRowBusy] = useState<Domain['id'] | null>(null);
  const [rowError, setRowError] = useState<{ id: Domain['id']; message: string } | null>(null);
  const domains = tenant.domains ?? [];

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!host.trim()) {
      setError({ message: '', fields: { host: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const domain = await platformApi.addDomain(tenant.slug, host.trim().toLowerCase());
      onChange([...domains, domain]);
      setHost('');
    } catch (err) {
      setError(toFormError(err, t, ['host']));
    } finally {
      setPending(false);
    }
  };

  const verify = async (domain: Domain) => {
    setRowBusy(domain.id);
    setRowError(null);
    try {
      const updated = await platformApi.verifyDomain(tenant.slug, domain.id);
      onChange(domains.map((d) => (d.id === domain.id ? updated : d)));
    } catch (err) {
      setRowError({ id: domain.id, message: toFormError(err, t).message });
    } finally {
      setRowBusy(null);
    }
  };

  const remove = async (domain: Domain) => {
    setRowBusy(domain.id);
    setRowError(null);
    try {
      await platformApi.removeDomain(tenant.slug, domain.id);
      onChange(domains.filter((d) => d.id !== domain.id));
    } catch (err) {
      setRowError({ id: domain.id, message: toFormError(err, t).message });
    } finally {
      setRowBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="tenant-domains">
      <h2 id="tenant-domains">{t('tenant.domains')}</h2>
      {domains.length === 0 ? <p className="muted">{t('tenant.noDomains')}</p> : null}
      <ul className="domain-list">
        {domains.map((domain) => (
          <li key={domain.id} className="domain" aria-label={domain.host}>
            <div className="domain-head">
              <span className="domain-host">{domain.host}</span>
              {domain.is_primary ? <span className="badge badge-primary">{t('tenant.primary')}</span> : null}
              <span className={`badge ${domain.verified ? 'badge-active' : 'badge-suspended'}`}>
                {domain.verified ? t('tenant.verified') : t('tenant.unverified')}
              </span>
              <span className="button-row domain-actions">
                {!domain.verified ? (
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={rowBusy === domain.id}
                    onClick={() => verify(domain)}
                  >
                    {t('action.verify')}
                  </button>
                ) : null}
                {!domain.is_primary ? (
                  <button
                    type="button"
                    className="btn btn-danger btn-small"
                    disabled={rowBusy === domain.id}
                    onClick={() => remove(domain)}
                  >
                    {t('action.remove')}
                  </button>
                ) : null}
              </span>
            </div>
            {!domain.verified ? (
              <div className="txt-record">
                <p>{t('tenant.txtHelp')}</p>
                <dl>
                  <dt>{t('tenant.txtName')}</dt>
                  <dd>
                    <code>{domain.verification_txt_name}</code>
                  </dd>
                  <dt>{t('tenant.txtValue')}</dt>
                  <dd>
                    <code>{domain.verification_txt_value}</code>
                  </dd>
                </dl>
              </div>
            ) : null}
            {rowError && rowError.id === domain.id ? <FormAlert message={rowError.message} /> : null}
          </li>
        ))}
      </ul>

      <form className="inline-form" onSubmit={add} noValidate aria-busy={pending}>
        <FormAlert message={error.message} />
        <Field
          label={t('field.domain')}
          name="host"
          autoComplete="off"
          spellCheck={false}
          placeholder="learn.example.com"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          hint={t('tenant.domainHint')}
          errors={error.fields.host}
        />
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.addDomain')}
        </button>
      </form>
    </section>
  );
}

/** Select value standing for "the whole catalogue" (course slugs never start with "*"). */
const ALL_COURSES = '*';

/** Every course the platform admin can see (follows pages when the server pages the list). */
async function allCourses(signal: AbortSignal): Promise<CourseCard[]> {
  const courses: CourseCard[] = [];
  for (let page = 1; page <= 50; page += 1) {
    const data = await authoringApi.courses(page, signal);
    courses.push(...data.results);
    if (!data.next) break;
  }
  return courses;
}

function Licences({ slug }: { slug: string }) {
  const { t, formatDate } = useI18n();
  const [licences, setLicences] = useState<CourseLicense[] | null>(null);
  const [courses, setCourses] = useState<CourseCard[]>([]);
  const [loadError, setLoadError] = useState('');
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [rowBusy, setRowBusy] = useState<CourseLicense['id'] | null>(null);
  const [rowError, setRowError] = useState<{ id: CourseLicense['id']; message: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([platformApi.listLicenses(slug, controller.signal), allCourses(controller.signal)])
      .then(([list, cards]) => {
        setLicences(list);
        setCourses(cards);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [slug]);

  const refresh = async () => {
    try {
      setLicences(await platformApi.listLicenses(slug));
      setLoadError('');
    } catch (err) {
      setLoadError(toFormError(err, t).message);
    }
  };

  const titles = new Map(courses.map((course) => [course.slug, course.title]));
  const courseName = (licence: CourseLicense) =>
    licence.course_slug === null ? t('tenant.licence.all') : (titles.get(licence.course_slug) ?? licence.course_slug);
  const options: Array<readonly [string, string]> = [
    ['', t('tenant.licence.choose')],
    ...courses.filter((course) => course.status === 'published').map((course) => [course.slug, course.title] as const),
    [ALL_COURSES, t('tenant.licence.all')],
  ];

  const grant = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!choice) {
      setError({ message: '', fields: { course_slug: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    setRowError(null);
    try {
      await platformApi.grantLicense(slug, choice === ALL_COURSES ? { all: true } : { course_slug: choice });
      setChoice('');
      await refresh();
    } catch (err) {
      setError(toFormError(err, t, ['course_slug']));
    } finally {
      setPending(false);
    }
  };

  const revoke = async (licence: CourseLicense) => {
    setRowBusy(licence.id);
    setRowError(null);
    try {
      await platformApi.revokeLicense(slug, licence.id);
      await refresh();
    } catch (err) {
      setRowError({ id: licence.id, message: toFormError(err, t).message });
    } finally {
      setRowBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="tenant-licences">
      <h2 id="tenant-licences">{t('tenant.licences')}</h2>
      <FormAlert message={loadError} />
      {licences === null && !loadError ? <Loading /> : null}
      {licences && licences.length === 0 ? <p className="muted">{t('tenant.noLicences')}</p> : null}
      {licences && licences.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-labelledby="tenant-licences">
            <thead>
              <tr>
                <th scope="col">{t('tenant.licence.course')}</th>
                <th scope="col">{t('tenant.licence.granted')}</th>
                <th scope="col">{t('tenant.licence.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {licences.map((licence) => (
                <tr key={licence.id}>
                  <td>{courseName(licence)}</td>
                  <td>
                    <time dateTime={licence.granted_at}>{formatDate(licence.granted_at)}</time>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      disabled={rowBusy === licence.id}
                      onClick={() => revoke(licence)}
                    >
                      {t('action.revoke')}
                    </button>
                    {rowError && rowError.id === licence.id ? <FormAlert message={rowError.message} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <form className="inline-form" onSubmit={grant} noValidate aria-busy={pending}>
        <FormAlert message={error.message} />
        <SelectField
          label={t('field.course')}
          name="course_slug"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          options={options}
          errors={error.fields.course_slug}
        />
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.grantLicence')}
        </button>
      </form>
    </section>
  );
}
