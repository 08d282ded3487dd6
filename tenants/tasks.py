"""Provisioning tasks (queue `provisioning`)."""

from __future__ import annotations

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
