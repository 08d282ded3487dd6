import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import type { Employee, Group } from '../../api/types';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';
import { EmployeeSearch } from './EmployeeSearch';
import { EmployeeStatusBadge } from './HrBadges';
import { hrErrorMessage, hrFormError } from './hrErrors';
import { fullName } from './format';
import { departmentLabel } from './lookups';
import { useLoad } from './useLoad';

/** /hr/groups/:id — members (add, remove), rename, delete. */
export function GroupDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const group = useLoad((signal) => hrApi.group(id, signal), [id]);
  const [page, setPage] = useState(1);
  const members = useLoad((signal) => hrApi.groupMembers(id, page, signal), [id, page]);
  const [memberError, setMemberError] = useState('');
  const [busyId, setBusyId] = useState<number | null>(null);

  const back = (
    <p className="breadcrumbs">
      <Link to="/hr/groups">{t('hr.group.back')}</Link>
    </p>
  );
  if (group.error && !group.data) {
    return (
      <section>
        {back}
        <PageHeading>{t('hr.groups.title')}</PageHeading>
        <FormAlert message={group.error} />
      </section>
    );
  }
  if (!group.data) return <Loading />;

  const changed = () => {
    members.reload();
    group.reload();
  };

  const remove = async (employee: Employee) => {
    setBusyId(employee.id);
    setMemberError('');
    try {
      await hrApi.changeGroupMembers(id, { remove: [employee.id] });
      changed();
    } catch (err) {
      setMemberError(hrErrorMessage(err, t));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section>
      {back}
      <PageHeading>{group.data.name}</PageHeading>
      <p className="muted">{t('hr.group.memberCount', { count: group.data.members ?? 0 })}</p>
      <div className="grid-2">
        <AddMemberForm groupId={group.data.id} onAdded={changed} />
        <GroupSettings group={group.data} onRenamed={(g) => group.setData(g)} />
      </div>

      <h2>{t('hr.group.members')}</h2>
      <FormAlert message={members.error || memberError} />
      <div className="table-wrap" aria-busy={members.loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('hr.col.name')}</th>
              <th scope="col">{t('hr.col.email')}</th>
              <th scope="col">{t('hr.col.department')}</th>
              <th scope="col">{t('hr.col.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('hr.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data && members.data.results.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t('hr.group.noMembers')}
                </td>
              </tr>
            ) : null}
            {members.data?.results.map((employee) => (
              <tr key={employee.id}>
                <td>
                  <Link to={`/hr/employees/${employee.id}`}>{fullName(employee)}</Link>
                </td>
                <td className="url-cell">{employee.email}</td>
                <td>{employee.department ? departmentLabel(employee.department.path) : ''}</td>
                <td>
                  <EmployeeStatusBadge status={employee.status} />
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={busyId === employee.id}
                    onClick={() => remove(employee)}
                  >
                    {t('action.remove')}
                    <span className="visually-hidden"> {fullName(employee)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {members.data ? <Pagination page={page} count={members.data.count} onChange={setPage} /> : null}
    </section>
  );
}

function AddMemberForm({ groupId, onAdded }: { groupId: number; onAdded: () => void }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<Employee | null>(null);
  const [error, setError] = useState('');
  const [added, setAdded] = useState('');
  const [pending, setPending] = useState(false);
  const [resetKey, setResetKey] = useState(0);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!picked) return;
    setPending(true);
    setError('');
    setAdded('');
    try {
      await hrApi.changeGroupMembers(groupId, { add: [picked.id] });
      setAdded(t('hr.group.added', { name: fullName(picked) }));
      setPicked(null);
      setResetKey((k) => k + 1);
      onAdded();
    } catch (err) {
      setError(hrErrorMessage(err, t));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} aria-busy={pending} aria-labelledby="add-member">
      <h2 id="add-member">{t('hr.group.addMember')}</h2>
      <FormAlert message={error} />
      <FormSuccess message={added} />
      <EmployeeSearch
        key={resetKey}
        label={t('hr.field.findEmployee')}
        selectedId={picked?.id ?? null}
        onPick={setPicked}
        autoPickFirst
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending || !picked}>
          {t('hr.group.addToGroup')}
        </button>
        {picked ? <span className="muted">{t('hr.group.selected', { name: fullName(picked) })}</span> : null}
      </div>
    </form>
  );
}

function GroupSettings({ group, onRenamed }: { group: Group; onRenamed: (group: Group) => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [name, setName] = useState(group.name);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const rename = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    if (!name.trim()) {
      setError({ message: '', fields: { name: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const updated = await hrApi.updateGroup(group.id, { name: name.trim() });
      onRenamed(updated);
      setSaved(true);
    } catch (err) {
      setError(hrFormError(err, t, ['name']));
    } finally {
      setPending(false);
    }
  };

  const remove = async () => {
    setPending(true);
    setError(NO_ERROR);
    try {
      await hrApi.deleteGroup(group.id);
      navigate('/hr/groups', { replace: true });
    } catch (err) {
      setError(hrFormError(err, t));
      setPending(false);
      setConfirming(false);
    }
  };

  return (
    <form className="card" onSubmit={rename} noValidate aria-busy={pending} aria-labelledby="group-settings">
      <h2 id="group-settings">{t('hr.group.settings')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('hr.saved') : ''} />
      <Field label={t('hr.field.groupName')} value={name} onChange={(e) => setName(e.target.value)} errors={error.fields.name} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('hr.group.rename')}
        </button>
        {confirming ? null : (
          <button type="button" className="btn btn-danger" disabled={pending} onClick={() => setConfirming(true)}>
            {t('hr.group.delete')}
          </button>
        )}
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="confirm-delete-group">
          <p id="confirm-delete-group">{t('hr.group.confirmDelete', { name: group.name })}</p>
          <div className="button-row">
            <button type="button" className="btn btn-danger" disabled={pending} onClick={remove} autoFocus>
              {t('hr.group.confirmDeleteYes')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirming(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </form>
  );
}
