import { NavLink, Outlet } from 'react-router-dom';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';

const SECTIONS: ReadonlyArray<{ to: string; label: MessageKey; end?: boolean }> = [
  { to: '/hr', label: 'hr.nav.dashboard', end: true },
  { to: '/hr/employees', label: 'hr.nav.employees' },
  { to: '/hr/import', label: 'hr.nav.import' },
  { to: '/hr/groups', label: 'hr.nav.groups' },
  { to: '/hr/departments', label: 'hr.nav.departments' },
  { to: '/hr/assignments', label: 'hr.nav.assignments' },
  { to: '/hr/rules', label: 'hr.nav.rules' },
  { to: '/hr/settings', label: 'hr.nav.settings' },
];

/** /hr/* — the HR sub-navigation above the current section. */
export function HrLayout() {
  const { t } = useI18n();
  return (
    <div className="page hr">
      <nav className="tabs" aria-label={t('hr.sections')}>
        {SECTIONS.map((section) => (
          <NavLink key={section.to} to={section.to} end={section.end}>
            {t(section.label)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
