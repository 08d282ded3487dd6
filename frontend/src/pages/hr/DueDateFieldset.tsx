import { useId } from 'react';
import type { DueKind } from '../../api/types';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { MAX_DUE_DAYS, type DueInput, type FieldErrors } from './assignPayload';

const KINDS: ReadonlyArray<[DueKind, MessageKey]> = [
  ['none', 'hr.due.none'],
  ['date', 'hr.due.date'],
  ['after_assignment', 'hr.due.afterAssignment'],
  ['after_hire', 'hr.due.afterHire'],
];

/** The due-date radio group with the date or the number of days it needs. */
export function DueDateFieldset({
  value,
  onChange,
  errors,
}: {
  value: DueInput;
  onChange: (value: DueInput) => void;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  const name = `due${useId().replace(/[^\w-]/g, '')}`;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <fieldset className="radio-group">
      <legend>{t('hr.due.legend')}</legend>
      <div className="radio-options">
        {KINDS.map(([kind, label]) => (
          <div className="field field-check" key={kind}>
            <input
              id={`${name}-${kind}`}
              type="radio"
              name={name}
              value={kind}
              checked={value.kind === kind}
              onChange={() => onChange({ ...value, kind })}
            />
            <label htmlFor={`${name}-${kind}`}>{t(label)}</label>
          </div>
        ))}
      </div>
      {value.kind === 'date' ? (
        <Field
          label={t('hr.field.dueDate')}
          type="date"
          min={today}
          value={value.date}
          onChange={(e) => onChange({ ...value, date: e.target.value })}
          errors={errors.due_date}
        />
      ) : null}
      {value.kind === 'after_assignment' || value.kind === 'after_hire' ? (
        <Field
          label={t('hr.field.days')}
          type="number"
          min={1}
          max={MAX_DUE_DAYS}
          step={1}
          inputMode="numeric"
          value={value.days}
          onChange={(e) => onChange({ ...value, days: e.target.value })}
          errors={errors.due_days}
        />
      ) : null}
    </fieldset>
  );
}
