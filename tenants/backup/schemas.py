"""The schemas a restore creates, the swap that puts one in place, and their housekeeping.

A restore loads into a work schema `<schema>__restore_<stamp>` that nothing routes to. Only when it
is complete and verified does it become the tenant's schema:

- in place (`swap_in_place`): one short transaction locks the tenant row and the live schema's
  tables (waiting at most `BACKUP_SWAP_LOCK_TIMEOUT_MS` for the tenant's open transactions, retried),
  carries every sequence past the highest value the live schema ever issued, renames the live schema
  to `<schema>__replaced_<stamp>` and the work schema to `<schema>`, and saves the tenant row (the
  routing caches are invalidated now and after commit). A query waiting on those locks resolves the
  name again after the commit and reads the restored table; a schema rename also resets every
  session's cached plans. Nothing outside this tenant's schemas and its tenant row is locked.
- as a new tenant (`attach_as_tenant`): one transaction creates the tenant row (through the normal
  `create_tenant`, so slug rules and audit apply) and renames the work schema to the new schema.

Slugs never contain `--`, so schema names never contain `__`: these names cannot clash with a
tenant's. Each such schema carries a JSON comment (`ffs_backup`) saying what it is and since when;
`drop_expired` only ever drops schemas with that mark: replaced ones after
`BACKUP_REPLACED_SCHEMA_GRACE_DAYS`, abandoned work schemas (a killed restore) after a day.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from psycopg import sql

from ..models import Branding, ProvisioningState, Tenant, TenantStatus
from .errors import BackupBusy, RestoreFailed
from .locks import tenant_lock
from .tables import owned_sequences, raw_cursor, sequence_state

logger = logging.getLogger("ffs.tenants.backup")

MARK = "ffs_backup"
WORK = "restoring"
REPLACED = "replaced"
ABANDONED_AFTER = timedelta(days=1)
SWAP_ATTEMPTS = 3


def stamp(now: datetime) -> str:
    return f"{now.astimezone(UTC):%Y%m%d%H%M%S}"


def work_name(schema: str, at: str) -> str:
    return f"{schema}__restore_{at}"


def replaced_name(schema: str, at: str) -> str:
    return f"{schema}__replaced_{at}"


def _mark(cur: psycopg.Cursor[Any], schema: str, role: str | None, **info: Any) -> None:
    text = json.dumps({MARK: role, "at": timezone.now().isoformat(), **info}) if role else None
    cur.execute(
        sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
            sql.Identifier(schema), sql.Literal(text) if text is not None else sql.SQL("NULL")
        )
    )


def mark_work(schema: str, *, tenant: str, backup_id: str) -> None:
    with raw_cursor() as cur:
        _mark(cur, schema, WORK, tenant=tenant, backup=backup_id)


def drop_schema(schema: str) -> None:
    with raw_cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _issued(last_value: int, is_called: bool) -> int:
    """The highest value a sequence has handed out (0 for a fresh one)."""
    return last_value if is_called else last_value - 1


def set_sequences(cur: psycopg.Cursor[Any], schema: str, floors: dict[tuple[str, str], int]) -> None:
    """Move each owned sequence past its column's largest value and past `floors[(table, column)]`
    (the highest value the backup, or the replaced schema, had issued): ids are never reused, so a
    token, link or cache entry naming a row from before the restore cannot point at a new one."""
    for seq in owned_sequences(cur, schema):
        cur.execute(
            sql.SQL("SELECT COALESCE(MAX({}), 0) FROM {}.{}").format(
                sql.Identifier(seq.column), sql.Identifier(schema), sql.Identifier(seq.table)
            )
        )
        row = cur.fetchone()
        highest = max(int(row[0]) if row else 0, floors.get((seq.table, seq.column), 0))
        current, called = sequence_state(cur, schema, seq.name)
        highest = max(highest, _issued(current, called))
        target = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(seq.name)).as_string(cur)
        if highest >= 1:
            cur.execute("SELECT setval(%s::regclass, %s, true)", [target, highest])
        else:
            cur.execute("SELECT setval(%s::regclass, 1, false)", [target])


def _is_lock_timeout(exc: BaseException) -> bool:
    return isinstance(exc, psycopg.errors.LockNotAvailable) or isinstance(
        exc.__cause__, psycopg.errors.LockNotAvailable
    )


def swap_in_place(tenant: Tenant, work: str, at: str, *, backup_id: str) -> str:
    """Put `work` in place of the tenant's live schema; returns the replaced schema's name."""
    live = tenant.schema_name
    replaced = replaced_name(live, at)
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with transaction.atomic(), raw_cursor() as cur:
                cur.execute(
                    "SELECT set_config('lock_timeout', %s, true)", [f"{settings.BACKUP_SWAP_LOCK_TIMEOUT_MS}ms"]
                )
                locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
                if locked.schema_name != live:
                    raise RestoreFailed(f"tenant {tenant.slug} changed schema during the restore")
                cur.execute(
                    "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
                    [live],
                )
                names = [str(name) for (name,) in cur.fetchall()]
                if names:
                    cur.execute(
                        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                            sql.SQL(", ").join(
                                sql.SQL("{}.{}").format(sql.Identifier(live), sql.Identifier(n)) for n in names
                            )
                        )
                    )
                floors = {
                    (seq.table, seq.column): _issued(*sequence_state(cur, live, seq.name))
                    for seq in owned_sequences(cur, live)
                }
                set_sequences(cur, work, floors)
                cur.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(live), sql.Identifier(replaced))
                )
                cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(work), sql.Identifier(live)))
                _mark(cur, replaced, REPLACED, tenant=tenant.slug, backup=backup_id)
                _mark(cur, live, None)
                locked.save(update_fields=["updated_at"])  # routing caches: now and after commit
            return replaced
        except (psycopg.Error, DatabaseError) as exc:
            if not _is_lock_timeout(exc):
                raise
            logger.warning("restore of %s: swap attempt %s timed out waiting for locks", tenant.slug, attempt)
    raise RestoreFailed(
        f"tenant {tenant.slug} stayed busy: the restored schema {work} was not swapped in (try again)",
        code="restore_busy",
    )


def rename_into_place(tenant: Tenant, work: str) -> None:
    """The tenant's schema is gone (dropped by mistake): the restored one takes its name."""
    with transaction.atomic(), raw_cursor() as cur:
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        cur.execute(
            sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(work), sql.Identifier(locked.schema_name))
        )
        _mark(cur, locked.schema_name, None)
        locked.save(update_fields=["updated_at"])


def attach_as_tenant(
    work: str, *, slug: str, name: str, admin_email: str, seats: int, branding: dict[str, Any], activate: bool
) -> Tenant:
    """A new tenant (its own subdomain only) whose schema is `work`, renamed to the slug's schema."""
    from ..services.provisioning import create_tenant

    with transaction.atomic():
        tenant = create_tenant(slug=slug, name=name, admin_email=admin_email, seats=seats, enqueue=False)
        with raw_cursor() as cur:
            cur.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(work), sql.Identifier(tenant.schema_name))
            )
            _mark(cur, tenant.schema_name, None)
        fields = {k: v for k, v in branding.items() if k in {"primary_color", "accent_color", "support_email"}}
        if fields:
            Branding.objects.filter(tenant=tenant).update(**fields)
        tenant.status = TenantStatus.ACTIVE if activate else TenantStatus.SUSPENDED
        tenant.provisioning_state = ProvisioningState.DONE
        tenant.provisioning_step = "restored"
        tenant.provisioning_progress = 100
        tenant.provisioning_finished_at = timezone.now()
        tenant.save()  # routing caches: now and after commit
    return tenant


def marked_schemas() -> list[tuple[str, dict[str, Any]]]:
    """Every schema a restore left behind, with its mark."""
    with raw_cursor() as cur:
        cur.execute(
            "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_catalog.pg_namespace "
            "WHERE nspname LIKE '%\\_\\_restore\\_%' OR nspname LIKE '%\\_\\_replaced\\_%' ORDER BY 1"
        )
        rows = cur.fetchall()
    found: list[tuple[str, dict[str, Any]]] = []
    for schema, comment in rows:
        try:
            mark = json.loads(comment or "")
        except ValueError:
            continue
        if isinstance(mark, dict) and mark.get(MARK) in {WORK, REPLACED}:
            found.append((str(schema), mark))
    return found


def drop_expired(now: datetime | None = None) -> list[str]:
    """Drop replaced schemas past their grace period and work schemas of abandoned restores."""
    now = now or timezone.now()
    grace = timedelta(days=settings.BACKUP_REPLACED_SCHEMA_GRACE_DAYS)
    dropped: list[str] = []
    for schema, mark in marked_schemas():
        try:
            at = datetime.fromisoformat(str(mark["at"]))
        except (KeyError, ValueError):
            continue
        if mark[MARK] == REPLACED:
            if now - at >= grace:
                drop_schema(schema)
                dropped.append(schema)
        elif now - at >= ABANDONED_AFTER:
            try:  # a restore still running holds its tenant's lock: never drop its work schema
                with tenant_lock(schema.partition("__restore_")[0]):
                    drop_schema(schema)
                    dropped.append(schema)
            except BackupBusy:
                continue
        if dropped and dropped[-1] == schema:
            logger.info("dropped %s schema %s (since %s)", mark[MARK], schema, at.isoformat())
    return dropped
