"""Rename, seats, suspend/resume/archive. Suspension keeps every row; the host answers 403."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from lib.errors import Conflict, DomainError

from ..models import Branding, Tenant, TenantKind, TenantStatus
from .provisioning import validate_seats

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    TenantStatus.ACTIVE: {TenantStatus.SUSPENDED, TenantStatus.ARCHIVED},
    TenantStatus.SUSPENDED: {TenantStatus.ACTIVE, TenantStatus.ARCHIVED},
    TenantStatus.ARCHIVED: {TenantStatus.ACTIVE},
    TenantStatus.PROVISIONING: set(),
}


@transaction.atomic
def update_tenant(
    tenant: Tenant,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    name: str | None = None,
    seats: int | None = None,
    status: str | None = None,
) -> Tenant:
    from accounts.services import audit

    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    changes: dict[str, Any] = {}
    if name is not None:
        name = name.strip()
        if not name or len(name) > 200:
            raise DomainError(
                "Name is required (up to 200 characters).", code="invalid_name", fields={"name": ["Required."]}
            )
        if name != tenant.name:
            changes["name"] = [tenant.name, name]
            tenant.name = name
            Branding.objects.filter(tenant=tenant, display_name=changes["name"][0]).update(display_name=name)
    if seats is not None:
        validate_seats(seats)
        if seats != tenant.seat_limit:
            changes["seats"] = [tenant.seat_limit, seats]
            tenant.seat_limit = seats
    if status is not None and status != tenant.status:
        if tenant.kind == TenantKind.PUBLIC:
            raise Conflict("The public storefront cannot change status.", code="public_tenant")
        if status not in ALLOWED_TRANSITIONS.get(tenant.status, set()):
            raise Conflict(f"Cannot change status from {tenant.status} to {status}.", code="invalid_transition")
        changes["status"] = [tenant.status, status]
        tenant.status = status
    if changes:
        tenant.save()
        action = "tenant.updated"
        if "status" in changes:
            action = {"suspended": "tenant.suspended", "archived": "tenant.archived", "active": "tenant.resumed"}[
                changes["status"][1]
            ]
        audit.record(action, actor=actor, target=tenant.slug, request=request, changes=changes)
    return tenant
