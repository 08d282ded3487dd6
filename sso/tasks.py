"""SSO Celery tasks: the daily certificate-expiry check, fanned out per corporate tenant."""

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

    return notify_certificate_expiry()
