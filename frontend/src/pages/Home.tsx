import { Navigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { canAccess, landingPathFor } from '../auth/roles';
import { useBranding } from '../branding/BrandingContext';
import { Loading } from '../components/Loading';
import { Placeholder } from './Placeholder';

/**
 * "/" is the storefront of the public tenant (open to everyone). Signed-in users
 * whose role has no storefront, and visitors of a corporate tenant, are sent on.
 */
export function Home() {
  const { status, user } = useAuth();
  const { branding, loaded } = useBranding();
  if (status === 'loading' || !loaded) return <Loading />;
  if (user && !canAccess(user.role, 'storefront')) return <Navigate to={landingPathFor(user.role)} replace />;
  if (!user && branding?.tenant.kind === 'corporate') return <Navigate to="/login" replace />;
  return <Placeholder titleKey="storefront.title" />;
}
