"""Run the corporate schedule now, synchronously: `--now` moves the clock (tests, support).

manage.py run_corporate_schedule --now 2026-12-30T10:00:00+03:00 --tenant acme --nightly
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import Tenant


class Command(BaseCommand):
    help = "Queue and send due reminders, overdue notices, escalations and digests (optionally the nightly jobs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time to act as the current moment (default: now)")
        parser.add_argument("--tenant", action="append", help="tenant slug (repeatable; default: all active)")
        parser.add_argument("--nightly", action="store_true", help="also apply rules and open re-certification cycles")
        parser.add_argument("--no-send", action="store_true", help="queue messages in the outbox without sending")

    def handle(self, *args: Any, **options: Any) -> None:
        from lms.corporate.services.assignments import start_recertification_cycles
        from lms.corporate.services.notifications import deliver_pending, schedule
        from lms.corporate.services.rules import apply_rules

        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: {exc}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        tenants = Tenant.objects.filter(kind="corporate", status="active")
        if options["tenant"]:
            tenants = tenants.filter(slug__in=options["tenant"])
        for tenant in tenants:
            with tenant_context(tenant):
                line = f"{tenant.slug}:"
                if options["nightly"]:
                    line += f" assigned={apply_rules(now=now)} recertifications={start_recertification_cycles(now)}"
                counts = schedule(now)
                line += " " + " ".join(f"{k}={v}" for k, v in counts.items())
                if not options["no_send"]:
                    result = deliver_pending(limit=100_000)
                    line += f" sent={result.sent} failed={result.failed}"
                self.stdout.write(line)
