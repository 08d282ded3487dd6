import { useEffect, useState } from 'react';
import { preferencesApi } from '../api/endpoints';
import { isAbort, toFormError } from '../api/errors';
import type { EmailPreferences as Preferences } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { CheckboxField } from './FormControls';
import { FormAlert } from './FormAlert';

/** GET/PATCH /api/me/preferences/: each toggle saves at once. */
export function EmailPreferences({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { t } = useI18n();
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState<keyof Preferences | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    preferencesApi
      .get(controller.signal)
      .then(setPrefs)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, []);

  const change = async (name: keyof Preferences, value: boolean) => {
    if (!prefs) return;
    setPending(name);
    setError('');
    setStatus('');
    setPrefs({ ...prefs, [name]: value });
    try {
      setPrefs(await preferencesApi.update({ [name]: value }));
      setStatus(t('prefs.saved'));
    } catch (err) {
      setPrefs(prefs);
      setError(toFormError(err, t).message);
    } finally {
      setPending(null);
    }
  };

  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="card email-preferences" aria-labelledby="email-prefs">
      <Heading id="email-prefs">{t('prefs.title')}</Heading>
      <FormAlert message={error} />
      {prefs ? (
        <>
          <CheckboxField
            label={t('prefs.reminders')}
            checked={prefs.email_reminders}
            disabled={pending !== null}
            onChange={(e) => change('email_reminders', e.target.checked)}
            hint={t('prefs.remindersHint')}
          />
          <CheckboxField
            label={t('prefs.digest')}
            checked={prefs.email_digest}
            disabled={pending !== null}
            onChange={(e) => change('email_digest', e.target.checked)}
            hint={t('prefs.digestHint')}
          />
        </>
      ) : null}
      <p className="muted" role="status">
        {status}
      </p>
    </section>
  );
}
