import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { AdminLayout } from './pages/admin/AdminLayout';
import { AuditPage } from './pages/admin/AuditPage';
import { BrandingPage } from './pages/admin/BrandingPage';
import { Home } from './pages/Home';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { NotFound } from './pages/NotFound';
import { Placeholder } from './pages/Placeholder';
import { TenantCreatePage } from './pages/platform/TenantCreatePage';
import { TenantDetailPage } from './pages/platform/TenantDetailPage';
import { TenantListPage } from './pages/platform/TenantListPage';
import { ResetConfirmPage, ResetRequestPage } from './pages/ResetPasswordPage';

/** All client-side routes. Providers (router, i18n, auth, branding) wrap this in main.tsx. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="invite/:token" element={<InvitePage />} />
        <Route path="reset-password" element={<ResetRequestPage />} />
        <Route path="reset-password/:token" element={<ResetConfirmPage />} />

        <Route
          path="learning"
          element={
            <RequireAuth area="learning">
              <Placeholder titleKey="learning.title" />
            </RequireAuth>
          }
        />
        <Route
          path="hr"
          element={
            <RequireAuth area="hr">
              <Placeholder titleKey="hr.title" />
            </RequireAuth>
          }
        />
        <Route
          path="admin"
          element={
            <RequireAuth area="admin">
              <AdminLayout />
            </RequireAuth>
          }
        >
          <Route index element={<BrandingPage />} />
          <Route path="audit" element={<AuditPage />} />
        </Route>
        <Route path="platform/*" element={<PlatformRoutes />} />

        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function PlatformRoutes() {
  return (
    <RequireAuth area="platform">
      <Routes>
        <Route index element={<Navigate to="/platform/tenants" replace />} />
        <Route path="tenants" element={<TenantListPage />} />
        <Route path="tenants/new" element={<TenantCreatePage />} />
        <Route path="tenants/:slug" element={<TenantDetailPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireAuth>
  );
}
