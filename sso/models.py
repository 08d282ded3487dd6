"""Identity providers of one company (tenant schema only).

One mutable row per IdP plus an append-only change history; secrets (the SP private key, OIDC
client secrets) are stored encrypted (sso/crypto.py) and never leave through the API.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Protocol(models.TextChoices):
    SAML = "saml", "SAML 2.0"
    OIDC = "oidc", "OpenID Connect"


class IdentityProvider(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, help_text='shown as "Sign in with <name>"')
    protocol = models.CharField(max_length=8, choices=Protocol.choices)
    enabled = models.BooleanField(default=False)
    preset = models.CharField(max_length=16, default="custom")
    # SAML: the IdP's side, from its metadata
    metadata_url = models.URLField(max_length=500, blank=True)
    metadata_xml = models.TextField(blank=True)
    idp_entity_id = models.CharField(max_length=500, blank=True)
    idp_sso_url = models.URLField(max_length=500, blank=True)
    idp_slo_url = models.URLField(max_length=500, blank=True)
    idp_certificates = models.JSONField(default=list, blank=True)
    allow_idp_initiated = models.BooleanField(default=False)
    # OIDC
    oidc_discovery_url = models.URLField(max_length=500, blank=True)
    oidc_issuer = models.CharField(max_length=500, blank=True)
    oidc_client_id = models.CharField(max_length=200, blank=True)
    oidc_client_secret_encrypted = models.TextField(blank=True)
    oidc_scopes = models.CharField(max_length=200, default="openid email profile")
    # what to do with the people it vouches for
    attribute_mapping = models.JSONField(default=dict, blank=True)
    group_mapping = models.JSONField(default=list, blank=True)
    jit_enabled = models.BooleanField(default=True)
    # e-mail domains this IdP may vouch for (empty: the company's verified e-mail domains); what
    # keeps a shared IdP (Google, multi-tenant Entra ID) from signing in anyone in the world
    allowed_domains = models.JSONField(default=list, blank=True)
    # link an IdP identity to an existing account by e-mail without the IdP saying it verified the
    # address (SAML sends no such claim); off by default: an IdP that lets people set their own
    # address would otherwise hand over accounts (Entra's "nOAuth")
    trust_email_for_linking = models.BooleanField(default=False)
    default_role = models.CharField(max_length=32, default="learner")
    certificate_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # OR, not IN: PostgreSQL deparses `varchar IN (...)` differently once re-created, and the
            # template clone (tenants/services/schema_clone.py) must reproduce definitions exactly
            models.CheckConstraint(
                condition=models.Q(protocol="saml") | models.Q(protocol="oidc"), name="idp_protocol_valid"
            ),
            models.UniqueConstraint(
                fields=["idp_entity_id"], condition=~models.Q(idp_entity_id=""), name="idp_entity_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class IdentityProviderChange(models.Model):
    """Append-only history of configuration changes (what changed, who, when; never secrets)."""

    provider = models.ForeignKey(
        IdentityProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    provider_slug = models.CharField(max_length=40)
    action = models.CharField(max_length=32)
    actor_email = models.CharField(max_length=254, blank=True)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class SSOSettings(models.Model):
    """One row per schema (pk=1): the company's service-provider identity and its login policy."""

    sp_certificate = models.TextField(blank=True)
    sp_private_key_encrypted = models.TextField(blank=True)
    sp_certificate_expires_at = models.DateTimeField(null=True, blank=True)
    sso_required = models.BooleanField(default=False)
    fallback_admin = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
