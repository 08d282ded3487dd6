import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { hrApi } from '../../api/endpoints';
import type { Employee } from '../../api/types';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { EmployeeEditForm } from './EmployeeEditForm';
import { EmployeeStatusBadge } from './HrBadges';
import { hrErrorMessage } from './hrErrors';
import { fullName } from './format';
import { departmentLabel, useDepartments, useGroups } from './lookups';
import { TranscriptTable } from './TranscriptTable';
import { useLoad } from './useLoad';

/** /hr/employees/:id — edit, (de)activate, resend the invitation, transcript. */
export function EmployeeDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const employee = useLoad((signal) => hrApi.employee(id, signal), [id]);
  const departments = useDepartments();
  const groups = useGroups();
  const [version, setVersion] = useState(0);

  const back = (
    <p className="breadcrumbs">
      <Link to="/hr/employees">{t('hr.employee.back')}</Link>
    </p>
  );
  if (employee.error && !employee.data) {
    return (
      <section>
        {back}
        <PageHeading>{t('hr.employees.title')}</PageHeading>
        <FormAlert message={employee.error} />
      </section>
    );
  }
  if (!employee.data) return <Loading />;
  const data = employee.data;

  return (
    <section>
      {back}
      <div className="page-head">
        <PageHeading>{fullName(data)}</PageHeading>
        <EmployeeStatusBadge status={data.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>{t('field.email')}</dt>
          <dd>{data.email}</dd>
        </div>
        <div>
          <dt>{t('hr.field.role')}</dt>
          <dd>{t(`role.${data.role}` as MessageKey)}</dd>
        </div>
        {data.department ? (
          <div>
            <dt>{t('hr.field.department')}</dt>
            <dd>{departmentLabel(data.department.path)}</dd>
          </div>
        ) : null}
      </dl>
      <StatusActions
        employee={data}
        onChanged={(updated) => {
          employee.setData(updated);
          setVersion((v) => v + 1);
        }}
      />
      <EmployeeEditForm
        key={data.id}
        employee={data}
        departments={departments.data}
        groups={groups.data}
        onSaved={(updated) => {
          employee.setData(updated);
          setVersion((v) => v + 1);
        }}
      />
      <TranscriptTable employeeId={data.id} version={version} />
    </section>
  );
}

function StatusActions({ employee, onChanged }: { employee: Employee; onChanged: (employee: Employee) => void }) {
  const { t } = useI18n();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  const run = async (action: 'deactivate' | 'reactivate' | 'invite') => {
    setPending(true);
    setError('');
    setDone('');
    try {
      if (action === 'deactivate') onChanged(await hrApi.deactivate(employee.id));
      else if (action === 'reactivate') onChanged(await hrApi.reactivate(employee.id));
      else {
        await hrApi.resendInvitation(employee.id);
        setDone(t('hr.employee.invitationSent', { email: employee.email }));
      }
    } catch (err) {
      setError(hrErrorMessage(err, t));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="card" role="group" aria-labelledby="employee-status">
      <h2 id="employee-status">{t('hr.employee.access')}</h2>
      <p className="muted">{t(`hr.employee.statusHelp.${employee.status}` as MessageKey)}</p>
      <FormAlert message={error} />
      <FormSuccess message={done} />
      <div className="button-row">
        {employee.status === 'invited' ? (
          <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => run('invite')}>
            {t('hr.employee.resend')}
          </button>
        ) : null}
        {employee.status === 'deactivated' ? (
          <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => run('reactivate')}>
            {t('hr.employee.reactivate')}
          </button>
        ) : (
          <button type="button" className="btn btn-danger" disabled={pending} onClick={() => run('deactivate')}>
            {t('hr.employee.deactivate')}
          </button>
        )}
      </div>
    </div>
  );
}
