import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { AdminLayout } from './pages/admin/AdminLayout';
import { AuditPage } from './pages/admin/AuditPage';
import { BrandingPage } from './pages/admin/BrandingPage';
import { SsoPage } from './pages/admin/sso/SsoPage';
import { SsoProviderPage } from './pages/admin/sso/SsoProviderPage';
import { AuthoringListPage } from './pages/authoring/AuthoringListPage';
import { CourseEditorPage } from './pages/authoring/CourseEditorPage';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { CourseLandingPage } from './pages/catalog/CourseLandingPage';
import { Home, StorefrontGate } from './pages/Home';
import { CoursePage } from './pages/learning/CoursePage';
import { LessonPage } from './pages/learning/LessonPage';
import { MyLearningPage } from './pages/learning/MyLearningPage';
import { AssignmentsPage } from './pages/hr/AssignmentsPage';
import { DashboardPage } from './pages/hr/DashboardPage';
import { DepartmentsPage } from './pages/hr/DepartmentsPage';
import { EmployeeDetailPage } from './pages/hr/EmployeeDetailPage';
import { EmployeesPage } from './pages/hr/EmployeesPage';
import { GroupDetailPage } from './pages/hr/GroupDetailPage';
import { GroupsPage } from './pages/hr/GroupsPage';
import { HrLayout } from './pages/hr/HrLayout';
import { ImportPage } from './pages/hr/ImportPage';
import { RulesPage } from './pages/hr/RulesPage';
import { SettingsPage } from './pages/hr/SettingsPage';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { NotFound } from './pages/NotFound';
import { TenantCreatePage } from './pages/platform/TenantCreatePage';
import { TenantDetailPage } from './pages/platform/TenantDetailPage';
import { TenantListPage } from './pages/platform/TenantListPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { ResetConfirmPage, ResetRequestPage } from './pages/ResetPasswordPage';
import { TeamPage } from './pages/team/TeamPage';
import { VerifyPage } from './pages/VerifyPage';

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
        <Route path="verify/:code" element={<VerifyPage />} />

        <Route
          path="catalog"
          element={
            <StorefrontGate>
              <CatalogPage />
            </StorefrontGate>
          }
        />
        <Route
          path="courses/:slug"
          element={
            <StorefrontGate>
              <CourseLandingPage />
            </StorefrontGate>
          }
        />

        <Route
          path="learning"
          element={
            <RequireAuth area="learning">
              <MyLearningPage />
            </RequireAuth>
          }
        />
        <Route
          path="learn/:slug"
          element={
            <RequireAuth>
              <CoursePage />
            </RequireAuth>
          }
        />
        {/* Free-preview lessons open without enrolment (or sign-in); the API decides. */}
        <Route path="learn/:slug/lessons/:lessonId" element={<LessonPage />} />

        <Route path="authoring/*" element={<AuthoringRoutes />} />

        {/* Any signed-in person of a corporate tenant; the API returns an empty team without reports. */}
        <Route
          path="team"
          element={
            <RequireAuth>
              <TeamPage />
            </RequireAuth>
          }
        />
        <Route
          path="profile"
          element={
            <RequireAuth>
              <ProfilePage />
            </RequireAuth>
          }
        />

        <Route
          path="hr"
          element={
            <RequireAuth area="hr">
              <HrLayout />
            </RequireAuth>
          }
        >
          <Route index element={<DashboardPage />} />
          <Route path="employees" element={<EmployeesPage />} />
          <Route path="employees/:id" element={<EmployeeDetailPage />} />
          <Route path="import" element={<ImportPage />} />
          <Route path="groups" element={<GroupsPage />} />
          <Route path="groups/:id" element={<GroupDetailPage />} />
          <Route path="departments" element={<DepartmentsPage />} />
          <Route path="assignments" element={<AssignmentsPage />} />
          <Route path="rules" element={<RulesPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
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
          <Route path="sso" element={<SsoPage />} />
          <Route path="sso/:id" element={<SsoProviderPage />} />
        </Route>
        <Route path="platform/*" element={<PlatformRoutes />} />

        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function AuthoringRoutes() {
  return (
    <RequireAuth area="authoring">
      <Routes>
        <Route index element={<AuthoringListPage />} />
        <Route path="courses/:slug" element={<CourseEditorPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireAuth>
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
