"""Onboarding a corporate tenant.

`create_tenant` records the tenant (status `provisioning`) and queues `provision` on the
`provisioning` Celery queue. `provision` runs named steps, each atomic and idempotent, so a crash
or a failure anywhere can be resumed by running it again (`retry`):

1. `schema`     clone the migrated template schema (one SQL statement: all or nothing);
2. `verify`     the clone carries the template's migration history (so no migrations run);
3. `admin`      create the first tenant admin and e-mail the invitation (once);
4. `activate`   status `active`: the host starts answering.

Why clone: running every migration for each new tenant grows with the codebase; cloning a schema
that was migrated once stays flat (see docs/performance.md for the measurement).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from lib.db import tenant_connection
from lib.errors import Conflict, DomainError

from ..hosts import subdomain_host
from ..metrics import PROVISIONING_DURATION, PROVISIONING_FAILURES
from ..models import Branding, Domain, ProvisioningState, Tenant, TenantKind, TenantStatus
from ..validators import validate_slug
from .schema_clone import clone_schema

logger = logging.getLogger("ffs.tenants.provisioning")

TEMPLATE_SCHEMA = "tenant_template"
MAX_SEATS = 1_000_000


def schema_for_slug(slug: str) -> str:
    return slug.replace("-", "_")


def validate_seats(seats: Any) -> int:
    if isinstance(seats, bool) or not isinstance(seats, int) or not 0 <= seats <= MAX_SEATS:
        raise DomainError(
            f"Seats must be a whole number from 0 to {MAX_SEATS}.",
            code="invalid_seats",
            fields={"seats": ["Invalid number of seats."]},
        )
    return seats


@transaction.atomic
def create_tenant(
    *,
    slug: str,
    name: str,
    admin_email: str,
    seats: int,
    actor: Any = None,
    request: HttpRequest | None = None,
    enqueue: bool = True,
) -> Tenant:
    from accounts.services import audit

    slug = validate_slug(slug)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(
            "Name is required (up to 200 characters).", code="invalid_name", fields={"name": ["Required."]}
        )
    validate_seats(seats)
    schema = schema_for_slug(slug)
    if schema == TEMPLATE_SCHEMA:
        raise DomainError("This address is reserved.", code="reserved_slug", fields={"slug": ["Reserved."]})
    if Tenant.objects.filter(slug=slug).exists() or Tenant.objects.filter(schema_name=schema).exists():
        raise Conflict("A tenant with this address already exists.", code="slug_taken", fields={"slug": ["Taken."]})
    host = subdomain_host(slug)
    if Domain.objects.filter(domain=host).exists():
        raise Conflict("This address is already in use.", code="slug_taken", fields={"slug": ["Taken."]})
    if schema_exists(schema):
        # A schema without a tenant row is debris from outside this code path: never adopt it.
        raise Conflict(
            "A database schema with this name already exists.", code="schema_exists", fields={"slug": ["Taken."]}
        )
    tenant = Tenant.objects.create(
        slug=slug,
        schema_name=schema,
        name=name,
        kind=TenantKind.CORPORATE,
        status=TenantStatus.PROVISIONING,
        seat_limit=seats,
        admin_email=admin_email.strip().lower(),
        provisioning_state=ProvisioningState.PENDING,
    )
    Domain.objects.create(domain=host, tenant=tenant, is_primary=True, verified=True, verified_at=timezone.now())
    Branding.objects.create(tenant=tenant, display_name=name)
    audit.record(
        "tenant.created", actor=actor, target=slug, request=request, seats=seats, admin_email=tenant.admin_email
    )
    if enqueue:
        _enqueue(tenant.pk)
    return tenant


def _enqueue(tenant_id: int) -> None:
    from ..tasks import provision_tenant

    transaction.on_commit(lambda: provision_tenant.apply_async(args=(tenant_id,), queue="provisioning"))


@transaction.atomic
def retry(tenant: Tenant, *, actor: Any = None, request: HttpRequest | None = None) -> Tenant:
    from accounts.services import audit

    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status != TenantStatus.PROVISIONING or tenant.provisioning_state == ProvisioningState.DONE:
        raise Conflict("This tenant is not waiting for provisioning.", code="not_provisioning")
    if tenant.provisioning_state == ProvisioningState.RUNNING:
        raise Conflict("Provisioning is running.", code="provisioning_running")
    Tenant.objects.filter(pk=tenant.pk).update(provisioning_state=ProvisioningState.PENDING, provisioning_error="")
    audit.record("tenant.provisioning_retried", actor=actor, target=tenant.slug, request=request)
    _enqueue(tenant.pk)
    tenant.refresh_from_db()
    return tenant


def _progress(tenant_id: int, step: str, progress: int, **extra: Any) -> None:
    Tenant.objects.filter(pk=tenant_id).update(provisioning_step=step, provisioning_progress=progress, **extra)


def _fail_point(step: str) -> None:
    if step == settings.TENANT_PROVISIONING_FAIL_AT:
        raise RuntimeError(f"injected failure at step {step!r}")


def ensure_template_schema(verbosity: int = 0) -> None:
    """Create and migrate the template schema every tenant is cloned from."""
    from django.core.management import call_command

    if not schema_exists(TEMPLATE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
    call_command("migrate_schemas", schema_name=TEMPLATE_SCHEMA, tenant=True, interactive=False, verbosity=verbosity)
    tenant_connection().set_schema_to_public()


def _migration_count(schema: str) -> int:
    with connection.cursor() as cursor:
        # schema names come from validated slugs or the constant template name
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _step_schema(tenant: Tenant) -> None:
    if schema_exists(tenant.schema_name):
        return  # resumed after this step had committed
    if not schema_exists(TEMPLATE_SCHEMA):
        ensure_template_schema()
    _fail_point("schema")
    clone_schema(TEMPLATE_SCHEMA, tenant.schema_name)


def _step_verify(tenant: Tenant) -> None:
    _fail_point("verify")
    expected = _migration_count(TEMPLATE_SCHEMA)
    actual = _migration_count(tenant.schema_name)
    if actual != expected:
        raise RuntimeError(f"schema {tenant.schema_name} has {actual} migrations recorded, template has {expected}")


def _step_admin(tenant: Tenant) -> None:
    from accounts.models import Invitation, User
    from accounts.services.users import invite_user

    if not tenant.admin_email:
        return
    with schema_context(tenant.schema_name):
        tenant_connection().set_tenant(tenant)
        with transaction.atomic():
            user = User.objects.filter(email=tenant.admin_email).first()
            if user is not None and (user.is_active or Invitation.objects.filter(user=user).exists()):
                return  # invitation already sent by an earlier run
            _fail_point("admin")
            invite_user(email=tenant.admin_email, role="tenant_admin")


def _step_activate(tenant: Tenant) -> None:
    _fail_point("activate")
    tenant.status = TenantStatus.ACTIVE
    tenant.provisioning_state = ProvisioningState.DONE
    tenant.provisioning_step = "done"
    tenant.provisioning_progress = 100
    tenant.provisioning_error = ""
    tenant.provisioning_finished_at = timezone.now()
    tenant.save()


STEPS: list[tuple[str, int, Callable[[Tenant], None]]] = [
    ("schema", 10, _step_schema),
    ("verify", 60, _step_verify),
    ("admin", 75, _step_admin),
    ("activate", 95, _step_activate),
]
for _name, _progress_at, _step in STEPS:  # a zero series per step, so rate() sees the first failure
    PROVISIONING_FAILURES.labels(_name)


def provision(tenant_id: int) -> Tenant | None:
    """Run (or resume) provisioning. Safe to call concurrently: one runner per tenant at a time."""
    from accounts.services import audit

    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [0x7E4A, tenant_id])
        (locked,) = cursor.fetchone() or (False,)
    if not locked:
        logger.info("tenant %s is being provisioned by another worker", tenant_id)
        return None
    try:
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if tenant is None or tenant.status != TenantStatus.PROVISIONING:
            return tenant
        started = time.monotonic()
        _progress(
            tenant_id,
            "starting",
            0,
            provisioning_state=ProvisioningState.RUNNING,
            provisioning_error="",
            provisioning_started_at=timezone.now(),
        )
        for name, progress, step in STEPS:
            _progress(tenant_id, name, progress)
            try:
                step(tenant)
            except Exception as exc:
                tenant_connection().set_schema_to_public()
                logger.exception("provisioning of %s failed at step %s", tenant.slug, name)
                _progress(
                    tenant_id,
                    name,
                    progress,
                    provisioning_state=ProvisioningState.FAILED,
                    provisioning_error=f"{name}: {type(exc).__name__}: {exc}"[:2000],
                )
                audit.record("tenant.provisioning_failed", target=tenant.slug, step=name, error=str(exc)[:500])
                PROVISIONING_FAILURES.labels(name).inc()
                PROVISIONING_DURATION.labels("failed").observe(time.monotonic() - started)
                return Tenant.objects.get(pk=tenant_id)
            finally:
                tenant_connection().set_schema_to_public()
        seconds = time.monotonic() - started
        audit.record("tenant.provisioned", target=tenant.slug, seconds=round(seconds, 3))
        PROVISIONING_DURATION.labels("done").observe(seconds)
        return Tenant.objects.get(pk=tenant_id)
    finally:
        tenant_connection().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [0x7E4A, tenant_id])


@transaction.atomic
def discard(tenant: Tenant, *, actor: Any = None, request: HttpRequest | None = None) -> None:
    """Abandon a tenant whose provisioning failed: drop its schema and rows, free the slug.

    Only a tenant that never went live can be discarded; live tenants are archived instead (their
    data is kept)."""
    from accounts.services import audit

    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status != TenantStatus.PROVISIONING or tenant.provisioning_state not in {
        ProvisioningState.FAILED,
        ProvisioningState.PENDING,
    }:
        raise Conflict(
            "Only a tenant whose provisioning failed can be discarded; archive live tenants.", code="not_discardable"
        )
    if schema_exists(tenant.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{tenant.schema_name}" CASCADE')
    slug = tenant.slug
    hosts = list(tenant.domains.values_list("domain", flat=True))
    tenant.delete(force_drop=False)
    audit.record("tenant.discarded", actor=actor, target=slug, request=request, hosts=hosts)
