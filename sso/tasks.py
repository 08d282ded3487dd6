"""SSO Celery tasks: the daily certificate-expiry check (and a sweep of abandoned OIDC flow
nonces), fanned out per corporate tenant."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task
def certificate_expiry_all_tenants() -> int:
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant

    count = 0
    for tenant in Tenant.objects.filter(kind="corporate", status="active"):
        with tenant_context(tenant):
            certificate_expiry_tenant.apply_async()
        count += 1
    return count


@shared_task(acks_late=True)
def certificate_expiry_tenant(**_: Any) -> int:
    from .services.config import notify_certificate_expiry

    forget_abandoned_oidc_flows()
    return notify_certificate_expiry()


def forget_abandoned_oidc_flows(max_age_seconds: int = 86_400) -> int:
    """social-core writes a state nonce and an ID-token nonce per OIDC login start and deletes them
    when the callback uses them; logins abandoned at the IdP leave them behind. A daily sweep in
    each tenant schema keeps the tables small."""
    import time

    from social_django.models import Association, Nonce

    cutoff = int(time.time()) - max_age_seconds
    nonces, _ = Nonce.objects.filter(timestamp__lt=cutoff).delete()
    return nonces + int(Association.cleanup_expired() or 0)
