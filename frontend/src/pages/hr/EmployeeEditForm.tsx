import { useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import { TENANT_ROLES, type Department, type Employee, type EmployeePatch, type Group, type TenantRole } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Field } from '../../components/Field';
import { CheckboxField, SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { hrFormError } from './hrErrors';
import { departmentOptions } from './lookups';
import { ManagerField, resolveEmployee } from './ManagerField';

const FIELDS = ['first_name', 'last_name', 'employee_id', 'title', 'location', 'hire_date', 'department_id', 'manager', 'role', 'group_ids'] as const;

function initialState(employee: Employee) {
  return {
    firstName: employee.first_name,
    lastName: employee.last_name,
    employeeId: employee.employee_id,
    title: employee.title,
    location: employee.location,
    hireDate: employee.hire_date ?? '',
    department: employee.department ? String(employee.department.id) : '',
    manager: employee.manager?.email ?? '',
    role: employee.role as TenantRole,
    groups: employee.groups.map((g) => g.id),
  };
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

/** PATCH /api/hr/employees/:id with the fields that changed (groups as a checkbox list). */
export function EmployeeEditForm({
  employee,
  departments,
  groups,
  onSaved,
}: {
  employee: Employee;
  departments: Department[] | null;
  groups: Group[] | null;
  onSaved: (employee: Employee) => void;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const isAdmin = user?.role === 'tenant_admin';
  const [form, setForm] = useState(() => initialState(employee));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const set = <K extends keyof typeof form>(name: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [name]: value }));

  const toggleGroup = (groupId: number, on: boolean) =>
    set('groups', on ? [...form.groups, groupId] : form.groups.filter((g) => g !== groupId));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    setPending(true);
    setError(NO_ERROR);
    try {
      const before = initialState(employee);
      const patch: EmployeePatch = {};
      if (form.firstName !== before.firstName) patch.first_name = form.firstName.trim();
      if (form.lastName !== before.lastName) patch.last_name = form.lastName.trim();
      if (form.employeeId !== before.employeeId) patch.employee_id = form.employeeId.trim();
      if (form.title !== before.title) patch.title = form.title.trim();
      if (form.location !== before.location) patch.location = form.location.trim();
      if (form.hireDate !== before.hireDate) patch.hire_date = form.hireDate || null;
      if (form.department !== before.department) patch.department_id = form.department ? Number(form.department) : null;
      if (form.manager.trim() !== before.manager) {
        const manager = await resolveEmployee(form.manager);
        if (manager === null) {
          setError({ message: '', fields: { manager: [t('hr.error.managerNotFound')] } });
          return;
        }
        patch.manager_id = manager ? manager.id : null;
      }
      if (isAdmin && form.role !== before.role) patch.role = form.role;
      if (!sameSet(form.groups, before.groups)) patch.group_ids = form.groups;
      const updated = Object.keys(patch).length ? await hrApi.updateEmployee(employee.id, patch) : employee;
      onSaved(updated);
      setForm(initialState(updated));
      setSaved(true);
    } catch (err) {
      setError(hrFormError(err, t, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="edit-employee">
      <h2 id="edit-employee">{t('hr.employee.edit')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('hr.saved') : ''} />
      <div className="field-row">
        <Field label={t('field.firstName')} value={form.firstName} onChange={(e) => set('firstName', e.target.value)} errors={error.fields.first_name} />
        <Field label={t('field.lastName')} value={form.lastName} onChange={(e) => set('lastName', e.target.value)} errors={error.fields.last_name} />
        <Field label={t('hr.field.employeeId')} value={form.employeeId} onChange={(e) => set('employeeId', e.target.value)} errors={error.fields.employee_id} />
        <Field label={t('hr.field.title')} value={form.title} onChange={(e) => set('title', e.target.value)} errors={error.fields.title} />
        <Field label={t('hr.field.location')} value={form.location} onChange={(e) => set('location', e.target.value)} errors={error.fields.location} />
        <Field label={t('hr.field.hireDate')} type="date" value={form.hireDate} onChange={(e) => set('hireDate', e.target.value)} errors={error.fields.hire_date} />
        <SelectField
          label={t('hr.field.department')}
          value={form.department}
          onChange={(e) => set('department', e.target.value)}
          options={[['', t('hr.field.noDepartment')], ...departmentOptions(departments)]}
          errors={error.fields.department_id}
        />
        <ManagerField value={form.manager} onChange={(v) => set('manager', v)} errors={error.fields.manager} excludeId={employee.id} />
        {isAdmin ? (
          <SelectField
            label={t('hr.field.role')}
            value={form.role}
            onChange={(e) => set('role', e.target.value as TenantRole)}
            options={TENANT_ROLES.map((role) => [role, t(`role.${role}` as MessageKey)] as const)}
            errors={error.fields.role}
          />
        ) : null}
      </div>
      <fieldset className="check-list">
        <legend>{t('hr.field.groups')}</legend>
        {groups && groups.length === 0 ? <p className="muted">{t('hr.groups.none')}</p> : null}
        {(groups ?? []).map((group) => (
          <CheckboxField
            key={group.id}
            label={group.name}
            checked={form.groups.includes(group.id)}
            onChange={(e) => toggleGroup(group.id, e.target.checked)}
          />
        ))}
        {error.fields.group_ids ? <p className="field-error">{error.fields.group_ids.join(' ')}</p> : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}
