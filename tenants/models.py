"""Tenant, Domain and Branding rows, all in the public schema (the control plane)."""

from __future__ import annotations

import secrets

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class TenantKind(models.TextChoices):
    PUBLIC = "public", "Public storefront"
    CORPORATE = "corporate", "Corporate"


class TenantStatus(models.TextChoices):
    PROVISIONING = "provisioning", "Provisioning"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    ARCHIVED = "archived", "Archived"


class ProvisioningState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    FAILED = "failed", "Failed"
    DONE = "done", "Done"


class Tenant(TenantMixin):
    # Provisioning creates the schema itself (clone from the template) in a Celery task, never
    # as a side effect of save(): a request must not block on DDL.
    auto_create_schema = False
    auto_drop_schema = False

    slug = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=TenantKind.choices, default=TenantKind.CORPORATE)
    status = models.CharField(max_length=16, choices=TenantStatus.choices, default=TenantStatus.PROVISIONING)
    seat_limit = models.PositiveIntegerField(default=0)
    admin_email = models.EmailField(blank=True)
    provisioning_state = models.CharField(
        max_length=16, choices=ProvisioningState.choices, default=ProvisioningState.PENDING
    )
    provisioning_step = models.CharField(max_length=64, blank=True)
    provisioning_progress = models.PositiveSmallIntegerField(default=0)
    provisioning_error = models.TextField(blank=True)
    provisioning_started_at = models.DateTimeField(null=True, blank=True)
    provisioning_finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["public", "corporate"]), name="tenant_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=["provisioning", "active", "suspended", "archived"]),
                name="tenant_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_public(self) -> bool:
        return self.kind == TenantKind.PUBLIC


def _verification_token() -> str:
    return secrets.token_urlsafe(24)


class Domain(DomainMixin):
    """A host that serves a tenant. Generated subdomains are verified at creation; custom domains
    are verified by a DNS TXT record holding `verification_token` and serve only once verified."""

    verified = models.BooleanField(default=False)
    verification_token = models.CharField(max_length=64, default=_verification_token)
    verified_at = models.DateTimeField(null=True, blank=True)
    is_custom = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def txt_record_name(self) -> str:
        return f"_ffs-verification.{self.domain}"

    @property
    def txt_record_value(self) -> str:
        return f"ffs-verification={self.verification_token}"


class Branding(models.Model):
    """Per-tenant look: kept in public beside the tenant so host resolution and the public
    `/api/branding/` answer come from one cached row."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="branding")
    display_name = models.CharField(max_length=200)
    logo = models.ImageField(upload_to="tenants/", max_length=300, blank=True)
    favicon = models.ImageField(upload_to="tenants/", max_length=300, blank=True)
    primary_color = models.CharField(max_length=7, default="#1F2937")
    accent_color = models.CharField(max_length=7, default="#DB2777")
    support_email = models.EmailField(blank=True)
    metrika_id = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"branding:{self.tenant_id}"


class LoginDomain(models.Model):
    """An e-mail domain a corporate tenant proved it owns (DNS TXT), used by home-realm discovery:
    the base domain's login page sends `someone@<domain>` to that tenant's identity provider.
    Public schema, so discovery needs no tenant; one domain belongs to at most one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="login_domains")
    domain = models.CharField(max_length=253, unique=True)
    verification_token = models.CharField(max_length=64, default=_verification_token)
    verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def txt_record_name(self) -> str:
        return f"_ffs-sso.{self.domain}"

    @property
    def txt_record_value(self) -> str:
        return f"ffs-sso-verification={self.verification_token}"
