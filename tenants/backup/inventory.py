"""Which backups a tenant has, from one listing of its prefix (no manifest reads).

A backup is complete when its `manifest.json` exists; a `PINNED` marker object exempts it from
retention (`backup_tenant --pin`, e.g. before a risky change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import store
from .errors import BackupNotFound
from .manifest import MANIFEST_NAME, backup_time, is_backup_id

PIN_NAME = "PINNED"


@dataclass(frozen=True)
class BackupSummary:
    id: str
    created_at: datetime
    complete: bool
    pinned: bool
    objects: int
    bytes: int

    @property
    def day(self) -> str:
        return self.id[:8]


def list_backups(slug: str) -> list[BackupSummary]:
    """Every backup directory of the tenant, oldest first."""
    prefix = store.tenant_prefix(slug)
    found: dict[str, dict[str, int | bool]] = {}
    for item in store.list_objects(prefix):
        backup_id, _, name = item.key[len(prefix) :].partition("/")
        if not is_backup_id(backup_id):
            continue
        entry = found.setdefault(backup_id, {"complete": False, "pinned": False, "objects": 0, "bytes": 0})
        entry["objects"] = int(entry["objects"]) + 1
        entry["bytes"] = int(entry["bytes"]) + item.size
        if name == MANIFEST_NAME:
            entry["complete"] = True
        elif name == PIN_NAME:
            entry["pinned"] = True
    return [
        BackupSummary(
            id=backup_id,
            created_at=backup_time(backup_id),
            complete=bool(entry["complete"]),
            pinned=bool(entry["pinned"]),
            objects=int(entry["objects"]),
            bytes=int(entry["bytes"]),
        )
        for backup_id, entry in sorted(found.items())
    ]


def manifest_key(slug: str, source: str) -> str:
    """The manifest key for `source`: `latest`, a backup id of `slug`, or an object key (the
    manifest's, or its directory's) anywhere in the backups bucket."""
    source = source.strip()
    if source == "latest":
        complete = [backup for backup in list_backups(slug) if backup.complete]
        if not complete:
            raise BackupNotFound(f"tenant {slug} has no complete backup")
        return store.backup_prefix(slug, complete[-1].id) + MANIFEST_NAME
    if is_backup_id(source):
        return store.backup_prefix(slug, source) + MANIFEST_NAME
    if "/" in source:
        if source.endswith(MANIFEST_NAME):
            return source
        return source.rstrip("/") + "/" + MANIFEST_NAME
    raise BackupNotFound(f"{source!r} is neither `latest`, a backup id (like 20260115T013000Z-1a2b3c) nor a key")


def base_of(key: str) -> str:
    """The directory of a backup from its manifest key."""
    return key[: -len(MANIFEST_NAME)]


def pin(slug: str, backup_id: str) -> None:
    store.put_json(store.backup_prefix(slug, backup_id) + PIN_NAME, {"pinned": True})
