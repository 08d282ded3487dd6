"""OpenAPI shapes of the SSO API (documentation only: the views build plain dicts from services).

Kept beside the views so a field added to `config.PUBLIC_FIELDS` has an obvious second place to
go; `tests/test_sso_config.py` checks that every key a provider document carries is described here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers as s

_MAPPING = s.DictField(child=s.CharField(), help_text="LMS field → IdP attribute or claim name")
_GROUPS = s.ListField(child=s.DictField(), help_text='[{"idp_group": "designers", "group_id": 3}]')
_DOMAINS = s.ListField(child=s.CharField(), help_text="e-mail domains this IdP may vouch for")

PROVIDER_FIELDS: dict[str, Any] = {
    "id": s.IntegerField(),
    "slug": s.SlugField(),
    "name": s.CharField(help_text='shown as "Sign in with <name>"'),
    "protocol": s.ChoiceField(choices=["saml", "oidc"]),
    "enabled": s.BooleanField(),
    "preset": s.CharField(),
    "metadata_url": s.CharField(allow_blank=True),
    "idp_entity_id": s.CharField(allow_blank=True),
    "idp_sso_url": s.CharField(allow_blank=True),
    "idp_slo_url": s.CharField(allow_blank=True),
    "allow_idp_initiated": s.BooleanField(),
    "oidc_discovery_url": s.CharField(allow_blank=True),
    "oidc_issuer": s.CharField(allow_blank=True),
    "oidc_client_id": s.CharField(allow_blank=True),
    "oidc_scopes": s.CharField(),
    "attribute_mapping": _MAPPING,
    "group_mapping": _GROUPS,
    "jit_enabled": s.BooleanField(),
    "default_role": s.ChoiceField(choices=["learner", "hr_manager"]),
    "allowed_domains": _DOMAINS,
    "trust_email_for_linking": s.BooleanField(),
    "has_client_secret": s.BooleanField(),
    "certificates": s.IntegerField(help_text="number of IdP signing certificates"),
    "certificate_expires_at": s.DateTimeField(allow_null=True),
    "configured": s.BooleanField(help_text="metadata or discovery imported"),
    "created_at": s.DateTimeField(),
    "updated_at": s.DateTimeField(),
}

PROVIDER = inline_serializer("IdentityProvider", fields=dict(PROVIDER_FIELDS))  # (it consumes the dict)
PROVIDER_LIST = inline_serializer(
    "IdentityProviderList",
    fields={"results": s.ListField(child=s.DictField()), "presets": s.ListField(child=s.CharField())},
)
PROVIDER_WRITE = inline_serializer(
    "IdentityProviderWrite",
    fields={
        "protocol": s.ChoiceField(choices=["saml", "oidc"], required=False, help_text="create only"),
        "slug": s.SlugField(required=False, help_text="create only"),
        "name": s.CharField(required=False),
        "preset": s.CharField(required=False),
        "enabled": s.BooleanField(required=False),
        "metadata_xml": s.CharField(required=False, help_text="SAML metadata document"),
        "metadata_url": s.CharField(required=False),
        "allow_idp_initiated": s.BooleanField(required=False),
        "oidc_discovery_url": s.CharField(required=False),
        "oidc_client_id": s.CharField(required=False),
        "oidc_client_secret": s.CharField(required=False, help_text="write-only; stored encrypted"),
        "oidc_scopes": s.CharField(required=False),
        "attribute_mapping": s.DictField(child=s.CharField(), required=False),
        "group_mapping": s.ListField(child=s.DictField(), required=False),
        "jit_enabled": s.BooleanField(required=False),
        "default_role": s.ChoiceField(choices=["learner", "hr_manager"], required=False),
        "allowed_domains": s.ListField(child=s.CharField(), required=False),
        "trust_email_for_linking": s.BooleanField(required=False),
    },
)
LOGIN_OPTIONS = inline_serializer(
    "SSOLoginOptions",
    fields={
        "providers": s.ListField(child=s.DictField(), help_text="[{name, protocol, login_url}]"),
        "sso_required": s.BooleanField(),
    },
)
DISCOVER_REQUEST = inline_serializer("SSODiscoverRequest", fields={"email": s.EmailField()})
DISCOVER = inline_serializer("SSODiscover", fields={"redirect": s.CharField(allow_null=True)})
