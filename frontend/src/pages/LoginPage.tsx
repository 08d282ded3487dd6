import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { NO_ERROR, toFormError, type FormError } from '../api/errors';
import type { SsoLoginOptions } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { intendedPath, pageNavigation, postLoginPath, ssoLoginHref } from '../auth/redirect';
import { useBranding } from '../branding/BrandingContext';
import { Field } from '../components/Field';
import { FormAlert } from '../components/FormAlert';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

const FIELDS = ['email', 'password'] as const;
const NO_OPTIONS: SsoLoginOptions = { providers: [], sso_required: false };

/** Worth asking home-realm discovery about: something@domain.tld. */
const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
const normaliseEmail = (value: string) => value.trim().toLowerCase();

/** The host's single sign-on buttons (GET /api/auth/sso/options/); none when the call fails. */
function useSsoOptions(): SsoLoginOptions {
  const [options, setOptions] = useState<SsoLoginOptions>(NO_OPTIONS);
  useEffect(() => {
    const controller = new AbortController();
    authApi
      .ssoOptions(controller.signal)
      .then((data) => {
        if (data && Array.isArray(data.providers)) {
          setOptions({ providers: data.providers, sso_required: Boolean(data.sso_required) });
        }
      })
      .catch(() => {
        // No SSO buttons: the password form works as before.
      });
    return () => controller.abort();
  }, []);
  return options;
}

/**
 * Home-realm discovery on the base domain: where an address's company signs in, if anywhere.
 * Answers are remembered per address; a failed call counts as "no company sign-in".
 */
function useDiscovery(enabled: boolean) {
  const cache = useRef(new Map<string, Promise<string | null>>());
  const [found, setFound] = useState<{ email: string; redirect: string } | null>(null);
  const latest = useRef('');

  const discover = (raw: string): Promise<string | null> => {
    const email = normaliseEmail(raw);
    latest.current = email;
    if (!enabled || !looksLikeEmail(email)) return Promise.resolve(null);
    let pending = cache.current.get(email);
    if (!pending) {
      pending = authApi
        .ssoDiscover(email)
        .then((data) => (data && typeof data.redirect === 'string' && data.redirect ? data.redirect : null))
        .catch(() => null);
      cache.current.set(email, pending);
    }
    return pending.then((redirect) => {
      // Only the address currently typed decides what is shown.
      if (latest.current === email) setFound(redirect ? { email, redirect } : null);
      return redirect;
    });
  };

  return { discover, found };
}

export function LoginPage() {
  const { t } = useI18n();
  const { user, signIn } = useAuth();
  const { branding } = useBranding();
  const location = useLocation();
  const options = useSsoOptions();
  const { discover, found } = useDiscovery(branding?.tenant.kind === 'public');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);

  const ssoFirst = options.sso_required && options.providers.length > 0;
  const passwordCollapsed = ssoFirst && !showPassword;

  // Opening the password form (the disclosure button goes away) puts the focus on its first field.
  useEffect(() => {
    if (showPassword) emailRef.current?.focus();
  }, [showPassword]);

  if (user) return <Navigate to={postLoginPath(user, location)} replace />;

  const next = intendedPath(location);
  const discovered = found && found.email === normaliseEmail(email) ? found.redirect : null;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!email.trim()) fields.email = [t('error.required')];
    if (!password) {
      // E-mail first: an address whose company signs in elsewhere needs no password here.
      if (email.trim() && (await discover(email))) {
        setError(NO_ERROR);
        return;
      }
      fields.password = [t('error.required')];
    }
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      signIn(await authApi.login(email.trim(), password));
    } catch (err) {
      const formError = toFormError(err, t, FIELDS);
      // 403 `sso_required`: only the fallback admin of the company may still use a password.
      const refused = err instanceof ApiError && err.code === 'sso_required';
      setError(refused ? { ...formError, message: t('sso.login.passwordRefused') } : formError);
      setPending(false);
    }
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('login.title')}</PageHeading>
        <p className="muted">{ssoFirst ? t('sso.login.requiredIntro') : t('login.intro')}</p>

        {options.providers.length > 0 ? (
          <ul className="sso-buttons" aria-label={t('sso.login.options')}>
            {options.providers.map((provider) => (
              <li key={provider.login_url}>
                <a
                  className={`btn ${ssoFirst ? 'btn-primary' : 'btn-secondary'} btn-block`}
                  href={ssoLoginHref(provider.login_url, next)}
                >
                  {t('sso.login.with', { name: provider.name })}
                </a>
              </li>
            ))}
          </ul>
        ) : null}

        {passwordCollapsed ? (
          <button
            type="button"
            className="btn btn-link sso-password-toggle"
            aria-expanded={false}
            aria-controls="password-sign-in"
            onClick={() => setShowPassword(true)}
          >
            {t('sso.login.passwordToggle')}
          </button>
        ) : options.providers.length > 0 ? (
          <p className="sso-divider">
            <span>{t('sso.login.or')}</span>
          </p>
        ) : null}

        <form id="password-sign-in" onSubmit={onSubmit} noValidate aria-busy={pending} hidden={passwordCollapsed}>
          <FormAlert message={error.message} />
          <Field
            ref={emailRef}
            label={t('field.email')}
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            onBlur={(e) => void discover(e.target.value)}
            errors={error.fields.email}
          />
          <div role="status" className="sso-discovery">
            {discovered ? (
              <div className="alert alert-info">
                <p className="alert-title">{t('sso.discover.found')}</p>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => pageNavigation.assign(discovered)}
                >
                  {t('sso.discover.continue')}
                </button>
              </div>
            ) : null}
          </div>
          <Field
            label={t('field.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            errors={error.fields.password}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('action.signIn')}
            </button>
            <Link to="/reset-password">{t('login.forgot')}</Link>
          </div>
        </form>
      </div>
    </section>
  );
}
