"""Bootstrap the first platform admin, non-interactively (Kubernetes Job, `make run`).

The password comes from `--password-env VAR` (default PLATFORM_ADMIN_PASSWORD) or stdin; never from
argv, which other users of the host can read in the process list.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from lib.errors import DomainError


class Command(BaseCommand):
    help = "Create or update a platform admin in the public schema."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password-env", default="PLATFORM_ADMIN_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        from accounts.services.users import create_platform_admin

        password = os.environ.get(options["password_env"])
        if not password:
            if sys.stdin is None or sys.stdin.isatty():
                raise CommandError(f"Pass the password in ${options['password_env']} or on stdin.")
            password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("Empty password.")
        with schema_context("public"):
            try:
                user, created = create_platform_admin(options["email"], password)
            except DomainError as exc:
                raise CommandError(f"{exc.message} {exc.fields or ''}") from exc
        self.stdout.write(f"{'Created' if created else 'Updated'} platform admin {user.email}")
