"""`make run`'s start-up in one process: migrate when migrations changed, then seed demo data.

One Django start instead of two, and no migration run at all when neither the migration files nor
the database changed since the last successful run (fingerprint in the public schema), which keeps
a second `make run` well under 15 seconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


def migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stored_fingerprint() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.ffs_dev_state')")
        row = cursor.fetchone()
        if not row or row[0] is None:
            return None
        cursor.execute("SELECT value FROM public.ffs_dev_state WHERE key = 'migrations'")
        found = cursor.fetchone()
        return str(found[0]) if found else None


def _store_fingerprint(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS public.ffs_dev_state (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute(
            "INSERT INTO public.ffs_dev_state (key, value) VALUES ('migrations', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [value],
        )


class Command(BaseCommand):
    help = "Development start-up: migrate if needed, seed demo data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--saml-metadata-url", help="development SAML IdP metadata (make run)")
        parser.add_argument("--oidc-discovery-url", help="development OIDC provider discovery (make run)")

    def handle(self, *args: Any, **options: Any) -> None:
        fingerprint = migrations_fingerprint()
        if _stored_fingerprint() == fingerprint:
            self.stdout.write("migrations unchanged since the last run: skipped")
        else:
            call_command("migrate_platform", verbosity=options.get("verbosity", 1))
            _store_fingerprint(fingerprint)
        call_command("seed_demo", verbosity=options.get("verbosity", 1))
        call_command("seed_catalog", verbosity=options.get("verbosity", 1))
        call_command("seed_corporate", verbosity=options.get("verbosity", 1))
        if options.get("saml_metadata_url") and options.get("oidc_discovery_url"):
            try:
                call_command(
                    "seed_sso_demo",
                    saml_metadata_url=options["saml_metadata_url"],
                    oidc_discovery_url=options["oidc_discovery_url"],
                    verbosity=options.get("verbosity", 1),
                )
            except Exception as exc:  # the demo IdPs are a convenience: never block start-up on them
                self.stderr.write(f"SSO demo skipped: {exc}")
