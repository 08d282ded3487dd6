"""Branding: the public document and the update action."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from lib.errors import DomainError

from .models import Branding, Tenant
from .validators import validate_color, validate_image

DEFAULT_PRIMARY = "#1F2937"
DEFAULT_ACCENT = "#DB2777"


def branding_document(tenant: Tenant, branding: Branding | None) -> dict[str, Any]:
    return {
        "display_name": branding.display_name if branding else tenant.name,
        "logo_url": branding.logo.url if branding and branding.logo else None,
        "favicon_url": branding.favicon.url if branding and branding.favicon else None,
        "primary_color": branding.primary_color if branding else DEFAULT_PRIMARY,
        "accent_color": branding.accent_color if branding else DEFAULT_ACCENT,
        "support_email": (branding.support_email or None) if branding else None,
        "metrika_id": (branding.metrika_id or None) if branding else None,
        "tenant": {"slug": tenant.slug, "kind": tenant.kind, "name": tenant.name},
    }


@transaction.atomic
def update_branding(
    tenant: Tenant,
    *,
    actor: Any,
    request: HttpRequest | None = None,
    fields: dict[str, Any],
    logo: UploadedFile | None = None,
    favicon: UploadedFile | None = None,
) -> Branding:
    from accounts.services import audit

    branding, _ = Branding.objects.select_for_update().get_or_create(
        tenant=tenant, defaults={"display_name": tenant.name}
    )
    changed: list[str] = []
    if "display_name" in fields:
        name = str(fields["display_name"]).strip()
        if not name or len(name) > 200:
            raise DomainError(
                "Display name is required (up to 200 characters).",
                code="invalid_display_name",
                fields={"display_name": ["Invalid display name."]},
            )
        branding.display_name = name
        changed.append("display_name")
    for field in ("primary_color", "accent_color"):
        if field in fields:
            setattr(branding, field, validate_color(str(fields[field]), field))
            changed.append(field)
    if "support_email" in fields:
        branding.support_email = str(fields["support_email"] or "")
        changed.append("support_email")
    if "metrika_id" in fields:
        metrika = str(fields["metrika_id"] or "").strip()
        if metrika and (not metrika.isdigit() or len(metrika) > 12):
            raise DomainError(
                "A Yandex.Metrika counter id is a number.",
                code="invalid_metrika_id",
                fields={"metrika_id": ["Digits only."]},
            )
        branding.metrika_id = metrika
        changed.append("metrika_id")
    if logo is not None:
        ext = validate_image(logo, "logo", {"PNG", "JPEG", "WEBP", "GIF"})
        branding.logo.save(f"{tenant.slug}/branding/logo-{uuid.uuid4().hex[:12]}.{ext}", logo, save=False)
        changed.append("logo")
    if favicon is not None:
        ext = validate_image(favicon, "favicon", {"PNG", "ICO"})
        branding.favicon.save(f"{tenant.slug}/branding/favicon-{uuid.uuid4().hex[:12]}.{ext}", favicon, save=False)
        changed.append("favicon")
    branding.save()
    audit.record("tenant.branding_updated", actor=actor, target=tenant.slug, request=request, fields=changed)
    return branding
