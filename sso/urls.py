"""SSO API routes (mounted under /api/)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("sso/providers/", api.ProviderListView.as_view(), name="sso-providers"),
    path("sso/providers/<int:provider_id>/", api.ProviderView.as_view(), name="sso-provider"),
    path("sso/providers/<int:provider_id>/metadata/", api.ProviderMetadataView.as_view(), name="sso-provider-metadata"),
    path("sso/providers/<int:provider_id>/test/", api.ProviderTestView.as_view(), name="sso-provider-test"),
    path("sso/providers/<int:provider_id>/history/", api.ProviderHistoryView.as_view(), name="sso-provider-history"),
    path("sso/settings/", api.SettingsView.as_view(), name="sso-settings"),
    path("sso/domains/", api.DomainListView.as_view(), name="sso-domains"),
    path("sso/domains/<int:domain_id>/", api.DomainView.as_view(), name="sso-domain"),
    path("sso/domains/<int:domain_id>/verify/", api.DomainVerifyView.as_view(), name="sso-domain-verify"),
    path("auth/sso/options/", api.LoginOptionsView.as_view(), name="auth-sso-options"),
    path("auth/sso/discover/", api.DiscoverView.as_view(), name="auth-sso-discover"),
    path("auth/sso/invitations/<str:token>/", api.InvitationSSOView.as_view(), name="auth-sso-invitation"),
]
