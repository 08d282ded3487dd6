import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { canAccess, landingPathFor } from '../auth/roles';
import { useBranding } from '../branding/BrandingContext';
import { Loading } from '../components/Loading';
import { CatalogPage } from './catalog/CatalogPage';

/**
 * Storefront pages (catalogue, course landing) are open to everyone on the
 * public tenant. On a corporate tenant they need a signed-in user (the server
 * then lists only the courses licensed to the tenant).
 */
export function StorefrontGate({ children, rememberPath = true }: { children: ReactNode; rememberPath?: boolean }) {
  const { status, user } = useAuth();
  const { branding, loaded } = useBranding();
  const location = useLocation();
  if (status === 'loading' || !loaded) return <Loading />;
  if (user && !canAccess(user.role, 'storefront')) return <Navigate to={landingPathFor(user.role)} replace />;
  if (!user && branding?.tenant.kind === 'corporate') {
    return (
      <Navigate
        to="/login"
        replace
        state={rememberPath ? { from: location.pathname + location.search } : undefined}
      />
    );
  }
  return <>{children}</>;
}

/** "/" — the catalogue; visitors of a corporate tenant sign in first and then land on their role's page. */
export function Home() {
  return (
    <StorefrontGate rememberPath={false}>
      <CatalogPage />
    </StorefrontGate>
  );
}
