"""`manage.py restore_tenant <slug> --from <backup> [--as <new-slug>]` (docs/backup.md).

manage.py restore_tenant acme --from latest                  # in place; the old schema is kept aside
manage.py restore_tenant acme --from 20260115T013000Z-1a2b3c --as acme-copy   # a new, suspended tenant
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lib.errors import DomainError
from tenants.backup.restore import restore_tenant


class Command(BaseCommand):
    help = "Restore one tenant from a logical backup into a new schema, verify it, then swap it in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the tenant whose backup is restored (and, without --as, replaced)")
        parser.add_argument("--from", dest="source", required=True, help="`latest`, a backup id or a manifest key")
        parser.add_argument("--as", dest="as_slug", help="restore as a new tenant with this slug instead")
        parser.add_argument("--activate", action="store_true", help="with --as: make the new tenant active")
        parser.add_argument(
            "--drop-replaced", action="store_true", help="in place: drop the replaced schema at once (no grace period)"
        )
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        as_slug: str | None = options["as_slug"]
        if not as_slug and options["activate"]:
            raise CommandError("--activate only applies with --as")
        if as_slug and options["drop_replaced"]:
            raise CommandError("--drop-replaced only applies to an in-place restore")
        if not as_slug and options["interactive"]:
            if not sys.stdin.isatty():
                raise CommandError("an in-place restore asks for confirmation: pass --noinput when not on a terminal")
            answer = input(
                f"Replace tenant {slug}'s data with backup {options['source']}? Changes made since the backup "
                "will only remain in the replaced schema. Type the slug to confirm: "
            )
            if answer.strip() != slug:
                raise CommandError("not confirmed")
        try:
            result = restore_tenant(
                slug,
                options["source"],
                as_slug=as_slug,
                activate=options["activate"],
                drop_replaced=options["drop_replaced"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(
            f"restored backup {result.backup_id} into {result.slug} (schema {result.schema}, {result.mode}, "
            f"{result.path} path): {result.tables} tables, {result.rows} rows verified, {result.seconds:.2f} s"
        )
        self.stdout.write("  steps: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.phases.items()))
        if result.replaced_schema:
            what = "dropped" if result.replaced_dropped else "kept until the grace period ends"
            self.stdout.write(f"  replaced schema {result.replaced_schema}: {what}")
        report = result.media
        self.stdout.write(
            f"  media: {report.recorded} recorded, {report.present} unchanged, {report.copied} copied, "
            f"{len(report.missing)} missing, {len(report.changed)} changed, {report.added_since} added since"
        )
        for key in (report.missing + report.changed)[:20]:
            self.stdout.write(f"    check in bucket versioning: {key}")
        if result.media_error:
            self.stderr.write(f"  media step failed (data restored): {result.media_error}")
