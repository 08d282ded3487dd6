import { useState, type FormEvent } from 'react';
import { ssoApi } from '../../../api/endpoints';
import { NO_ERROR, type FormError } from '../../../api/errors';
import type { SsoLoginDomain } from '../../../api/types';
import { CopyButton } from '../../../components/CopyButton';
import { Field } from '../../../components/Field';
import { FormAlert } from '../../../components/FormAlert';
import { useI18n } from '../../../i18n/I18nContext';
import { useLoad } from '../../hr/useLoad';
import { ssoErrorMessage, ssoFormError } from './ssoErrors';

/** E-mail domains for home-realm discovery: claim, publish the TXT record, verify, remove. */
export function LoginDomains() {
  const { t, formatDate } = useI18n();
  const domains = useLoad(async (signal) => (await ssoApi.domains(signal)).results, []);
  const [domain, setDomain] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [rowBusy, setRowBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const list = domains.data ?? [];

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = domain.trim().toLowerCase().replace(/^@/, '');
    if (!value) {
      setError({ message: '', fields: { domain: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const added = await ssoApi.addDomain(value);
      domains.setData([...list, added]);
      setDomain('');
    } catch (err) {
      setError(ssoFormError(err, t, ['domain']));
    } finally {
      setPending(false);
    }
  };

  const verify = async (item: SsoLoginDomain) => {
    setRowBusy(item.id);
    setRowError(null);
    try {
      const updated = await ssoApi.verifyDomain(item.id);
      domains.setData(list.map((d) => (d.id === item.id ? updated : d)));
    } catch (err) {
      setRowError({ id: item.id, message: ssoErrorMessage(err, t) });
    } finally {
      setRowBusy(null);
    }
  };

  const remove = async (item: SsoLoginDomain) => {
    setRowBusy(item.id);
    setRowError(null);
    try {
      await ssoApi.removeDomain(item.id);
      domains.setData(list.filter((d) => d.id !== item.id));
    } catch (err) {
      setRowError({ id: item.id, message: ssoErrorMessage(err, t) });
    } finally {
      setRowBusy(null);
    }
  };

  // Not a labelled region: "Verified e-mail domains" would also answer to the "E-mail domain" label.
  return (
    <section className="card sso-domains">
      <h2 id="sso-domains">{t('sso.domains.title')}</h2>
      <p className="muted">{t('sso.domains.intro')}</p>
      <FormAlert message={domains.error} />
      {domains.data && list.length === 0 ? <p className="muted">{t('sso.domains.empty')}</p> : null}
      <ul className="domain-list">
        {list.map((item) => (
          <li key={item.id} className="domain" aria-label={item.domain}>
            <div className="domain-head">
              <span className="domain-host">{item.domain}</span>
              <span className={`badge ${item.verified ? 'badge-active' : 'badge-suspended'}`}>
                {item.verified ? t('tenant.verified') : t('tenant.unverified')}
              </span>
              {item.verified && item.verified_at ? (
                <span className="muted">
                  <time dateTime={item.verified_at}>{formatDate(item.verified_at)}</time>
                </span>
              ) : null}
              <span className="button-row domain-actions">
                {!item.verified ? (
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={rowBusy === item.id}
                    onClick={() => verify(item)}
                  >
                    {t('action.verify')}
                    <span className="visually-hidden"> {item.domain}</span>
                  </button>
                ) : null}
                <button
                  type="button"
                  className="btn btn-danger btn-small"
                  disabled={rowBusy === item.id}
                  onClick={() => remove(item)}
                >
                  {t('action.remove')}
                  <span className="visually-hidden"> {item.domain}</span>
                </button>
              </span>
            </div>
            {!item.verified ? (
              <div className="txt-record">
                <p>{t('tenant.txtHelp')}</p>
                <dl>
                  <dt>{t('tenant.txtName')}</dt>
                  <dd>
                    <code>{item.txt_record_name}</code>{' '}
                    <CopyButton value={item.txt_record_name} what={t('tenant.txtName')} />
                  </dd>
                  <dt>{t('tenant.txtValue')}</dt>
                  <dd>
                    <code>{item.txt_record_value}</code>{' '}
                    <CopyButton value={item.txt_record_value} what={t('tenant.txtValue')} />
                  </dd>
                </dl>
              </div>
            ) : null}
            {rowError && rowError.id === item.id ? <FormAlert message={rowError.message} /> : null}
          </li>
        ))}
      </ul>

      <form className="inline-form" onSubmit={add} noValidate aria-busy={pending}>
        <FormAlert message={error.message} />
        <Field
          label={t('sso.domains.field')}
          name="domain"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          placeholder="acme.com"
          value={domain}
          onChange={(e) => setDomain(e.target.value)}
          hint={t('sso.domains.hint')}
          errors={error.fields.domain}
        />
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.addDomain')}
        </button>
      </form>
    </section>
  );
}
