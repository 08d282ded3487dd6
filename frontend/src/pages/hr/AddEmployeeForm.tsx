import { useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import { TENANT_ROLES, type Department, type Employee, type SeatUsage, type TenantRole } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { hrFormError, isSeatLimit } from './hrErrors';
import { departmentOptions } from './lookups';
import { ManagerField, resolveEmployee } from './ManagerField';

const FIELDS = ['email', 'first_name', 'last_name', 'employee_id', 'title', 'department_id', 'manager', 'role'] as const;

const EMPTY = { email: '', firstName: '', lastName: '', employeeId: '', title: '', department: '', manager: '', role: 'learner' as TenantRole };

/** POST /api/hr/employees/: invites a new employee (takes a seat). */
export function AddEmployeeForm({
  departments,
  onAdded,
  onSeats,
}: {
  departments: Department[] | null;
  onAdded: (employee: Employee) => void;
  /** Fresh seat figures from a seat-limit conflict. */
  onSeats: (seats: Pick<SeatUsage, 'used' | 'limit'>) => void;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const isAdmin = user?.role === 'tenant_admin';
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [added, setAdded] = useState('');
  const [pending, setPending] = useState(false);
  const set = (name: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAdded('');
    if (!form.email.trim()) {
      setError({ message: '', fields: { email: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const manager = await resolveEmployee(form.manager);
      if (manager === null) {
        setError({ message: '', fields: { manager: [t('hr.error.managerNotFound')] } });
        return;
      }
      const employee = await hrApi.createEmployee({
        email: form.email.trim(),
        first_name: form.firstName.trim(),
        last_name: form.lastName.trim(),
        employee_id: form.employeeId.trim(),
        title: form.title.trim(),
        department_id: form.department ? Number(form.department) : null,
        manager_id: manager ? manager.id : null,
        ...(isAdmin ? { role: form.role } : {}),
      });
      setForm(EMPTY);
      setAdded(t('hr.employees.added', { email: employee.email }));
      onAdded(employee);
    } catch (err) {
      if (isSeatLimit(err)) {
        const { used, limit } = err.details;
        if (typeof used === 'number' && typeof limit === 'number') onSeats({ used, limit });
      }
      setError(hrFormError(err, t, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="add-employee">
      <h2 id="add-employee">{t('hr.employees.add')}</h2>
      <p className="muted">{t('hr.employees.addIntro')}</p>
      <FormAlert message={error.message} />
      <FormSuccess message={added} />
      <div className="field-row">
        <Field
          label={t('field.email')}
          type="email"
          name="email"
          autoComplete="off"
          required
          value={form.email}
          onChange={(e) => set('email')(e.target.value)}
          errors={error.fields.email}
        />
        <Field
          label={t('field.firstName')}
          name="first_name"
          autoComplete="off"
          value={form.firstName}
          onChange={(e) => set('firstName')(e.target.value)}
          errors={error.fields.first_name}
        />
        <Field
          label={t('field.lastName')}
          name="last_name"
          autoComplete="off"
          value={form.lastName}
          onChange={(e) => set('lastName')(e.target.value)}
          errors={error.fields.last_name}
        />
        <Field
          label={t('hr.field.employeeId')}
          name="employee_id"
          autoComplete="off"
          value={form.employeeId}
          onChange={(e) => set('employeeId')(e.target.value)}
          errors={error.fields.employee_id}
        />
        <Field
          label={t('hr.field.title')}
          name="title"
          autoComplete="off"
          value={form.title}
          onChange={(e) => set('title')(e.target.value)}
          errors={error.fields.title}
        />
        <SelectField
          label={t('hr.field.department')}
          name="department_id"
          value={form.department}
          onChange={(e) => set('department')(e.target.value)}
          options={[['', t('hr.field.noDepartment')], ...departmentOptions(departments)]}
          errors={error.fields.department_id}
        />
        <ManagerField value={form.manager} onChange={set('manager')} errors={error.fields.manager} />
        {isAdmin ? (
          <SelectField
            label={t('hr.field.role')}
            name="role"
            value={form.role}
            onChange={(e) => set('role')(e.target.value)}
            options={TENANT_ROLES.map((role) => [role, t(`role.${role}` as MessageKey)] as const)}
            errors={error.fields.role}
          />
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('hr.employees.add')}
        </button>
      </div>
    </form>
  );
}
