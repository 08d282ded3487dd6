"""The manifest of one backup: what was dumped and how to check it, as JSON (`manifest.json`).

Written last: its presence marks a backup as complete. A restore trusts nothing it has not checked
against it (object sizes and SHA-256, stream SHA-256, row counts, content checksums). Parsing is
strict: a manifest that does not have the expected shape is a corrupt backup, never a partial load.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import BackupCorrupt
from .tables import Column, Table

FORMAT = "ffs-tenant-backup"
VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_NAME = "media.jsonl.gz"
BACKUP_ID_RE = re.compile(r"^(\d{8}T\d{6}Z)-[0-9a-f]{6}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def new_backup_id(now: datetime) -> str:
    """`20260115T013000Z-1a2b3c`: sorts by time, names the UTC day, unique per run."""
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def backup_time(backup_id: str) -> datetime:
    match = BACKUP_ID_RE.match(backup_id)
    if not match:
        raise ValueError(f"not a backup id: {backup_id!r}")
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def is_backup_id(value: str) -> bool:
    return bool(BACKUP_ID_RE.match(value))


@dataclass(frozen=True)
class SequenceEntry:
    column: str
    last_value: int
    is_called: bool


@dataclass(frozen=True)
class TableEntry:
    name: str
    columns: tuple[Column, ...]
    rows: int
    stream_sha256: str
    checksum: str
    object: str  # relative to the backup's prefix
    object_size: int
    object_sha256: str
    sequences: tuple[SequenceEntry, ...]

    @property
    def table(self) -> Table:
        return Table(self.name, self.columns)


@dataclass(frozen=True)
class MediaEntry:
    bucket: str
    prefix: str
    objects: int
    bytes: int
    object: str
    object_size: int
    object_sha256: str


@dataclass(frozen=True)
class Manifest:
    id: str
    slug: str
    schema: str
    created_at: str
    finished_at: str
    seconds: float
    postgres: str
    encryption: str
    pinned: bool
    tenant: dict[str, Any]  # control-plane snapshot (name, seats, branding…); informational, used by --as
    migrations: tuple[tuple[str, str], ...]
    tables: tuple[TableEntry, ...]
    media: MediaEntry

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def to_document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "id": self.id,
            "slug": self.slug,
            "schema": self.schema,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "seconds": self.seconds,
            "postgres": self.postgres,
            "encryption": self.encryption,
            "pinned": self.pinned,
            "tenant": self.tenant,
            "migrations": [list(pair) for pair in self.migrations],
            "tables": [
                {
                    "name": t.name,
                    "columns": [{"name": c.name, "type": c.type} for c in t.columns],
                    "rows": t.rows,
                    "stream_sha256": t.stream_sha256,
                    "checksum": t.checksum,
                    "object": t.object,
                    "object_size": t.object_size,
                    "object_sha256": t.object_sha256,
                    "sequences": [
                        {"column": s.column, "last_value": s.last_value, "is_called": s.is_called} for s in t.sequences
                    ],
                }
                for t in self.tables
            ],
            "media": {
                "bucket": self.media.bucket,
                "prefix": self.media.prefix,
                "objects": self.media.objects,
                "bytes": self.media.bytes,
                "object": self.media.object,
                "object_size": self.media.object_size,
                "object_sha256": self.media.object_sha256,
            },
        }


def _get(document: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(document, dict) or key not in document:
        raise BackupCorrupt(f"manifest: {key!r} is missing")
    value = document[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BackupCorrupt(f"manifest: {key!r} has the wrong type")
    return value


def _digest(document: Any, key: str) -> str:
    value = _get(document, key, str)
    if not _HEX64.match(value):
        raise BackupCorrupt(f"manifest: {key!r} is not a SHA-256")
    return str(value)


def _relative(document: Any, key: str) -> str:
    value = str(_get(document, key, str))
    if not value or value.startswith("/") or ".." in value.split("/"):
        raise BackupCorrupt(f"manifest: {key!r} is not a relative object name")
    return value


def parse(document: Any) -> Manifest:
    """A `Manifest` from its JSON document; `BackupCorrupt` for anything unexpected."""
    if _get(document, "format", str) != FORMAT:
        raise BackupCorrupt("not a tenant backup manifest")
    if _get(document, "version", int) != VERSION:
        raise BackupCorrupt(f"manifest version {document['version']} is not supported by this release")
    backup_id = _get(document, "id", str)
    if not is_backup_id(backup_id):
        raise BackupCorrupt("manifest: bad backup id")
    tables: list[TableEntry] = []
    for item in _get(document, "tables", list):
        columns = tuple(Column(_get(c, "name", str), _get(c, "type", str)) for c in _get(item, "columns", list))
        sequences = tuple(
            SequenceEntry(_get(s, "column", str), _get(s, "last_value", int), _get(s, "is_called", bool))
            for s in _get(item, "sequences", list)
        )
        rows = _get(item, "rows", int)
        if rows < 0 or not columns:
            raise BackupCorrupt("manifest: bad table entry")
        tables.append(
            TableEntry(
                name=_get(item, "name", str),
                columns=columns,
                rows=rows,
                stream_sha256=_digest(item, "stream_sha256"),
                checksum=_digest(item, "checksum"),
                object=_relative(item, "object"),
                object_size=_get(item, "object_size", int),
                object_sha256=_digest(item, "object_sha256"),
                sequences=sequences,
            )
        )
    if len({t.name for t in tables}) != len(tables) or not tables:
        raise BackupCorrupt("manifest: table list is empty or repeats a table")
    media = _get(document, "media", dict)
    migrations = tuple(
        (str(pair[0]), str(pair[1]))
        for pair in _get(document, "migrations", list)
        if isinstance(pair, list) and len(pair) == 2
    )
    if len(migrations) != len(document["migrations"]) or not migrations:
        raise BackupCorrupt("manifest: bad migration state")
    return Manifest(
        id=backup_id,
        slug=_get(document, "slug", str),
        schema=_get(document, "schema", str),
        created_at=_get(document, "created_at", str),
        finished_at=_get(document, "finished_at", str),
        seconds=float(_get(document, "seconds", (int, float))),
        postgres=_get(document, "postgres", str),
        encryption=_get(document, "encryption", str),
        pinned=_get(document, "pinned", bool),
        tenant=_get(document, "tenant", dict),
        migrations=migrations,
        tables=tuple(tables),
        media=MediaEntry(
            bucket=_get(media, "bucket", str),
            prefix=_get(media, "prefix", str),
            objects=_get(media, "objects", int),
            bytes=_get(media, "bytes", int),
            object=_relative(media, "object"),
            object_size=_get(media, "object_size", int),
            object_sha256=_digest(media, "object_sha256"),
        ),
    )
