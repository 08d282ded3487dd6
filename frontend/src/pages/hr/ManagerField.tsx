import { useEffect, useId, useState } from 'react';
import { hrApi } from '../../api/endpoints';
import type { Employee } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { fullName } from './format';

const DEBOUNCE_MS = 300;

/**
 * "Manager": the manager's e-mail, with suggestions (a <datalist>) as the user types a name or
 * an address. The form resolves the text to an employee id on submit (resolveEmployee).
 */
export function ManagerField({
  value,
  onChange,
  errors,
  excludeId,
}: {
  value: string;
  onChange: (value: string) => void;
  errors?: string[];
  excludeId?: number;
}) {
  const { t } = useI18n();
  const id = `mgr${useId().replace(/[^\w-]/g, '')}`;
  const [suggestions, setSuggestions] = useState<Employee[]>([]);
  const hasErrors = Boolean(errors && errors.length);

  useEffect(() => {
    const search = value.trim();
    if (search.length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      hrApi
        .employees({ search, page_size: 10 }, controller.signal)
        .then((result) => setSuggestions(result.results.filter((e) => e.id !== excludeId)))
        .catch(() => setSuggestions([])); // suggestions are a convenience only
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, excludeId]);

  return (
    <div className={`field${hasErrors ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{t('hr.field.manager')}</label>
      <input
        id={id}
        type="text"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        list={`${id}-list`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={hasErrors || undefined}
        aria-describedby={`${id}-hint${hasErrors ? ` ${id}-error` : ''}`}
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((e) => (
          <option key={e.id} value={e.email}>
            {fullName(e)}
          </option>
        ))}
      </datalist>
      <p className="field-hint" id={`${id}-hint`}>
        {t('hr.field.managerHint')}
      </p>
      {hasErrors ? (
        <p className="field-error" id={`${id}-error`}>
          {errors!.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The employee a manager field names: an exact e-mail match, else the only search result.
 * `undefined` when the text is empty, `null` when nobody (or more than one person) matches.
 */
export async function resolveEmployee(text: string): Promise<Employee | null | undefined> {
  const search = text.trim();
  if (!search) return undefined;
  const result = await hrApi.employees({ search, page_size: 10 });
  const exact = result.results.find((e) => e.email.toLowerCase() === search.toLowerCase());
  if (exact) return exact;
  return result.results.length === 1 ? result.results[0] : null;
}
