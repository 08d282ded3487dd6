import { useId, useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import {
  RULE_ATTRIBUTES,
  type CourseCard,
  type Department,
  type DueFrom,
  type Group,
  type Rule,
  type RuleAttribute,
  type RuleInput,
  type RuleSaved,
  type RuleTarget,
} from '../../api/types';
import { Field } from '../../components/Field';
import { CheckboxField, SelectField } from '../../components/FormControls';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { MAX_DUE_DAYS, MAX_RECERTIFY_MONTHS } from './assignPayload';
import { hrFormError } from './hrErrors';
import { parseWholeNumber } from './format';
import { departmentOptions } from './lookups';

type TargetKind = RuleTarget['kind'];
const TARGET_KINDS: ReadonlyArray<[TargetKind, MessageKey]> = [
  ['group', 'hr.field.group'],
  ['department', 'hr.field.department'],
  ['attribute', 'hr.rules.attribute'],
];
const FIELDS = ['name', 'course', 'target', 'due_days', 'due_from', 'recertify_months'] as const;

function initialState(rule: Rule | null) {
  const target = rule?.target;
  return {
    name: rule?.name ?? '',
    course: rule?.course.slug ?? '',
    kind: (target?.kind ?? 'group') as TargetKind,
    group: target?.kind === 'group' ? String(target.id) : '',
    department: target?.kind === 'department' ? String(target.id) : '',
    includeSub: target?.kind === 'department' ? target.include_subdepartments !== false : true,
    attribute: (target?.kind === 'attribute' ? target.attribute : 'title') as RuleAttribute,
    value: target?.kind === 'attribute' ? target.value : '',
    dueDays: rule?.due_days ? String(rule.due_days) : '',
    dueFrom: (rule?.due_from ?? 'assignment') as DueFrom,
    required: rule?.required ?? true,
    recertify: rule?.recertify_months ? String(rule.recertify_months) : '',
    active: rule?.is_active ?? true,
  };
}

type State = ReturnType<typeof initialState>;

/** The rule as the API takes it, or field errors. */
export function buildRuleInput(s: State, t: (key: MessageKey, params?: Record<string, string | number>) => string):
  | { input: RuleInput; errors?: undefined }
  | { input?: undefined; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  if (!s.name.trim()) errors.name = [t('error.required')];
  if (!s.course) errors.course = [t('error.required')];
  let target: RuleTarget | null = null;
  if (s.kind === 'group') {
    if (s.group) target = { kind: 'group', id: Number(s.group) };
    else errors.group = [t('error.required')];
  } else if (s.kind === 'department') {
    if (s.department) target = { kind: 'department', id: Number(s.department), include_subdepartments: s.includeSub };
    else errors.department = [t('error.required')];
  } else if (s.value.trim()) {
    target = { kind: 'attribute', attribute: s.attribute, value: s.value.trim() };
  } else {
    errors.value = [t('error.required')];
  }
  let dueDays: number | null = null;
  if (s.dueDays.trim()) {
    dueDays = parseWholeNumber(s.dueDays, 1, MAX_DUE_DAYS);
    if (dueDays === null) errors.due_days = [t('hr.numberRange', { min: 1, max: MAX_DUE_DAYS })];
  }
  let recertify: number | null = null;
  if (s.recertify.trim()) {
    recertify = parseWholeNumber(s.recertify, 1, MAX_RECERTIFY_MONTHS);
    if (recertify === null) errors.recertify_months = [t('hr.numberRange', { min: 1, max: MAX_RECERTIFY_MONTHS })];
  }
  if (Object.keys(errors).length || !target) return { errors };
  return {
    input: {
      name: s.name.trim(),
      course: s.course,
      target,
      due_days: dueDays,
      due_from: s.dueFrom,
      required: s.required,
      recertify_months: recertify,
      is_active: s.active,
    },
  };
}

/** Create (rule = null) or edit a rule; saving applies it at once (the answer says to how many). */
export function RuleForm({
  rule,
  courses,
  groups,
  departments,
  onSaved,
  onCancel,
}: {
  rule: Rule | null;
  courses: CourseCard[] | null;
  groups: Group[] | null;
  departments: Department[] | null;
  onSaved: (rule: RuleSaved) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const radioName = `target${useId().replace(/[^\w-]/g, '')}`;
  const [s, setState] = useState<State>(() => initialState(rule));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const set = <K extends keyof State>(name: K, value: State[K]) => setState((prev) => ({ ...prev, [name]: value }));

  // A rule's course may have left the catalogue; keep it selectable so the form stays valid.
  const courseOptions = (courses ?? []).map((c) => [c.slug, c.title] as const);
  if (rule && !courseOptions.some(([slug]) => slug === rule.course.slug)) {
    courseOptions.unshift([rule.course.slug, rule.course.title]);
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = buildRuleInput(s, t);
    if (built.errors) {
      setError({ message: '', fields: built.errors });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const saved = rule ? await hrApi.updateRule(rule.id, built.input) : await hrApi.createRule(built.input);
      if (!rule) setState(initialState(null));
      onSaved(saved);
    } catch (err) {
      setError(hrFormError(err, t, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card rule-form" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <h2>{rule ? t('hr.rules.edit', { name: rule.name }) : t('hr.rules.new')}</h2>
      <FormAlert message={error.message} />
      <div className="field-row">
        <Field label={t('hr.field.ruleName')} value={s.name} onChange={(e) => set('name', e.target.value)} errors={error.fields.name} />
        <SelectField
          label={t('hr.field.course')}
          value={s.course}
          onChange={(e) => set('course', e.target.value)}
          options={[['', t('hr.rules.chooseCourse')], ...courseOptions]}
          errors={error.fields.course}
        />
      </div>
      <fieldset className="radio-group">
        <legend>{t('hr.rules.target')}</legend>
        <div className="radio-options">
          {TARGET_KINDS.map(([kind, label]) => (
            <div className="field field-check" key={kind}>
              <input
                id={`${radioName}-${kind}`}
                type="radio"
                name={radioName}
                checked={s.kind === kind}
                onChange={() => set('kind', kind)}
              />
              <label htmlFor={`${radioName}-${kind}`}>{t(label)}</label>
            </div>
          ))}
        </div>
        {s.kind === 'group' ? (
          <SelectField
            label={t('hr.field.group')}
            value={s.group}
            onChange={(e) => set('group', e.target.value)}
            options={[['', t('hr.rules.chooseGroup')], ...(groups ?? []).map((g) => [String(g.id), g.name] as const)]}
            errors={error.fields.group}
          />
        ) : null}
        {s.kind === 'department' ? (
          <>
            <SelectField
              label={t('hr.field.department')}
              value={s.department}
              onChange={(e) => set('department', e.target.value)}
              options={[['', t('hr.rules.chooseDepartment')], ...departmentOptions(departments)]}
              errors={error.fields.department}
            />
            <CheckboxField label={t('hr.rules.includeSub')} checked={s.includeSub} onChange={(e) => set('includeSub', e.target.checked)} />
          </>
        ) : null}
        {s.kind === 'attribute' ? (
          <div className="field-row">
            <SelectField
              label={t('hr.rules.attribute')}
              value={s.attribute}
              onChange={(e) => set('attribute', e.target.value as RuleAttribute)}
              options={RULE_ATTRIBUTES.map((a) => [a, t(`hr.rules.attribute.${a}`)] as const)}
            />
            <Field label={t('hr.field.value')} value={s.value} onChange={(e) => set('value', e.target.value)} errors={error.fields.value} hint={t('hr.rules.valueHint')} />
          </div>
        ) : null}
        {error.fields.target ? <p className="field-error">{error.fields.target.join(' ')}</p> : null}
      </fieldset>
      <div className="field-row">
        <Field
          label={t('hr.field.dueInDays')}
          type="number"
          min={1}
          max={MAX_DUE_DAYS}
          step={1}
          inputMode="numeric"
          value={s.dueDays}
          onChange={(e) => set('dueDays', e.target.value)}
          hint={t('hr.rules.dueHint')}
          errors={error.fields.due_days}
        />
        <SelectField
          label={t('hr.field.countedFrom')}
          value={s.dueFrom}
          onChange={(e) => set('dueFrom', e.target.value as DueFrom)}
          options={[
            ['assignment', t('hr.rules.from.assignment')],
            ['hire', t('hr.rules.from.hire')],
          ]}
          errors={error.fields.due_from}
        />
        <Field
          label={t('hr.field.recertify')}
          type="number"
          min={1}
          max={MAX_RECERTIFY_MONTHS}
          step={1}
          inputMode="numeric"
          value={s.recertify}
          onChange={(e) => set('recertify', e.target.value)}
          hint={t('hr.field.recertifyHint')}
          errors={error.fields.recertify_months}
        />
      </div>
      <div className="check-row">
        <CheckboxField label={t('hr.field.required')} checked={s.required} onChange={(e) => set('required', e.target.checked)} />
        <CheckboxField label={t('hr.field.active')} checked={s.active} onChange={(e) => set('active', e.target.checked)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('hr.rules.save')}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
