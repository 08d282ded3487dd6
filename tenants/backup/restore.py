"""`restore_tenant`: a backup into a new schema, verified, then swapped in (or attached as a copy).

Order, and why nothing live is touched until the end:

1. under the tenant's advisory lock, read and parse the manifest, check every object exists with
   its recorded size and read the media list (a missing or corrupt backup fails here, before any
   schema exists);
2. build the work schema: a clone of the template when the backup's migration state is the
   template's (the fast path provisioning uses), else an empty schema migrated to exactly the
   backup's state (tenants/backup/migration_state.py);
3. in one transaction: set the foreign keys and secondary indexes aside, remove the template's
   rows, COPY every table in (checking each stream's SHA-256 and row count), COPY every table back
   out and compare row counts and content checksums with the manifest, then recreate the indexes
   and foreign keys (rows that reference public rows deleted since, such as a course, fail here) and
   move sequences past every id ever issued;
4. for an older backup, run the pending migrations on the work schema;
5. swap it in place (tenants/backup/schemas.py) or attach it as a new tenant.

Any failure before 5 drops the work schema and re-raises: the live schema was only read, never
locked. After the swap, media is checked (in place) or copied (`--as`), see tenants/backup/media.py,
and the restore is written to the platform's audit log.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_exists as db_schema_exists
from psycopg import sql

from lib.db import tenant_connection
from lib.errors import Conflict

from ..hosts import subdomain_host
from ..models import Domain, Tenant
from ..services.provisioning import TEMPLATE_SCHEMA, ensure_template_schema, schema_for_slug
from ..services.schema_clone import clone_schema
from ..validators import validate_slug
from . import media, schemas, store
from .dump import corporate_tenant
from .errors import BackupCorrupt, BackupIncompatible, RestoreFailed
from .inventory import base_of, manifest_key
from .locks import tenant_lock
from .manifest import Manifest, TableEntry, parse
from .migration_state import build_at_state, migrate_forward, plan_for
from .tables import (
    copy_in_statement,
    describe,
    deterministic_output,
    dump_table,
    migration_state,
    raw_cursor,
    restore_post_data,
    schema_digests,
    schema_exists,
    set_aside_post_data,
)

logger = logging.getLogger("ffs.tenants.backup")


@dataclass
class RestoreResult:
    backup_id: str
    slug: str  # the tenant that now holds the data
    schema: str
    mode: str  # "in_place" or "new_tenant"
    path: str  # "clone" or "migrate"
    tables: int
    rows: int
    seconds: float
    replaced_schema: str | None = None
    replaced_dropped: bool = False
    media: media.MediaReport = field(default_factory=media.MediaReport)
    media_error: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for operators


class _Clock:
    """Seconds spent per step of a restore (reported, and logged)."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._mark = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.phases[name] = round(self.phases.get(name, 0.0) + now - self._mark, 3)
        self._mark = now


@dataclass
class VerifyResult:
    backup_id: str
    tables: int
    rows: int
    media_objects: int
    changed_since: list[str] = field(default_factory=list)  # tables whose live content differs (against_live)


def _load_manifest(key: str) -> Manifest:
    return parse(store.get_json(key))


def _check_objects(base: str, manifest: Manifest) -> None:
    for name, size in [(t.object, t.object_size) for t in manifest.tables] + [
        (manifest.media.object, manifest.media.object_size)
    ]:
        actual = store.head_size(base + name)
        if actual is None:
            raise BackupCorrupt(f"backup object {base + name} is missing")
        if actual != size:
            raise BackupCorrupt(f"backup object {base + name} has {actual} bytes, the manifest says {size}")


def _recorded_media(base: str, manifest: Manifest) -> list[store.StoredObject]:
    download = store.CompressedDownload(
        base + manifest.media.object, size=manifest.media.object_size, sha256=manifest.media.object_sha256
    )
    try:
        recorded = list(media.read_recorded(download))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupCorrupt(f"the media list of backup {manifest.id} is unreadable: {exc}") from exc
    if len(recorded) != manifest.media.objects:
        raise BackupCorrupt(f"the media list of backup {manifest.id} does not match the manifest")
    return recorded


def _template_state() -> tuple[tuple[str, str], ...]:
    with raw_cursor() as cur:
        exists = schema_exists(cur, TEMPLATE_SCHEMA)
    if not exists:
        ensure_template_schema()
    with raw_cursor() as cur:
        return tuple(migration_state(cur, TEMPLATE_SCHEMA))


def _check_shape(cur: psycopg.Cursor[Any], work: str, manifest: Manifest) -> None:
    present = {table.name: set(table.columns) for table in describe(cur, work)}
    expected = {entry.name: set(entry.columns) for entry in manifest.tables}
    if set(present) != set(expected):
        raise BackupIncompatible(
            "the backup's tables differ from the schema built for it: "
            f"missing {sorted(set(expected) - set(present))}, unexpected {sorted(set(present) - set(expected))}"
        )
    differing = sorted(name for name in expected if present[name] != expected[name])
    if differing:
        raise BackupIncompatible(f"the backup's columns differ from the schema built for it in {differing}")


def _copy_in(cur: psycopg.Cursor[Any], work: str, base: str, entry: TableEntry) -> None:
    download = store.CompressedDownload(base + entry.object, size=entry.object_size, sha256=entry.object_sha256)
    stream = hashlib.sha256()
    rows = 0
    with cur.copy(copy_in_statement(work, entry.table)) as copy:
        for chunk in download:
            stream.update(chunk)
            rows += chunk.count(b"\n")
            copy.write(chunk)
        if rows != entry.rows or stream.hexdigest() != entry.stream_sha256:
            raise BackupCorrupt(f"table {entry.name}: the data does not match the manifest ({rows} rows read)")


def _load(work: str, base: str, manifest: Manifest, clock: _Clock) -> None:
    by_name = {entry.name: entry for entry in manifest.tables}
    with transaction.atomic(), raw_cursor() as cur:
        deterministic_output(cur)
        _check_shape(cur, work, manifest)
        post = set_aside_post_data(cur, work)
        for name in by_name:  # the template's rows (migrations, content types, permissions)
            target = sql.SQL("{}.{}").format(sql.Identifier(work), sql.Identifier(name))
            cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(target))
            row = cur.fetchone()
            if row and row[0]:
                cur.execute(sql.SQL("DELETE FROM {}").format(target))
        for entry in manifest.tables:
            _copy_in(cur, work, base, entry)
        clock.lap("load")
        mismatched = [
            entry.name
            for entry in manifest.tables
            if (digest := dump_table(cur, work, entry.table)).rows != entry.rows or digest.checksum != entry.checksum
        ]
        if mismatched:
            raise RestoreFailed(f"verification failed: tables {mismatched} differ from the manifest after loading")
        clock.lap("verify")
        # last, so the lock that adding a foreign key takes on a referenced public table (course,
        # lesson: it blocks their edits, not other tenants' reads or inserts) lasts only to the commit
        try:
            restore_post_data(cur, post)
        except psycopg.errors.IntegrityError as exc:
            raise RestoreFailed(
                f"the backup's rows break a constraint once loaded (a referenced public row, such as a course, "
                f"may have been deleted since): {exc}"
            ) from exc
        floors = {
            (entry.name, seq.column): seq.last_value if seq.is_called else seq.last_value - 1
            for entry in manifest.tables
            for seq in entry.sequences
        }
        schemas.set_sequences(cur, work, floors)
        clock.lap("index")


def _check_new_slug(slug: str) -> str:
    slug = validate_slug(slug)
    schema = schema_for_slug(slug)
    if schema == TEMPLATE_SCHEMA or Tenant.objects.filter(slug=slug).exists():
        raise Conflict(f"a tenant {slug} already exists", code="slug_taken")
    if Tenant.objects.filter(schema_name=schema).exists() or db_schema_exists(schema):
        raise Conflict(f"a schema {schema} already exists", code="schema_exists")
    if Domain.objects.filter(domain=subdomain_host(slug)).exists():
        raise Conflict(f"the host {subdomain_host(slug)} is already in use", code="slug_taken")
    return slug


def restore_tenant(
    slug: str,
    source: str,
    *,
    as_slug: str | None = None,
    activate: bool = False,
    drop_replaced: bool = False,
    actor: Any = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Restore `slug`'s backup `source` (`latest`, an id or a key) in place, or as a new tenant."""
    from accounts.services import audit

    clock = _Clock()
    tenant_connection().set_schema_to_public()
    key = manifest_key(slug, source)
    base = base_of(key)
    live: Tenant | None = None
    if as_slug:
        as_slug = _check_new_slug(as_slug)
        target_schema = schema_for_slug(as_slug)
    else:
        live = corporate_tenant(slug)
        target_schema = live.schema_name
    at = schemas.stamp(now or timezone.now())
    work = schemas.work_name(target_schema, at)
    with tenant_lock(target_schema):
        manifest = _load_manifest(key)
        if live is not None and manifest.schema != live.schema_name:
            raise BackupIncompatible(
                f"backup {manifest.id} is of schema {manifest.schema}, not {live.schema_name}: restore it with --as"
            )
        _check_objects(base, manifest)
        recorded = _recorded_media(base, manifest)
        path = "clone" if manifest.migrations == _template_state() else "migrate"
        if path == "migrate":
            plan_for(manifest.migrations)  # refuses unknown or inconsistent states before building anything
        clock.lap("check")
        replaced: str | None = None
        tenant: Tenant
        try:
            if path == "clone":
                clone_schema(TEMPLATE_SCHEMA, work)
            else:
                build_at_state(work, manifest.migrations)
            schemas.mark_work(work, tenant=as_slug or slug, backup_id=manifest.id)
            clock.lap("build")
            _load(work, base, manifest, clock)
            if path == "migrate":
                migrate_forward(work)
                clock.lap("migrate")
            if live is not None:
                if db_schema_exists(live.schema_name):
                    replaced = schemas.swap_in_place(live, work, at, backup_id=manifest.id)
                else:  # the live schema was lost: the restore simply becomes it
                    schemas.rename_into_place(live, work)
                tenant = live
            else:
                assert as_slug is not None
                snapshot = manifest.tenant
                tenant = schemas.attach_as_tenant(
                    work,
                    slug=as_slug,
                    name=f"{snapshot.get('name') or manifest.slug} (restored {manifest.id[:8]})"[:200],
                    admin_email=str(snapshot.get("admin_email") or ""),
                    seats=int(snapshot.get("seat_limit") or 0),
                    branding=dict(snapshot.get("branding") or {}),
                    activate=activate,
                )
        except BaseException:
            tenant_connection().set_schema_to_public()
            try:
                schemas.drop_schema(work)
            except Exception:
                logger.exception("could not drop the work schema %s", work)
            raise
        clock.lap("swap")
        if replaced and drop_replaced:
            schemas.drop_schema(replaced)
    result = RestoreResult(
        backup_id=manifest.id,
        slug=tenant.slug,
        schema=tenant.schema_name,
        mode="in_place" if live is not None else "new_tenant",
        path=path,
        tables=len(manifest.tables),
        rows=manifest.rows,
        seconds=0.0,
        replaced_schema=replaced,
        replaced_dropped=bool(replaced and drop_replaced),
    )
    try:
        result.media = (
            media.check_in_place(recorded, tenant.schema_name)
            if live is not None
            else media.copy_to(recorded, manifest.schema, tenant.schema_name)
        )
    except Exception as exc:  # the data is restored; media problems are reported, not fatal
        logger.exception("media step of the restore of %s failed", tenant.slug)
        result.media_error = f"{type(exc).__name__}: {exc}"
    clock.lap("media")
    result.phases = clock.phases
    result.seconds = round(sum(clock.phases.values()), 3)
    audit.record(
        "tenant.restored",
        actor=actor,
        target=tenant.slug,
        backup=manifest.id,
        source=slug,
        mode=result.mode,
        path=path,
        replaced_schema=replaced or "",
        media_missing=len(result.media.missing),
        seconds=result.seconds,
    )
    logger.info(
        "restore of %s from %s (%s, %s): %.2f s %s",
        tenant.slug,
        manifest.id,
        result.mode,
        path,
        result.seconds,
        clock.phases,
    )
    return result


def verify_backup(slug: str, source: str, *, against_live: bool = False) -> VerifyResult:
    """Read a whole backup back and check it against its manifest, touching no schema; with
    `against_live`, also name the tables whose live content differs from it (changed since)."""
    tenant_connection().set_schema_to_public()
    key = manifest_key(slug, source)
    base = base_of(key)
    manifest = _load_manifest(key)
    _check_objects(base, manifest)
    for entry in manifest.tables:
        stream = hashlib.sha256()
        rows = 0
        for chunk in store.CompressedDownload(base + entry.object, size=entry.object_size, sha256=entry.object_sha256):
            stream.update(chunk)
            rows += chunk.count(b"\n")
        if rows != entry.rows or stream.hexdigest() != entry.stream_sha256:
            raise BackupCorrupt(f"table {entry.name}: the data does not match the manifest")
    result = VerifyResult(manifest.id, len(manifest.tables), manifest.rows, len(_recorded_media(base, manifest)))
    if against_live:
        result.changed_since = changed_tables(manifest.schema, manifest.tables)
    return result


def changed_tables(schema: str, entries: Iterable[TableEntry]) -> list[str]:
    entries = list(entries)
    with transaction.atomic(), raw_cursor() as cur:
        digests = schema_digests(cur, schema, [entry.table for entry in entries])
    return [
        entry.name
        for entry in entries
        if digests[entry.name].rows != entry.rows or digests[entry.name].checksum != entry.checksum
    ]
