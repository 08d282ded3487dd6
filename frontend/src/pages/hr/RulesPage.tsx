import { useState } from 'react';
import { hrApi } from '../../api/endpoints';
import type { Rule, RuleSaved } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { PageHeading } from '../../components/PageHeading';
import { useI18n, type Translate } from '../../i18n/I18nContext';
import { hrErrorMessage } from './hrErrors';
import { departmentLabel, useCourses, useDepartments, useGroups } from './lookups';
import { RuleForm } from './RuleForm';
import { useLoad } from './useLoad';

export function describeTarget(rule: Rule, t: Translate): string {
  const target = rule.target;
  if (target.kind === 'group') return t('hr.rules.targetGroup', { name: target.name ?? String(target.id) });
  if (target.kind === 'department') {
    const path = departmentLabel(target.path ?? String(target.id));
    return target.include_subdepartments === false
      ? t('hr.rules.targetDepartment', { path })
      : t('hr.rules.targetDepartmentTree', { path });
  }
  return t('hr.rules.targetAttribute', { attribute: t(`hr.rules.attribute.${target.attribute}`), value: target.value });
}

export function describeDue(rule: Rule, t: Translate): string {
  if (!rule.due_days) return t('hr.rules.noDue');
  return rule.due_from === 'hire'
    ? t('hr.rules.dueAfterHire', { days: rule.due_days })
    : t('hr.rules.dueAfterAssignment', { days: rule.due_days });
}

/** /hr/rules — auto-assignment rules: list, create, edit, delete. */
export function RulesPage() {
  const { t } = useI18n();
  const rules = useLoad(async (signal) => (await hrApi.rules(signal)).results, []);
  const courses = useCourses();
  const groups = useGroups();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Rule | null>(null);
  const [saved, setSaved] = useState<RuleSaved | null>(null);
  const [rowError, setRowError] = useState('');
  const [busyId, setBusyId] = useState<number | null>(null);

  const remove = async (rule: Rule) => {
    setBusyId(rule.id);
    setRowError('');
    setSaved(null);
    try {
      await hrApi.deleteRule(rule.id);
      if (editing?.id === rule.id) setEditing(null);
      rules.reload();
    } catch (err) {
      setRowError(hrErrorMessage(err, t));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section>
      <PageHeading>{t('hr.rules.title')}</PageHeading>
      <p className="muted">{t('hr.rules.intro')}</p>
      <FormAlert message={rules.error || rowError} />
      <div className="table-wrap" aria-busy={rules.loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('hr.col.rule')}</th>
              <th scope="col">{t('hr.col.course')}</th>
              <th scope="col">{t('hr.col.target')}</th>
              <th scope="col">{t('hr.col.due')}</th>
              <th scope="col">{t('hr.col.active')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('hr.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.data && rules.data.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  {t('hr.rules.none')}
                </td>
              </tr>
            ) : null}
            {rules.data?.map((rule) => (
              <tr key={rule.id}>
                <td>{rule.name}</td>
                <td>{rule.course.title}</td>
                <td>{describeTarget(rule, t)}</td>
                <td>{describeDue(rule, t)}</td>
                <td>
                  <span className={`badge ${rule.is_active ? 'badge-active' : 'badge-archived'}`}>
                    {rule.is_active ? t('hr.rules.active') : t('hr.rules.inactive')}
                  </span>
                </td>
                <td className="nowrap">
                  <div className="button-row">
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      onClick={() => {
                        setSaved(null);
                        setEditing(rule);
                      }}
                    >
                      {t('hr.edit')}
                      <span className="visually-hidden"> {rule.name}</span>
                    </button>
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      disabled={busyId === rule.id}
                      onClick={() => remove(rule)}
                    >
                      {t('hr.delete')}
                      <span className="visually-hidden"> {rule.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div role="status">
        {saved ? (
          <p className="alert alert-success">
            {t('hr.rules.saved', { name: saved.name })}{' '}
            <strong data-testid="assigned-now">{t('hr.rules.assignedNow', { count: saved.assigned_now })}</strong>
          </p>
        ) : null}
      </div>
      <RuleForm
        key={editing ? `edit-${editing.id}` : 'new'}
        rule={editing}
        courses={courses.data}
        groups={groups.data}
        departments={departments.data}
        onCancel={editing ? () => setEditing(null) : undefined}
        onSaved={(rule) => {
          setSaved(rule);
          setEditing(null);
          rules.reload();
        }}
      />
    </section>
  );
}
