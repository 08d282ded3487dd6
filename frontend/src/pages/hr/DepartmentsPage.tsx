import { useState, type FormEvent } from 'react';
import { hrApi } from '../../api/endpoints';
import { NO_ERROR, type FormError } from '../../api/errors';
import type { Department } from '../../api/types';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/FormControls';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import { buildDepartmentTree, subtreeIds, type DepartmentNode } from './departmentTree';
import { hrErrorMessage, hrFormError } from './hrErrors';
import { departmentLabel, departmentOptions, useDepartments } from './lookups';

/** /hr/departments — the department tree: create, rename/move, delete. */
export function DepartmentsPage() {
  const { t } = useI18n();
  const departments = useDepartments();
  const tree = departments.data ? buildDepartmentTree(departments.data) : null;

  return (
    <section>
      <PageHeading>{t('hr.departments.title')}</PageHeading>
      <CreateDepartmentForm departments={departments.data} onCreated={departments.reload} />
      <FormAlert message={departments.error} />
      {!departments.data && !departments.error ? <Loading /> : null}
      {tree ? (
        tree.length === 0 ? (
          <p className="empty-state">{t('hr.departments.none')}</p>
        ) : (
          <div className="card">
            <DepartmentList nodes={tree} all={departments.data ?? []} onChanged={departments.reload} level={1} />
          </div>
        )
      ) : null}
    </section>
  );
}

function CreateDepartmentForm({ departments, onCreated }: { departments: Department[] | null; onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
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
      const department = await hrApi.createDepartment({ name: name.trim(), parent_id: parent ? Number(parent) : null });
      setName('');
      setCreated(t('hr.departments.created', { path: department.path }));
      onCreated();
    } catch (err) {
      setError(hrFormError(err, t, ['name', 'parent_id']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <h2>{t('hr.departments.new')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={created} />
      <div className="field-row">
        <Field
          label={t('hr.field.departmentName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={t('hr.departments.nameHint')}
          errors={error.fields.name}
        />
        <SelectField
          label={t('hr.field.parentDepartment')}
          value={parent}
          onChange={(e) => setParent(e.target.value)}
          options={[['', t('hr.departments.topLevel')], ...departmentOptions(departments)]}
          errors={error.fields.parent_id}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('hr.departments.create')}
        </button>
      </div>
    </form>
  );
}

function DepartmentList({
  nodes,
  all,
  onChanged,
  level,
}: {
  nodes: DepartmentNode[];
  all: Department[];
  onChanged: () => void;
  level: number;
}) {
  return (
    <ul className={level === 1 ? 'dept-tree' : 'dept-children'}>
      {nodes.map((node) => (
        <li key={node.id}>
          <DepartmentRow node={node} all={all} onChanged={onChanged} />
          {node.children.length ? <DepartmentList nodes={node.children} all={all} onChanged={onChanged} level={level + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}

function DepartmentRow({ node, all, onChanged }: { node: DepartmentNode; all: Department[]; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const [pending, setPending] = useState(false);

  const remove = async () => {
    setPending(true);
    setError('');
    try {
      await hrApi.deleteDepartment(node.id);
      onChanged();
    } catch (err) {
      setError(hrErrorMessage(err, t));
      setPending(false);
    }
  };

  if (editing) {
    return (
      <EditDepartmentForm
        node={node}
        all={all}
        onCancel={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          onChanged();
        }}
      />
    );
  }
  return (
    <div className="dept-row">
      <span className="dept-name">{node.name}</span>
      <span className="muted">{t('hr.departments.employees', { count: node.employees })}</span>
      <span className="dept-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setEditing(true)}>
          {t('hr.rename')}
          <span className="visually-hidden"> {node.path}</span>
        </button>
        <button type="button" className="btn btn-danger btn-small" disabled={pending} onClick={remove}>
          {t('hr.delete')}
          <span className="visually-hidden"> {node.path}</span>
        </button>
      </span>
      {error ? (
        <p className="alert alert-error dept-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function EditDepartmentForm({
  node,
  all,
  onCancel,
  onSaved,
}: {
  node: DepartmentNode;
  all: Department[];
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(node.name);
  const [parent, setParent] = useState(node.parent_id ? String(node.parent_id) : '');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const blocked = subtreeIds(node);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) {
      setError({ message: '', fields: { name: [t('error.required')] } });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      await hrApi.updateDepartment(node.id, { name: name.trim(), parent_id: parent ? Number(parent) : null });
      onSaved();
    } catch (err) {
      setError(hrFormError(err, t, ['name', 'parent_id']));
      setPending(false);
    }
  };

  return (
    <form className="dept-edit" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <p className="dept-edit-title">{t('hr.departments.editLabel', { path: departmentLabel(node.path) })}</p>
      <FormAlert message={error.message} />
      <div className="field-row">
        <Field label={t('hr.field.newName')} value={name} onChange={(e) => setName(e.target.value)} errors={error.fields.name} autoFocus />
        <SelectField
          label={t('hr.field.moveUnder')}
          value={parent}
          onChange={(e) => setParent(e.target.value)}
          options={[['', t('hr.departments.topLevel')], ...departmentOptions(all.filter((d) => !blocked.has(d.id)))]}
          errors={error.fields.parent_id}
        />
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={pending}>
          {t('action.save')}
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
