import { useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import type { AssignResult, CourseCard, Department, Employee, Group } from '../../api/types';
import { Field } from '../../components/Field';
import { CheckboxField } from '../../components/FormControls';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';
import { buildAssignPayload, MAX_RECERTIFY_MONTHS, type DueInput, type FieldErrors } from './assignPayload';
import { DueDateFieldset } from './DueDateFieldset';
import { EmployeeSearch } from './EmployeeSearch';
import { hrFormError } from './hrErrors';
import { fullName } from './format';
import { departmentLabel } from './lookups';

const INITIAL_DUE: DueInput = { kind: 'none', date: '', days: '' };

const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

/** POST /api/hr/assignments/: courses × (people ∪ groups ∪ departments) with a due date. */
export function AssignForm({
  courses,
  groups,
  departments,
  onAssigned,
}: {
  courses: CourseCard[] | null;
  groups: Group[] | null;
  departments: Department[] | null;
  onAssigned: (result: AssignResult) => void;
}) {
  const { t } = useI18n();
  const [selectedCourses, setCourses] = useState<string[]>([]);
  const [people, setPeople] = useState<Employee[]>([]);
  const [selectedGroups, setGroups] = useState<number[]>([]);
  const [selectedDepartments, setDepartments] = useState<number[]>([]);
  const [due, setDue] = useState<DueInput>(INITIAL_DUE);
  const [required, setRequired] = useState(true);
  const [recertify, setRecertify] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<AssignResult | null>(null);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setResult(null);
    setMessage('');
    const built = buildAssignPayload(
      {
        courses: selectedCourses,
        users: people.map((p) => p.user_id),
        groups: selectedGroups,
        departments: selectedDepartments,
        due,
        required,
        recertifyMonths: recertify,
      },
      t,
    );
    if (built.errors) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const assigned = await hrApi.assign(built.payload);
      setResult(assigned);
      onAssigned(assigned);
    } catch (err) {
      const formError = hrFormError(err, t, ['courses', 'recertify_months']);
      setErrors(formError.fields);
      setMessage(formError.message);
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card assign-form" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <h2>{t('hr.assign.title')}</h2>
      <FormAlert message={message} />

      <fieldset className="check-list" aria-describedby={errors.courses ? 'assign-courses-error' : undefined}>
        <legend>{t('hr.assign.courses')}</legend>
        {courses && courses.length === 0 ? <p className="muted">{t('hr.assign.noCourses')}</p> : null}
        <div className="check-grid">
          {(courses ?? []).map((course) => (
            <CheckboxField
              key={course.slug}
              label={course.title}
              checked={selectedCourses.includes(course.slug)}
              onChange={(e) => setCourses(toggle(selectedCourses, course.slug, e.target.checked))}
            />
          ))}
        </div>
        {errors.courses ? (
          <p className="field-error" id="assign-courses-error">
            {errors.courses.join(' ')}
          </p>
        ) : null}
      </fieldset>

      <fieldset className="targets" aria-describedby={errors.targets ? 'assign-targets-error' : undefined}>
        <legend>{t('hr.assign.whom')}</legend>
        {errors.targets ? (
          <p className="field-error" id="assign-targets-error">
            {errors.targets.join(' ')}
          </p>
        ) : null}
        <div className="grid-2">
          <PeoplePicker people={people} onChange={setPeople} />
          <div>
            <fieldset className="check-list">
              <legend>{t('hr.assign.groups')}</legend>
              {groups && groups.length === 0 ? <p className="muted">{t('hr.groups.none')}</p> : null}
              {(groups ?? []).map((group) => (
                <CheckboxField
                  key={group.id}
                  label={group.name}
                  checked={selectedGroups.includes(group.id)}
                  onChange={(e) => setGroups(toggle(selectedGroups, group.id, e.target.checked))}
                />
              ))}
            </fieldset>
            <fieldset className="check-list">
              <legend>{t('hr.assign.departments')}</legend>
              {departments && departments.length === 0 ? <p className="muted">{t('hr.departments.none')}</p> : null}
              {(departments ?? []).map((department) => (
                <CheckboxField
                  key={department.id}
                  label={departmentLabel(department.path)}
                  checked={selectedDepartments.includes(department.id)}
                  onChange={(e) => setDepartments(toggle(selectedDepartments, department.id, e.target.checked))}
                />
              ))}
              <p className="field-hint">{t('hr.assign.departmentsHint')}</p>
            </fieldset>
          </div>
        </div>
      </fieldset>

      <DueDateFieldset value={due} onChange={setDue} errors={errors} />
      <div className="field-row">
        <CheckboxField label={t('hr.field.required')} checked={required} onChange={(e) => setRequired(e.target.checked)} />
        <Field
          label={t('hr.field.recertify')}
          type="number"
          min={1}
          max={MAX_RECERTIFY_MONTHS}
          step={1}
          inputMode="numeric"
          value={recertify}
          onChange={(e) => setRecertify(e.target.value)}
          hint={t('hr.field.recertifyHint')}
          errors={errors.recertify_months}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('hr.assign.submit')}
        </button>
      </div>
      <div role="status" className="assign-result">
        {result ? (
          <p className="alert alert-success">
            <span data-testid="assigned-created">{t('hr.assign.created', { count: result.created })}</span>
            {result.already_assigned > 0 ? (
              <>
                {' '}
                <span data-testid="assigned-already">{t('hr.assign.already', { count: result.already_assigned })}</span>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function PeoplePicker({ people, onChange }: { people: Employee[]; onChange: (people: Employee[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="people-picker">
      <legend>{t('hr.assign.people')}</legend>
      <EmployeeSearch
        label={t('hr.field.findEmployee')}
        exclude={people.map((p) => p.id)}
        onPick={(employee) => {
          if (employee && !people.some((p) => p.id === employee.id)) onChange([...people, employee]);
        }}
      />
      {people.length ? (
        <ul className="chips" aria-label={t('hr.assign.selectedPeople')}>
          {people.map((person) => (
            <li key={person.id} className="chip">
              <span>{fullName(person)}</span>
              <button
                type="button"
                className="chip-remove"
                onClick={() => onChange(people.filter((p) => p.id !== person.id))}
                aria-label={t('hr.assign.removePerson', { name: fullName(person) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('hr.assign.noPeople')}</p>
      )}
    </fieldset>
  );
}
