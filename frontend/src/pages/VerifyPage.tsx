import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { verifyApi } from '../api/endpoints';
import { isAbort, toFormError } from '../api/errors';
import type { CertificateVerification } from '../api/types';
import { FormAlert } from '../components/FormAlert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

/** /verify/:code — public certificate check (no sign-in). */
export function VerifyPage() {
  const { code = '' } = useParams();
  const { t, formatDay } = useI18n();
  const [data, setData] = useState<CertificateVerification | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    setData(null);
    setNotFound(false);
    setError('');
    verifyApi
      .get(code, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 404) setNotFound(true);
        else setError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [code]);

  if (notFound) {
    return (
      <section className="page page-narrow verify">
        <PageHeading>{t('verify.notFound')}</PageHeading>
        <p>{t('verify.notFoundText')}</p>
        <p>
          {t('verify.code')}: <code>{code}</code>
        </p>
      </section>
    );
  }

  const valid = data ? data.valid && !data.revoked_at : false;

  return (
    <section className="page page-narrow verify">
      <PageHeading>{t('verify.title')}</PageHeading>
      <FormAlert message={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div className={`card certificate-check ${valid ? 'is-valid' : 'is-revoked'}`}>
          <p className="certificate-status-row">
            <span className="muted">{t('verify.status')}: </span>
            <span className={`certificate-status ${valid ? 'is-valid' : 'is-revoked'}`}>
              <span aria-hidden="true">{valid ? '✓' : '✗'}</span>{' '}
              <strong data-testid="certificate-status">{valid ? t('verify.valid') : t('verify.revoked')}</strong>
            </span>
          </p>
          {!valid && data.revoked_at ? <p>{t('verify.revokedAt', { date: formatDay(data.revoked_at) })}</p> : null}
          <dl className="facts facts-column">
            <div>
              <dt>{t('verify.learner')}</dt>
              <dd>{data.learner_name}</dd>
            </div>
            <div>
              <dt>{t('verify.course')}</dt>
              <dd>{data.course_title}</dd>
            </div>
            <div>
              <dt>{t('verify.school')}</dt>
              <dd>{data.school_name}</dd>
            </div>
            <div>
              <dt>{t('verify.issued')}</dt>
              <dd>
                <time dateTime={data.issued_at}>{formatDay(data.issued_at)}</time>
              </dd>
            </div>
            <div>
              <dt>{t('verify.code')}</dt>
              <dd>
                <code>{data.code}</code>
              </dd>
            </div>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
