import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { authApi } from '../api/endpoints';
import { NO_ERROR, toFormError, type FormError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { postLoginPath } from '../auth/redirect';
import { Field } from '../components/Field';
import { FormAlert } from '../components/FormAlert';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useI18n();
  const { user, signIn } = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);

  if (user) return <Navigate to={postLoginPath(user, location)} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!email.trim()) fields.email = [t('error.required')];
    if (!password) fields.password = [t('error.required')];
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      signIn(await authApi.login(email.trim(), password));
    } catch (err) {
      setError(toFormError(err, t, FIELDS));
      setPending(false);
    }
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('login.title')}</PageHeading>
        <p className="muted">{t('login.intro')}</p>
        <form onSubmit={onSubmit} noValidate aria-busy={pending}>
          <FormAlert message={error.message} />
          <Field
            label={t('field.email')}
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            errors={error.fields.email}
          />
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
