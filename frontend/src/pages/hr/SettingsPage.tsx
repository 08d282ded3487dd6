import { useEffect, useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import type { NotificationSettings } from '../../api/types';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { hrFormError } from './hrErrors';
import { parseWholeNumber } from './format';
import { useLoad } from './useLoad';

type NumberField = Exclude<keyof NotificationSettings, 'digest_weekday'>;

/** Server limits (NotificationSettingsSerializer). */
const NUMBER_FIELDS: ReadonlyArray<{ name: NumberField; label: MessageKey; hint: MessageKey; min: number; max: number }> = [
  { name: 'reminder_days_before', label: 'hr.settings.reminder', hint: 'hr.settings.reminderHint', min: 1, max: 60 },
  { name: 'escalation_days_after', label: 'hr.settings.escalation', hint: 'hr.settings.escalationHint', min: 0, max: 60 },
  { name: 'recertification_lead_days', label: 'hr.settings.recertLead', hint: 'hr.settings.recertLeadHint', min: 1, max: 180 },
];

/** 0 = Monday … 6 = Sunday, as the server counts. */
const WEEKDAYS: readonly MessageKey[] = [
  'weekday.0',
  'weekday.1',
  'weekday.2',
  'weekday.3',
  'weekday.4',
  'weekday.5',
  'weekday.6',
];

/** /hr/settings — reminder, escalation, digest and re-certification e-mails. */
export function SettingsPage() {
  const { t } = useI18n();
  const settings = useLoad((signal) => hrApi.notificationSettings(signal), []);
  return (
    <section className="page-narrow">
      <PageHeading>{t('hr.settings.title')}</PageHeading>
      <p className="muted">{t('hr.settings.intro')}</p>
      <FormAlert message={settings.error} />
      {settings.data ? <SettingsForm initial={settings.data} onSaved={settings.setData} /> : !settings.error ? <Loading /> : null}
    </section>
  );
}

function SettingsForm({ initial, onSaved }: { initial: NotificationSettings; onSaved: (s: NotificationSettings) => void }) {
  const { t } = useI18n();
  const toText = (s: NotificationSettings) => ({
    reminder_days_before: String(s.reminder_days_before),
    escalation_days_after: String(s.escalation_days_after),
    recertification_lead_days: String(s.recertification_lead_days),
    digest_weekday: String(s.digest_weekday),
  });
  const [form, setForm] = useState(() => toText(initial));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  useEffect(() => setForm(toText(initial)), [initial]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const fields: Record<string, string[]> = {};
    const patch: Partial<NotificationSettings> = { digest_weekday: Number(form.digest_weekday) };
    for (const field of NUMBER_FIELDS) {
      const value = parseWholeNumber(form[field.name], field.min, field.max);
      if (value === null) fields[field.name] = [t('hr.numberRange', { min: field.min, max: field.max })];
      else patch[field.name] = value;
    }
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      onSaved(await hrApi.updateNotificationSettings(patch));
      setSaved(true);
    } catch (err) {
      setError(hrFormError(err, t, [...NUMBER_FIELDS.map((f) => f.name), 'digest_weekday']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('hr.saved') : ''} />
      {NUMBER_FIELDS.map((field) => (
        <Field
          key={field.name}
          label={t(field.label)}
          type="number"
          min={field.min}
          max={field.max}
          step={1}
          inputMode="numeric"
          value={form[field.name]}
          onChange={(e) => setForm((f) => ({ ...f, [field.name]: e.target.value }))}
          hint={t(field.hint)}
          errors={error.fields[field.name]}
        />
      ))}
      <SelectField
        label={t('hr.settings.digestDay')}
        value={form.digest_weekday}
        onChange={(e) => setForm((f) => ({ ...f, digest_weekday: e.target.value }))}
        options={WEEKDAYS.map((key, index) => [String(index), t(key)] as const)}
        hint={t('hr.settings.digestHint')}
        errors={error.fields.digest_weekday}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}
