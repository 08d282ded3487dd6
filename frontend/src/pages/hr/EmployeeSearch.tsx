import { useEffect, useId, useState } from 'react';
import { hrApi } from '../../api/endpoints';
import { isAbort } from '../../api/errors';
import type { Employee } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { hrErrorMessage } from './hrErrors';
import { fullName } from './format';

const DEBOUNCE_MS = 300;
const MAX_MATCHES = 10;

/**
 * "Find employee": a search box whose matches are buttons (keyboard operable, announced as a
 * count). `onPick` gets the chosen employee; `selectedId` marks it as pressed; `exclude`
 * hides people already chosen. With `autoPickFirst`, the first match is picked whenever the
 * matches change (so "search, then press the action button" works without an extra click).
 */
export function EmployeeSearch({
  label,
  onPick,
  selectedId = null,
  exclude = [],
  autoPickFirst = false,
}: {
  label: string;
  onPick: (employee: Employee | null) => void;
  selectedId?: number | null;
  exclude?: readonly number[];
  autoPickFirst?: boolean;
}) {
  const { t } = useI18n();
  const inputId = `emp${useId().replace(/[^\w-]/g, '')}`;
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<Employee[] | null>(null);
  const [error, setError] = useState('');
  const excludeKey = exclude.join(',');

  useEffect(() => {
    const search = query.trim();
    if (!search) {
      setMatches(null);
      if (autoPickFirst) onPick(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      hrApi
        .employees({ search, page_size: MAX_MATCHES + exclude.length }, controller.signal)
        .then((result) => {
          const found = result.results.filter((e) => !exclude.includes(e.id)).slice(0, MAX_MATCHES);
          setMatches(found);
          setError('');
          if (autoPickFirst) onPick(found[0] ?? null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError(hrErrorMessage(err, t));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // onPick/t are left out on purpose: a re-render of the parent must not search again.
  }, [query, excludeKey]);

  return (
    <div className="employee-search">
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby={`${inputId}-status`}
        />
      </div>
      <p id={`${inputId}-status`} className="field-hint" role="status">
        {error ? '' : matches === null ? t('hr.search.hint') : t('hr.search.found', { count: matches.length })}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {matches && matches.length > 0 ? (
        <ul className="match-list" aria-label={t('hr.search.matches')}>
          {matches.map((employee) => (
            <li key={employee.id}>
              <button
                type="button"
                className="match"
                aria-pressed={selectedId === employee.id}
                onClick={() => onPick(employee)}
              >
                <span className="match-name">{fullName(employee)}</span>{' '}
                <span className="match-email">{employee.email}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
