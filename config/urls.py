"""One URL configuration for every host; views declare which tenant kinds they exist on."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts.api import views as accounts_views
from lib.spa import api_not_found, spa_index
from lms.catalog import api as catalog_api
from lms.learning import api as learning_api
from lms.learning import views as learning_views
from sso import views as sso_views
from tenants import views as tenants_plain_views
from tenants.api import views as tenants_views

router = SimpleRouter(trailing_slash=True)
router.register("platform/tenants", tenants_views.PlatformTenantViewSet, basename="platform-tenant")
router.register("audit", accounts_views.AuditViewSet, basename="audit")

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", accounts_views.TokenView.as_view(), name="auth-token"),
    path("auth/refresh/", accounts_views.RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout/", accounts_views.LogoutView.as_view(), name="auth-logout"),
    path("auth/invitations/", accounts_views.InvitationCreateView.as_view(), name="auth-invitation-create"),
    path("auth/invitations/<str:token>/", accounts_views.InvitationDetailView.as_view(), name="auth-invitation"),
    path(
        "auth/invitations/<str:token>/accept/",
        accounts_views.InvitationAcceptView.as_view(),
        name="auth-invitation-accept",
    ),
    path("auth/password-reset/", accounts_views.PasswordResetRequestView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("me/", accounts_views.MeView.as_view(), name="me"),
    path("branding/", tenants_plain_views.branding, name="branding"),
    path("tenant/branding/", tenants_views.TenantBrandingView.as_view(), name="tenant-branding"),
    # catalogue (every host) and learning
    path("catalog/courses/", catalog_api.CatalogCourseListView.as_view(), name="catalog-courses"),
    path("catalog/categories/", catalog_api.CategoryListView.as_view(), name="catalog-categories"),
    path("catalog/courses/<slug:slug>/", catalog_api.CatalogCourseDetailView.as_view(), name="catalog-course"),
    path("catalog/courses/<slug:slug>/enrol/", learning_api.EnrolView.as_view(), name="catalog-enrol"),
    path("learning/my/", learning_api.MyLearningView.as_view(), name="learning-my"),
    path("learning/courses/<slug:slug>/", learning_api.LearnerCourseView.as_view(), name="learning-course"),
    path("learning/lessons/<int:lesson_id>/", learning_api.LessonView.as_view(), name="learning-lesson"),
    path("learning/lessons/<int:lesson_id>/progress/", learning_views.progress_heartbeat, name="learning-progress"),
    path(
        "learning/lessons/<int:lesson_id>/attempts/", learning_api.AttemptStartView.as_view(), name="learning-attempts"
    ),
    path(
        "learning/attempts/<int:attempt_id>/submit/", learning_api.AttemptSubmitView.as_view(), name="learning-submit"
    ),
    path("learning/certificates/", learning_api.CertificateListView.as_view(), name="learning-certificates"),
    path(
        "learning/certificates/<str:code>/pdf/",
        learning_api.CertificatePdfView.as_view(),
        name="learning-certificate-pdf",
    ),
    path(
        "learning/certificates/<str:code>/revoke/",
        learning_api.CertificateRevokeView.as_view(),
        name="learning-certificate-revoke",
    ),
    path("verify/<str:code>/", learning_api.VerifyView.as_view(), name="verify"),
    # authoring and licences (storefront host)
    path("authoring/courses/", catalog_api.AuthoringCourseListView.as_view(), name="authoring-courses"),
    path("authoring/courses/<slug:slug>/", catalog_api.AuthoringCourseDetailView.as_view(), name="authoring-course"),
    path("authoring/courses/<slug:slug>/cover/", catalog_api.AuthoringCoverView.as_view(), name="authoring-cover"),
    path(
        "authoring/courses/<slug:slug>/publish/",
        catalog_api.AuthoringStatusView.as_view(transition="publish"),
        name="authoring-publish",
    ),
    path(
        "authoring/courses/<slug:slug>/unpublish/",
        catalog_api.AuthoringStatusView.as_view(transition="unpublish"),
        name="authoring-unpublish",
    ),
    path(
        "authoring/courses/<slug:slug>/archive/",
        catalog_api.AuthoringStatusView.as_view(transition="archive"),
        name="authoring-archive",
    ),
    path(
        "authoring/courses/<slug:slug>/reorder/", catalog_api.AuthoringReorderView.as_view(), name="authoring-reorder"
    ),
    path(
        "authoring/courses/<slug:slug>/modules/",
        catalog_api.AuthoringModuleCreateView.as_view(),
        name="authoring-modules",
    ),
    path("authoring/modules/<int:module_id>/", catalog_api.AuthoringModuleView.as_view(), name="authoring-module"),
    path(
        "authoring/modules/<int:module_id>/lessons/",
        catalog_api.AuthoringLessonCreateView.as_view(),
        name="authoring-lessons",
    ),
    path("authoring/lessons/<int:lesson_id>/", catalog_api.AuthoringLessonView.as_view(), name="authoring-lesson"),
    path("authoring/uploads/", catalog_api.UploadStartView.as_view(), name="authoring-uploads"),
    path("authoring/uploads/<str:asset_id>/", catalog_api.UploadView.as_view(), name="authoring-upload"),
    path(
        "authoring/uploads/<str:asset_id>/parts/<int:part_number>/",
        catalog_api.UploadPartDoneView.as_view(),
        name="authoring-upload-part-done",
    ),
    path(
        "authoring/uploads/<str:asset_id>/parts/", catalog_api.UploadPartsView.as_view(), name="authoring-upload-parts"
    ),
    path(
        "authoring/uploads/<str:asset_id>/complete/",
        catalog_api.UploadCompleteView.as_view(),
        name="authoring-upload-complete",
    ),
    path("platform/tenants/<slug:slug>/licenses/", catalog_api.LicenseListView.as_view(), name="platform-licenses"),
    path(
        "platform/tenants/<slug:slug>/licenses/<int:license_id>/",
        catalog_api.LicenseView.as_view(),
        name="platform-license",
    ),
    path("", include("lms.corporate.urls")),
    path("", include("sso.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file (the CSP allows no inline
    # script); its template styles by the request's nonce
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="docs",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("sso/saml/metadata/", sso_views.saml_metadata, name="sso-saml-metadata"),
    path("sso/saml/acs/", sso_views.saml_acs, name="sso-saml-acs"),
    path("sso/saml/<slug:slug>/login/", sso_views.saml_login, name="sso-saml-login"),
    path("sso/saml/<slug:slug>/logout/", sso_views.saml_logout, name="sso-saml-logout"),
    path("sso/saml/sls/", sso_views.saml_sls, name="sso-saml-sls"),
    path("sso/oidc/callback/", sso_views.oidc_callback, name="sso-oidc-callback"),
    path("sso/oidc/<slug:slug>/login/", sso_views.oidc_login, name="sso-oidc-login"),
    re_path(r"^api/", api_not_found, name="api-not-found"),
]
if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"))
urlpatterns.append(re_path(r"^(?!static/|media/).*$", spa_index, name="spa"))
