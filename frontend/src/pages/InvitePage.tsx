import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../api/errors';
import type { Invitation } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { checkPasswordPair } from '../auth/passwords';
import { landingPathFor } from '../auth/roles';
import { Field } from '../components/Field';
import { FormAlert } from '../components/FormAlert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

const FIELDS = ['password', 'confirm_password', 'first_name', 'last_name'] as const;

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; invitation: Invitation }
  | { kind: 'invalid' }
  | { kind: 'error'; message: string };

export function InvitePage() {
  const { token = '' } = useParams();
  const { t, formatDate } = useI18n();
  const { signIn } = useAuth();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const [landing, setLanding] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    setLoad({ kind: 'loading' });
    authApi
      .invitation(token)
      .then((invitation) => active && setLoad({ kind: 'ready', invitation }))
      .catch((err: unknown) => {
        if (!active || isAbort(err)) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) setLoad({ kind: 'invalid' });
        else setLoad({ kind: 'error', message: toFormError(err, t).message });
      });
    return () => {
      active = false;
    };
    // `t` only formats the error text; a language switch must not reload the invitation.
  }, [token]);

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

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
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
      setError(toFormError(err, t, FIELDS));
      setPending(false);
    }
  };

  return (
    <section className="page page-auth">
      <div className="card">
        <PageHeading>{t('invite.title')}</PageHeading>
        <p>{t('invite.intro', { tenant: invitation.tenant_name })}</p>
        <p className="muted">
          {t('invite.emailIs', { email: invitation.email })}
          <br />
          {t('invite.expires', { date: formatDate(invitation.expires_at) })}
        </p>
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
      </div>
    </section>
  );
}
