"""Provisioning tasks (queue `provisioning`) and the nightly tenant backups (queue `default`)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(acks_late=True)
def provision_tenant(tenant_id: int) -> str | None:
    from .services.provisioning import provision

    tenant = provision(tenant_id)
    return None if tenant is None else f"{tenant.slug}:{tenant.status}:{tenant.provisioning_state}"


@shared_task
def schema_probe(key: str, email: str) -> str:
    """Diagnostic: record which schema this task ran in and whether `email` is a user there.

    Used by operations to check the worker's tenant routing, and by the test suite to prove that
    a task queued from tenant A runs in schema A."""
    import redis
    from django.conf import settings
    from django.db import connection

    from accounts.models import User

    schema = str(getattr(connection, "schema_name", "?"))
    found = User.objects.filter(email=email).exists()
    client = redis.Redis.from_url(getattr(settings, "TEST_REDIS_URL", settings.REDIS_URL))
    client.set(key, f"{schema}:{int(found)}", ex=120)
    return schema


@shared_task
def backup_all_tenants() -> int:
    """Beat, nightly: queue one backup per active corporate tenant, then drop the schemas that
    in-place restores replaced once their grace period is over (docs/backup.md)."""
    from .backup.schemas import drop_expired
    from .models import Tenant, TenantKind, TenantStatus

    slugs = list(
        Tenant.objects.filter(kind=TenantKind.CORPORATE, status=TenantStatus.ACTIVE).values_list("slug", flat=True)
    )
    for slug in slugs:
        backup_tenant_daily.apply_async(args=(slug,))
    drop_expired()
    return len(slugs)


class _Busy(Exception):
    """The tenant's backup lock is held (a restore or a manual backup): retried later."""


@shared_task(bind=True, acks_late=True, autoretry_for=(_Busy,), retry_backoff=300, max_retries=6)
def backup_tenant_daily(self: Any, slug: str) -> str:
    """One tenant's backup of the day (skipped when that UTC day already has one, so a redelivered
    or repeated task does nothing twice), then retention pruning."""
    from .backup.dump import backup_tenant
    from .backup.errors import BackupBusy
    from .backup.retention import prune

    try:
        result = backup_tenant(slug, once_per_day=True)
    except BackupBusy as exc:
        raise _Busy(str(exc)) from exc
    decided = prune(slug)
    return f"{slug}:{result.backup_id}:{'skipped' if result.skipped else 'done'}:pruned={len(decided.delete)}"
