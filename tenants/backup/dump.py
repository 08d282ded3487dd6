"""`backup_tenant`: one tenant schema to object storage, consistent and streamed.

Consistency: every table is read in one REPEATABLE READ, READ ONLY transaction, so the backup is the
schema as of one instant even while the tenant keeps working (the snapshot holds back vacuum of this
database for the duration, like pg_dump does). Only this tenant's tables are read; the only lock
taken elsewhere is the tenant's advisory lock (tenants/backup/locks.py).

The manifest is written last. A failure deletes what was uploaded; a killed process leaves a
directory without manifest, which restore never accepts and retention deletes after a day.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lib import storage
from lib.db import tenant_connection
from lib.errors import Conflict, NotFound

from ..models import Branding, Domain, Tenant, TenantKind, TenantStatus
from . import media, store
from .inventory import list_backups, pin
from .locks import tenant_lock
from .manifest import MANIFEST_NAME, MEDIA_NAME, Manifest, MediaEntry, SequenceEntry, TableEntry, new_backup_id
from .tables import (
    describe,
    deterministic_output,
    dump_table,
    migration_state,
    owned_sequences,
    raw_cursor,
    sequence_state,
)

logger = logging.getLogger("ffs.tenants.backup")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_]{1,63}$")


@dataclass(frozen=True)
class BackupResult:
    slug: str
    backup_id: str
    key: str  # of the manifest
    skipped: bool  # a backup of that day already existed (once_per_day)
    manifest: Manifest | None


def corporate_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None or tenant.kind != TenantKind.CORPORATE:
        raise NotFound(f"no corporate tenant {slug!r}", code="tenant_not_found")
    if tenant.status == TenantStatus.PROVISIONING:
        raise Conflict(f"tenant {slug} is still being provisioned", code="tenant_provisioning")
    return tenant


@contextmanager
def snapshot() -> Iterator[psycopg.Cursor[Any]]:
    """A read-only, repeatable-read transaction on Django's connection (or the caller's own
    transaction, when there is one: tests run inside one)."""
    outer = connection.in_atomic_block
    with transaction.atomic(), raw_cursor() as cur:
        if not outer:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        deterministic_output(cur)
        yield cur


def _tenant_snapshot(tenant: Tenant) -> dict[str, Any]:
    branding = Branding.objects.filter(tenant=tenant).first()
    return {
        "id": tenant.pk,
        "slug": tenant.slug,
        "name": tenant.name,
        "status": tenant.status,
        "seat_limit": tenant.seat_limit,
        "admin_email": tenant.admin_email,
        "domains": sorted(Domain.objects.filter(tenant=tenant).values_list("domain", flat=True)),
        "branding": {
            "display_name": branding.display_name,
            "primary_color": branding.primary_color,
            "accent_color": branding.accent_color,
            "support_email": branding.support_email,
        }
        if branding
        else {},
    }


def _dump_tables(schema: str, prefix: str) -> tuple[list[TableEntry], list[tuple[str, str]], str]:
    entries: list[TableEntry] = []
    with snapshot() as cur:
        cur.execute("SHOW server_version")
        row = cur.fetchone()
        postgres = str(row[0]) if row else ""
        sequences = owned_sequences(cur, schema)
        for index, table in enumerate(describe(cur, schema)):
            name = f"data/{table.name if _SAFE_NAME.match(table.name) else f'table_{index:04d}'}.copy.gz"
            upload = store.CompressedUpload(prefix + name)
            try:
                digest = dump_table(cur, schema, table, upload.write)
                stored = upload.finish()
            except BaseException:
                upload.abort()
                raise
            entries.append(
                TableEntry(
                    name=table.name,
                    columns=table.columns,
                    rows=digest.rows,
                    stream_sha256=digest.stream_sha256,
                    checksum=digest.checksum,
                    object=name,
                    object_size=stored.size,
                    object_sha256=stored.sha256,
                    sequences=tuple(
                        SequenceEntry(seq.column, *sequence_state(cur, schema, seq.name))
                        for seq in sequences
                        if seq.table == table.name
                    ),
                )
            )
        migrations = migration_state(cur, schema)
    return entries, migrations, postgres


def _dump_media(schema: str, prefix: str) -> MediaEntry:
    upload = store.CompressedUpload(prefix + MEDIA_NAME)
    count = total = 0
    try:
        for item in media.current_objects(schema):
            upload.write(media.encode(item))
            count += 1
            total += item.size
        stored = upload.finish()
    except BaseException:
        upload.abort()
        raise
    return MediaEntry(
        bucket=storage.bucket_name(),
        prefix=media.prefix_of(schema),
        objects=count,
        bytes=total,
        object=MEDIA_NAME,
        object_size=stored.size,
        object_sha256=stored.sha256,
    )


def backup_tenant(
    slug: str, *, now: datetime | None = None, once_per_day: bool = False, pinned: bool = False
) -> BackupResult:
    """Back up one tenant. With `once_per_day`, an existing complete backup of the same UTC day is
    kept and nothing is done (the nightly task's idempotency)."""
    tenant_connection().set_schema_to_public()
    tenant = corporate_tenant(slug)
    now = now or timezone.now()
    with tenant_lock(tenant.schema_name):
        if once_per_day:
            day = f"{now.astimezone(UTC):%Y%m%d}"
            done = [b for b in list_backups(slug) if b.complete and b.day == day]
            if done:
                key = store.backup_prefix(slug, done[-1].id) + MANIFEST_NAME
                return BackupResult(slug, done[-1].id, key, skipped=True, manifest=None)
        started = time.monotonic()
        backup_id = new_backup_id(now)
        prefix = store.backup_prefix(slug, backup_id)
        try:
            tables, migrations, postgres = _dump_tables(tenant.schema_name, prefix)
            media_entry = _dump_media(tenant.schema_name, prefix)
            manifest = Manifest(
                id=backup_id,
                slug=slug,
                schema=tenant.schema_name,
                created_at=now.astimezone(UTC).isoformat(),
                finished_at=timezone.now().astimezone(UTC).isoformat(),
                seconds=round(time.monotonic() - started, 3),
                postgres=postgres,
                encryption=settings.BACKUP_SERVER_SIDE_ENCRYPTION,
                pinned=pinned,
                tenant=_tenant_snapshot(tenant),
                migrations=tuple(migrations),
                tables=tuple(tables),
                media=media_entry,
            )
            if pinned:
                pin(slug, backup_id)
            store.put_json(prefix + MANIFEST_NAME, manifest.to_document())
        except BaseException:
            try:
                store.delete_prefix(prefix)
            except Exception:
                logger.exception("could not delete the unfinished backup %s", prefix)
            raise
    logger.info(
        "backup of %s: %s, %s tables, %s rows, %s media objects, %.2f s",
        slug,
        backup_id,
        len(tables),
        manifest.rows,
        media_entry.objects,
        manifest.seconds,
    )
    return BackupResult(slug, backup_id, prefix + MANIFEST_NAME, skipped=False, manifest=manifest)
