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
]
