"""Corporate Celery tasks. Tenant-aware: each runs in the schema that queued it; the beat entry
points run on the public schema and fan out one task per active corporate tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone


class DeliveryIncomplete(Exception):
    """Some messages could not be sent: the task is retried with back-off (sent ones stay sent)."""


def _moment(now: str | None) -> datetime:
    return datetime.fromisoformat(now) if now else timezone.now()


def _fan_out(task: Any, **kwargs: Any) -> int:
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant

    count = 0
    for tenant in Tenant.objects.filter(kind="corporate", status="active"):
        with tenant_context(tenant):
            task.apply_async(kwargs=kwargs)
        count += 1
    return count


@shared_task
def schedule_all_tenants(now: str | None = None) -> int:
    """Beat, hourly: reminders, overdue notices, escalations and digests for every tenant."""
    return _fan_out(schedule_tenant, now=now)


@shared_task
def nightly_all_tenants(now: str | None = None) -> int:
    """Beat, nightly: re-apply auto-assignment rules and open re-certification cycles."""
    return _fan_out(nightly_tenant, now=now)


@shared_task(acks_late=True)
def schedule_tenant(now: str | None = None) -> dict[str, int]:
    from .services.notifications import schedule

    return schedule(_moment(now))


@shared_task(acks_late=True)
def nightly_tenant(now: str | None = None) -> dict[str, int]:
    from .services.assignments import start_recertification_cycles
    from .services.rules import apply_rules

    moment = _moment(now)
    return {"assigned": apply_rules(now=moment), "recertifications": start_recertification_cycles(moment)}


@shared_task(bind=True, acks_late=True, autoretry_for=(DeliveryIncomplete,), retry_backoff=30, max_retries=8)
def deliver_notifications(self: Any) -> int:
    from .services.notifications import deliver_pending

    result = deliver_pending()
    if result.failed:
        raise DeliveryIncomplete(f"{result.failed} message(s) not sent yet")
    return result.sent


@shared_task(acks_late=True)
def run_import(job_id: int) -> str:
    from .services.imports import run

    return run(job_id).status
