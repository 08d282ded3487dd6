import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

function useControlIds(id: string | undefined, hint: ReactNode, errors: string[] | undefined) {
  const autoId = useId();
  const controlId = id ?? `f${autoId.replace(/[^\w-]/g, '')}`;
  const hasErrors = Boolean(errors && errors.length);
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : null, hasErrors ? errorId : null].filter(Boolean).join(' ') || undefined;
  return { controlId, hasErrors, hintId, errorId, describedBy };
}

function HintAndErrors({ hint, hintId, errors, errorId }: { hint: ReactNode; hintId: string; errors?: string[]; errorId: string }) {
  return (
    <>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errors && errors.length ? (
        <p className="field-error" id={errorId}>
          {errors.join(' ')}
        </p>
      ) : null}
    </>
  );
}

interface Common {
  label: string;
  errors?: string[];
  hint?: ReactNode;
  id?: string;
  className?: string;
}

/** A labelled <textarea> (Markdown bodies, descriptions). */
export function TextAreaField({ label, errors, hint, id, className, ...rest }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  const ids = useControlIds(id, hint, errors);
  return (
    <div className={`field${ids.hasErrors ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={ids.controlId}>{label}</label>
      <textarea id={ids.controlId} aria-invalid={ids.hasErrors || undefined} aria-describedby={ids.describedBy} {...rest} />
      <HintAndErrors hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}

/** A labelled <select>; `options` are [value, text] pairs. */
export function SelectField({
  label,
  errors,
  hint,
  id,
  className,
  options,
  ...rest
}: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { options: ReadonlyArray<readonly [string, string]> }) {
  const ids = useControlIds(id, hint, errors);
  return (
    <div className={`field${ids.hasErrors ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={ids.controlId}>{label}</label>
      <select id={ids.controlId} aria-invalid={ids.hasErrors || undefined} aria-describedby={ids.describedBy} {...rest}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <HintAndErrors hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}

/** A checkbox with its label to the right. */
export function CheckboxField({ label, errors, hint, id, className, ...rest }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'>) {
  const ids = useControlIds(id, hint, errors);
  return (
    <div className={`field field-check${className ? ` ${className}` : ''}`}>
      <input id={ids.controlId} type="checkbox" aria-describedby={ids.describedBy} {...rest} />
      <label htmlFor={ids.controlId}>{label}</label>
      <HintAndErrors hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}
