"""One URL configuration for every host; views declare which tenant kinds they exist on."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from accounts.api import views as accounts_views
from lib.spa import api_not_found, spa_index
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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    re_path(r"^api/", api_not_found, name="api-not-found"),
]
if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"))
urlpatterns.append(re_path(r"^(?!static/|media/).*$", spa_index, name="spa"))
