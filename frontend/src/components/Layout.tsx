import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { useBranding } from '../branding/BrandingContext';
import { metrikaHit } from '../branding/applyBranding';
import { useI18n } from '../i18n/I18nContext';
import { Header } from './Header';

export function Layout() {
  const { t } = useI18n();
  const { branding } = useBranding();
  const location = useLocation();
  const metrikaId = branding?.metrika_id ?? null;

  // The counter's init call records the first page view; report later SPA navigations.
  const lastUrl = useRef<string | null>(null);
  useEffect(() => {
    const url = location.pathname + location.search;
    if (lastUrl.current !== null && lastUrl.current !== url) metrikaHit(metrikaId, window.location.href);
    lastUrl.current = url;
  }, [metrikaId, location.pathname, location.search]);

  return (
    <>
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <Header />
      <main id="main" className="site-main">
        <Outlet />
      </main>
      {branding?.support_email ? (
        <footer className="site-footer">
          <a href={`mailto:${branding.support_email}`}>{branding.support_email}</a>
        </footer>
      ) : null}
    </>
  );
}
