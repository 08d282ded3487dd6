import { useState, type FormEvent } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { NO_ERROR, toFormError, type FormError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { landingPathFor } from '../auth/roles';
import { Field } from '../components/Field';
import { FormAlert, FormSuccess } from '../components/FormAlert';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

/** /reset-password — asks for the e-mail; never reveals whether the account exists. */
export function ResetRequestPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!email.trim()) {
      setError({ message: '', fields: { email: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      await authApi.requestPasswordReset(email.trim());
      setSent(true);
    } catch (err) {
      // Only malformed input, throttling and transport errors are shown; anything
      // else gets the same neutral answer so accounts cannot be enumerated.
      const showable =
        err instanceof ApiError &&
        (err.status === 429 || err.code === 'network_error' || (err.status === 400 && 'email' in err.fields));
      if (showable) setError(toFormError(err, t, ['email']));
      else setSent(true);
    } finally {
      setPending(false);
    }
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('reset.title')}</PageHeading>
        {sent ? (
          <FormSuccess message={t('reset.sent')} />
        ) : (
          <>
            <p className="muted">{t('reset.intro')}</p>
            <form onSubmit={onSubmit} noValidate aria-busy={pending}>
              <FormAlert message={error.message} />
              <Field
                label={t('field.email')}
                type="email"
                name="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                errors={error.fields.email}
              />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={pending}>
                  {t('action.sendLink')}
                </button>
              </div>
            </form>
          </>
        )}
        <p>
          <Link to="/login">{t('reset.backToLogin')}</Link>
        </p>
      </div>
    </section>
  );
}

/** /reset-password/:token — sets the new password and signs the user in. */
export function ResetConfirmPage() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [landing, setLanding] = useState<string | null>(null);

  if (landing) return <Navigate to={landing} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!password) {
      setError({ message: '', fields: { password: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const user = signIn(await authApi.confirmPasswordReset(token, password));
      setLanding(landingPathFor(user.role));
    } catch (err) {
      setError(toFormError(err, t, ['password']));
      setPending(false);
    }
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('reset.confirmTitle')}</PageHeading>
        <p className="muted">{t('reset.confirmIntro')}</p>
        <form onSubmit={onSubmit} noValidate aria-busy={pending}>
          <FormAlert message={error.message} />
          <Field
            label={t('field.password')}
            type="password"
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            errors={error.fields.password}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('action.setPassword')}
            </button>
          </div>
        </form>
        <p>
          <Link to="/reset-password">{t('reset.title')}</Link>
        </p>
      </div>
    </section>
  );
}
