import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import type { Group } from '../../api/types';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nContext';
import { hrFormError } from './hrErrors';
import { useLoad } from './useLoad';

/** /hr/groups — groups with member counts and the create form. */
export function GroupsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const groups = useLoad((signal) => hrApi.groups({ page }, signal), [page]);

  return (
    <section>
      <PageHeading>{t('hr.groups.title')}</PageHeading>
      <p className="muted">{t('hr.groups.intro')}</p>
      <CreateGroupForm onCreated={groups.reload} />
      <FormAlert message={groups.error} />
      <div className="table-wrap" aria-busy={groups.loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('hr.col.group')}</th>
              <th scope="col" className="num">{t('hr.col.members')}</th>
              <th scope="col">{t('hr.col.description')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.data && groups.data.results.length === 0 ? (
              <tr>
                <td colSpan={3} className="empty">
                  {t('hr.groups.none')}
                </td>
              </tr>
            ) : null}
            {groups.data?.results.map((group) => (
              <tr key={group.id}>
                <td>
                  <Link to={`/hr/groups/${group.id}`}>{group.name}</Link>
                </td>
                <td className="num">{group.members ?? 0}</td>
                <td>{group.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {groups.data ? <Pagination page={page} count={groups.data.count} onChange={setPage} /> : null}
    </section>
  );
}

function CreateGroupForm({ onCreated }: { onCreated: (group: Group) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [created, setCreated] = useState('');
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated('');
    if (!name.trim()) {
      setError({ message: '', fields: { name: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const group = await hrApi.createGroup({ name: name.trim() });
      setName('');
      setCreated(t('hr.groups.created', { name: group.name }));
      onCreated(group);
    } catch (err) {
      setError(hrFormError(err, t, ['name']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card inline-form" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormAlert message={error.message} />
      <FormSuccess message={created} />
      <Field label={t('hr.field.groupName')} value={name} onChange={(e) => setName(e.target.value)} errors={error.fields.name} />
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {t('hr.groups.create')}
      </button>
    </form>
  );
}
