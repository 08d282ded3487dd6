"""`manage.py backup_tenant <slug>`: back up one tenant now; also lists and verifies backups.

manage.py backup_tenant acme                  # back up, then apply retention
manage.py backup_tenant acme --pin            # a backup retention never deletes
manage.py backup_tenant acme --list           # backups, newest last
manage.py backup_tenant acme --verify latest  # read a backup back and check it (no schema touched)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lib.errors import DomainError
from tenants.backup.dump import backup_tenant
from tenants.backup.inventory import list_backups
from tenants.backup.restore import verify_backup
from tenants.backup.retention import prune


class Command(BaseCommand):
    help = "Logical backup of one tenant schema (plus its media manifest) to object storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--pin", action="store_true", help="exempt this backup from retention")
        parser.add_argument("--once-per-day", action="store_true", help="do nothing if today (UTC) has a backup")
        parser.add_argument("--no-prune", action="store_true", help="do not apply retention afterwards")
        parser.add_argument("--list", action="store_true", help="list the tenant's backups instead")
        parser.add_argument("--verify", metavar="BACKUP", help="check a backup (`latest`, an id or a key)")
        parser.add_argument("--against-live", action="store_true", help="with --verify: tables changed since")

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        try:
            if options["list"]:
                self._list(slug)
            elif options["verify"]:
                self._verify(slug, options["verify"], options["against_live"])
            else:
                self._backup(slug, options)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def _backup(self, slug: str, options: dict[str, Any]) -> None:
        result = backup_tenant(slug, pinned=options["pin"], once_per_day=options["once_per_day"])
        if result.skipped or result.manifest is None:
            self.stdout.write(f"{slug}: today's backup exists already: {result.backup_id}")
            return
        manifest = result.manifest
        size = sum(table.object_size for table in manifest.tables)
        self.stdout.write(
            f"{slug}: backup {result.backup_id} — {len(manifest.tables)} tables, {manifest.rows} rows, "
            f"{size} bytes compressed, {manifest.media.objects} media objects listed, {manifest.seconds:.2f} s\n"
            f"  manifest: {result.key}" + (" (pinned)" if manifest.pinned else "")
        )
        if not options["no_prune"]:
            decided = prune(slug)
            if decided.delete:
                self.stdout.write(f"  retention deleted: {', '.join(decided.delete)}")

    def _list(self, slug: str) -> None:
        backups = list_backups(slug)
        if not backups:
            self.stdout.write(f"{slug}: no backups")
        for backup in backups:
            state = "complete" if backup.complete else "UNFINISHED"
            pinned = " pinned" if backup.pinned else ""
            self.stdout.write(
                f"{backup.id}  {backup.created_at:%Y-%m-%d %H:%M} UTC  {backup.bytes:>12} B  {state}{pinned}"
            )

    def _verify(self, slug: str, source: str, against_live: bool) -> None:
        result = verify_backup(slug, source, against_live=against_live)
        self.stdout.write(
            f"{slug}: backup {result.backup_id} is intact — {result.tables} tables, {result.rows} rows, "
            f"{result.media_objects} media objects listed"
        )
        if against_live:
            changed = ", ".join(result.changed_since) or "none"
            self.stdout.write(f"  tables changed since: {changed}")
