"""Public URLs of tenants (used in e-mails and in the platform API)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def subdomain_host(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def url_for_host(host: str) -> str:
    port = settings.PUBLIC_PORT
    default_port = {"http": "80", "https": "443"}.get(settings.PUBLIC_URL_SCHEME)
    suffix = f":{port}" if port and port != default_port else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{host}{suffix}"


def base_url_for(tenant: Any) -> str:
    """Primary URL of a tenant: its primary verified domain, else its generated subdomain."""
    if tenant is None or getattr(tenant, "kind", "public") == "public":
        return url_for_host(settings.BASE_DOMAIN)
    from .models import Domain

    domain = (
        Domain.objects.filter(tenant_id=tenant.pk, verified=True)
        .order_by("-is_primary", "id")
        .values_list("domain", flat=True)
        .first()
    )
    return url_for_host(domain or subdomain_host(tenant.slug))
