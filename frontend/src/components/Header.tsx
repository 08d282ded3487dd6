import { Link, NavLink, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { pageNavigation } from '../auth/redirect';
import { isNavItemActive, navigationForUser } from '../auth/roles';
import { useBranding } from '../branding/BrandingContext';
import { DEFAULT_DISPLAY_NAME } from '../branding/applyBranding';
import { useI18n } from '../i18n/I18nContext';
import { LanguageSelect } from './LanguageSelect';

export function Header() {
  const { t } = useI18n();
  const { user, status, logout } = useAuth();
  const { branding } = useBranding();
  const location = useLocation();
  const navigate = useNavigate();
  const name = branding?.display_name?.trim() || DEFAULT_DISPLAY_NAME;
  const nav = user ? navigationForUser(user) : [];

  const onLogout = async () => {
    const ssoLogoutUrl = await logout();
    // A single sign-on session also ends at the identity provider, which sends the browser back.
    if (ssoLogoutUrl) pageNavigation.assign(ssoLogoutUrl);
    else navigate('/login', { replace: true });
  };

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand">
          {branding?.logo_url ? <img src={branding.logo_url} alt="" className="brand-logo" /> : null}
          <span data-testid="brand-name" className="brand-name">
            {name}
          </span>
        </Link>

        {nav.length > 0 ? (
          <nav className="main-nav" aria-label={t('nav.label')}>
            <ul>
              {nav.map((item) => (
                <li key={item.area}>
                  <NavLink
                    to={item.path}
                    className={({ isActive }) =>
                      isActive || isNavItemActive(item, location.pathname) ? 'active' : undefined
                    }
                  >
                    {t(item.labelKey)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}

        <div className="user-menu" role="group" aria-label={t('user.menu')}>
          <LanguageSelect />
          {user ? (
            <>
              <Link to="/profile" className="user-email" title={t('user.profile')}>
                {user.email}
              </Link>
              <button type="button" className="btn btn-secondary btn-small" onClick={onLogout}>
                {t('user.logout')}
              </button>
            </>
          ) : status === 'anonymous' && location.pathname !== '/login' ? (
            <Link to="/login" className="btn btn-secondary btn-small">
              {t('nav.signIn')}
            </Link>
          ) : null}
        </div>
      </div>
    </header>
  );
}
