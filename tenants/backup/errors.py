"""Errors of backup and restore, with stable codes like every other domain error."""

from __future__ import annotations

from lib.errors import Conflict, DomainError, NotFound


class BackupError(DomainError):
    code = "backup_failed"


class BackupNotFound(NotFound):
    code = "backup_not_found"


class BackupCorrupt(BackupError):
    """An object is missing, unreadable or does not match the manifest: nothing was changed."""

    code = "backup_corrupt"


class BackupIncompatible(BackupError):
    """The backup cannot be loaded into a schema this release builds (unknown migrations, columns)."""

    code = "backup_incompatible"


class BackupBusy(Conflict):
    """Another backup or restore of the same tenant holds its lock."""

    code = "backup_busy"


class RestoreFailed(BackupError):
    code = "restore_failed"
