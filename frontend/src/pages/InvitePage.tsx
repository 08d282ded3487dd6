import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../api/errors';
import type { Invitation, SsoLoginOption, SsoLoginOptions } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { checkPasswordPair } from '../auth/passwords';
import { pageNavigation } from '../auth/redirect';
import { landingPathFor } from '../auth/roles';
import { Field } from '../components/Field';
import { FormAlert } from '../components/FormAlert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

const FIELDS = ['password', 'confirm_password', 'first_name', 'last_name'] as const;
const NO_OPTIONS: SsoLoginOptions = { providers: [], sso_required: false };

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; invitation: Invitation }
  | { kind: 'invalid' }
  | { kind: 'error'; message: string };

/** Whatever the options call answered, as options (anything unexpected counts as "no single sign-on"). */
function readOptions(data: SsoLoginOptions | null | undefined): SsoLoginOptions {
  if (!data || !Array.isArray(data.providers)) return NO_OPTIONS;
  return { providers: data.providers, sso_required: Boolean(data.sso_required) };
}

/** The host's sign-in options; a failed call means the password form alone, as before. */
function fetchOptions(signal?: AbortSignal): Promise<SsoLoginOptions> {
  return authApi
    .ssoOptions(signal)
    .then(readOptions)
    .catch(() => NO_OPTIONS);
}

const providerKey = (provider: Pick<SsoLoginOption, 'name' | 'protocol'>) => `${provider.protocol}:${provider.name}`;

export function InvitePage() {
  const { token = '' } = useParams();
  const { t, formatDate } = useI18n();
  const { signIn } = useAuth();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [sso, setSso] = useState<SsoLoginOptions>(NO_OPTIONS);
  /** The password accept answered 403 `sso_required`: the company's setting changed since the page loaded. */
  const [refused, setRefused] = useState(false);
  const [reloadingOptions, setReloadingOptions] = useState(false);
  const [ssoError, setSsoError] = useState('');
  const [ssoPending, setSsoPending] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [landing, setLanding] = useState<string | null>(null);
  const explanationRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    let active = true;
    const controller = new AbortController();
    setLoad({ kind: 'loading' });
    // The invitation and the host's SSO buttons together, so the form does not jump once they arrive.
    Promise.all([authApi.invitation(token), fetchOptions(controller.signal)])
      .then(([invitation, options]) => {
        if (!active) return;
        setSso(options);
        setLoad({ kind: 'ready', invitation });
      })
      .catch((err: unknown) => {
        if (!active || isAbort(err)) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) setLoad({ kind: 'invalid' });
        else setLoad({ kind: 'error', message: toFormError(err, t).message });
      });
    return () => {
      active = false;
      controller.abort();
    };
    // `t` only formats the error text; a language switch must not reload the invitation.
  }, [token]);

  // Back from the identity provider through the browser's page cache: the buttons work again.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setSsoPending(null);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  // The password form vanished under the focus: move it to the explanation that replaced the form.
  useEffect(() => {
    if (refused && !reloadingOptions) explanationRef.current?.focus();
  }, [refused, reloadingOptions]);

  if (landing) return <Navigate to={landing} replace />;
  if (load.kind === 'loading') return <Loading />;

  if (load.kind === 'invalid' || load.kind === 'error') {
    return (
      <section className="page page-auth">
        <div className="card">
          <PageHeading>{t('invite.invalidTitle')}</PageHeading>
          {load.kind === 'invalid' ? <p>{t('invite.invalid')}</p> : <FormAlert message={load.message} />}
          <p>
            <Link to="/login">{t('reset.backToLogin')}</Link>
          </p>
        </div>
      </section>
    );
  }

  const { invitation } = load;
  const providers = sso.providers;
  const ssoOnly = refused || (sso.sso_required && providers.length > 0);

  const switchToSsoOnly = async () => {
    setRefused(true);
    setError(NO_ERROR);
    setPending(false);
    if (providers.length > 0) return;
    // The options call failed or predates the change: ask again for the buttons to show.
    setReloadingOptions(true);
    const options = await fetchOptions();
    setSso({ providers: options.providers, sso_required: true });
    setReloadingOptions(false);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSsoError('');
    const fields = checkPasswordPair(password, confirm, t);
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const data: { password: string; first_name?: string; last_name?: string } = { password };
      if (firstName.trim()) data.first_name = firstName.trim();
      if (lastName.trim()) data.last_name = lastName.trim();
      const user = signIn(await authApi.acceptInvitation(token, data));
      setLanding(landingPathFor(user.role));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403 && err.code === 'sso_required') {
        await switchToSsoOnly();
        return;
      }
      setError(toFormError(err, t, FIELDS));
      setPending(false);
    }
  };

  /** Asks for this invitation's one-time login URLs and leaves for the chosen provider's. */
  const continueWith = async (provider: SsoLoginOption) => {
    setSsoPending(providerKey(provider));
    setSsoError('');
    setError(NO_ERROR);
    try {
      const answer = readOptions(await authApi.ssoInvitation(token));
      const match = answer.providers.find(
        (offered) => offered.name === provider.name && offered.protocol === provider.protocol,
      );
      if (match?.login_url) {
        // A full-page navigation; the buttons stay disabled while the browser leaves.
        pageNavigation.assign(match.login_url);
        return;
      }
      // The company changed its providers since the page loaded: show the current ones.
      setSso({ providers: answer.providers, sso_required: answer.sso_required || sso.sso_required });
      setSsoError(t('invite.sso.providerGone'));
    } catch (err) {
      setSsoError(toFormError(err, t).message);
    }
    setSsoPending(null);
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('invite.title')}</PageHeading>
        <p>
          {ssoOnly
            ? t('invite.sso.requiredIntro', { tenant: invitation.tenant_name })
            : providers.length > 0
              ? t('invite.sso.intro', { tenant: invitation.tenant_name })
              : t('invite.intro', { tenant: invitation.tenant_name })}
        </p>
        <p className="muted">
          {t('invite.emailIs', { email: invitation.email })}
          <br />
          {t('invite.expires', { date: formatDate(invitation.expires_at) })}
        </p>

        {ssoOnly || providers.length > 0 ? (
          <p ref={explanationRef} tabIndex={-1} className={ssoOnly ? undefined : 'muted'}>
            {t('invite.sso.sameAddress', { email: invitation.email })}
          </p>
        ) : null}

        <FormAlert message={ssoError} />

        {reloadingOptions ? (
          <Loading />
        ) : providers.length > 0 ? (
          <ul className="sso-buttons" aria-label={t('sso.login.options')}>
            {providers.map((provider) => {
              const key = providerKey(provider);
              return (
                <li key={key}>
                  <button
                    type="button"
                    className={`btn ${ssoOnly ? 'btn-primary' : 'btn-secondary'} btn-block`}
                    disabled={ssoPending !== null}
                    aria-busy={ssoPending === key}
                    onClick={() => void continueWith(provider)}
                  >
                    {t('invite.sso.continueWith', { name: provider.name })}
                  </button>
                </li>
              );
            })}
          </ul>
        ) : ssoOnly ? (
          <div className="alert alert-warning" role="status">
            {t('invite.sso.unavailable')}
          </div>
        ) : null}

        {ssoOnly ? null : (
          <>
            {providers.length > 0 ? (
              <p className="sso-divider">
                <span>{t('sso.login.or')}</span>
              </p>
            ) : null}
            <form onSubmit={onSubmit} noValidate aria-busy={pending}>
              <FormAlert message={error.message} />
              <div className="field-row">
                <Field
                  label={t('field.firstName')}
                  name="first_name"
                  autoComplete="given-name"
                  value={firstName}
                  onChange={(e) => setFirstName(e.target.value)}
                  errors={error.fields.first_name}
                />
                <Field
                  label={t('field.lastName')}
                  name="last_name"
                  autoComplete="family-name"
                  value={lastName}
                  onChange={(e) => setLastName(e.target.value)}
                  errors={error.fields.last_name}
                />
              </div>
              <Field
                label={t('field.password')}
                type="password"
                name="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                errors={error.fields.password}
              />
              <Field
                label={t('field.confirmPassword')}
                type="password"
                name="confirm_password"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                errors={error.fields.confirm_password}
              />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={pending}>
                  {t('action.acceptInvitation')}
                </button>
              </div>
            </form>
          </>
        )}
      </div>
    </section>
  );
}
