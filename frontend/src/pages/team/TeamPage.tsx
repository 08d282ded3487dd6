import { useState } from 'react';
import { teamApi } from '../../api/endpoints';
import type { TeamMember } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';
import { AssignmentStatusBadge } from '../hr/HrBadges';
import { departmentLabel } from '../hr/lookups';
import { useLoad } from '../hr/useLoad';

/** /team — a manager's reports and how their assigned learning is going. */
export function TeamPage() {
  const { t } = useI18n();
  const team = useLoad(async (signal) => (await teamApi.team(signal)).results, []);
  return (
    <section className="page">
      <PageHeading>{t('team.title')}</PageHeading>
      <FormAlert message={team.error} />
      {!team.data && !team.error ? <Loading /> : null}
      {team.data && team.data.length === 0 ? <p className="empty-state">{t('team.empty')}</p> : null}
      {team.data && team.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table team-table">
            <thead>
              <tr>
                <th scope="col">{t('hr.col.name')}</th>
                <th scope="col">{t('hr.col.department')}</th>
                <th scope="col" className="num">{t('hr.dashboard.assigned')}</th>
                <th scope="col" className="num">{t('hr.dashboard.completed')}</th>
                <th scope="col" className="num">{t('hr.dashboard.overdue')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('hr.col.actions')}</span>
                </th>
              </tr>
            </thead>
            {team.data.map((member) => (
              <TeamRow key={member.id} member={member} />
            ))}
          </table>
        </div>
      ) : null}
    </section>
  );
}

function TeamRow({ member }: { member: TeamMember }) {
  const { t, formatShortDay: formatDay } = useI18n();
  const [open, setOpen] = useState(false);
  const detailsId = `team-member-${member.id}`;
  return (
    <tbody>
      <tr>
        <th scope="row" className="team-name">
          {member.name || member.email}
          <br />
          <span className="muted url-cell">{member.email}</span>
        </th>
        <td>{member.department ? departmentLabel(member.department) : ''}</td>
        <td className="num">{member.assigned}</td>
        <td className="num">{member.completed}</td>
        <td className={`num${member.overdue ? ' is-overdue' : ''}`}>{member.overdue}</td>
        <td className="nowrap">
          {member.assignments.length ? (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              aria-expanded={open}
              aria-controls={detailsId}
              onClick={() => setOpen((v) => !v)}
            >
              {open ? t('team.hide') : t('team.show')}
              <span className="visually-hidden"> {member.name || member.email}</span>
            </button>
          ) : (
            <span className="muted">{t('team.noAssignments')}</span>
          )}
        </td>
      </tr>
      {member.assignments.length ? (
        <tr id={detailsId} hidden={!open} className="team-details">
          <td colSpan={6}>
            <ul className="team-assignments">
              {member.assignments.map((a) => (
                <li key={a.course.slug}>
                  <span className="team-course">{a.course.title}</span>
                  <span className="muted">
                    {a.due_at ? t('team.due', { date: formatDay(a.due_at) }) : t('team.noDue')}
                    {!a.required ? ` · ${t('hr.optional')}` : ''}
                  </span>
                  <AssignmentStatusBadge status={a.status} />
                  <ProgressBar
                    className="progress-small"
                    value={a.progress_percent}
                    label={t('hr.assignments.progressOf', { name: member.name || member.email, course: a.course.title })}
                  />
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
