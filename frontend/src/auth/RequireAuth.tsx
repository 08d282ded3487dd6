import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';
import { canAccess, type Area } from './roles';
import { Forbidden } from '../pages/Forbidden';
import { Loading } from '../components/Loading';

/** Guards a route: anonymous users go to /login, users without the area see "access denied". */
export function RequireAuth({ area, children }: { area?: Area; children: ReactNode }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (area && !canAccess(user.role, area)) return <Forbidden />;
  return <>{children}</>;
}
