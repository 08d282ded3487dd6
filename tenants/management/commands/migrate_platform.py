"""Migrate everything in the right order: public, the tenant template, then every tenant.

The template must be current before any tenant is cloned from it, so it is migrated right after
public and before the tenants (in parallel with `--executor multiprocessing` on big fleets).
This is the command the Helm migration Job runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenants.services.provisioning import ensure_template_schema


class Command(BaseCommand):
    help = "migrate_schemas for public, the tenant template and all tenants"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--executor", default="standard", choices=["standard", "multiprocessing"])

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(0, verbosity - 1))
        ensure_template_schema(verbosity=max(0, verbosity - 1))
        call_command(
            "migrate_schemas",
            tenant=True,
            interactive=False,
            executor=options["executor"],
            verbosity=max(0, verbosity - 1),
        )
        self.stdout.write("migrations applied: public, tenant_template, tenants")
