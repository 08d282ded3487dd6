import { NavLink, Outlet } from 'react-router-dom';
import { useI18n } from '../../i18n/I18nContext';

export function AdminLayout() {
  const { t } = useI18n();
  return (
    <div className="page">
      <nav className="tabs" aria-label={t('admin.sections')}>
        <NavLink to="/admin" end>
          {t('admin.branding')}
        </NavLink>
        <NavLink to="/admin/audit">{t('admin.audit')}</NavLink>
        <NavLink to="/admin/sso">{t('admin.sso')}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
