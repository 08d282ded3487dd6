"""Provisioning tasks (queue `provisioning`)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def provision_tenant(tenant_id: int) -> str | None:
    from .services.provisioning import provision

    tenant = provision(tenant_id)
    return None if tenant is None else f"{tenant.slug}:{tenant.status}:{tenant.provisioning_state}"
