"""Business gauges computed when `/metrics` is scraped: tenants by status, the e-mail outbox, active
learners.

They are facts of the database, not of a process, so they are read at scrape time rather than kept
as gauges in every process. The database part costs one grouped query on the public schema and
one statement over the outboxes of all active corporate schemas (each reads the outbox's partial
index of unsent rows only); its result is shared through Redis for `SNAPSHOT_SECONDS`, so however
many pods and scrapers there are, the database sees it about twice a minute. Every web pod exports
the same values: dashboards and rules take `max` over pods.

Labels are fixed lists (status, provisioning state, outbox state, tenant kind); never a tenant.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django_tenants.utils import schema_context
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

logger = logging.getLogger("ffs.metrics")

SNAPSHOT_KEY = "metrics:business-snapshot:v1"
SNAPSHOT_SECONDS = 30
STATEMENT_TIMEOUT_MS = 2000
SCHEMAS_PER_STATEMENT = 200
PROVISIONING_STATES = ("pending", "running", "failed")


# One row per schema; schema names come from Tenant rows (validated slugs) and are quoted, values
# are parameters. The WHERE clause matches the outbox's partial index of unsent rows.
_OUTBOX_SQL = """
SELECT count(*) FILTER (WHERE attempts < %s), count(*) FILTER (WHERE attempts >= %s),
       min(created_at) FILTER (WHERE attempts < %s)
FROM {schema}.{table} WHERE sent_at IS NULL
"""


def _quoted(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def _outbox(schemas: list[str]) -> tuple[int, int, float | None]:
    """(pending, given up, oldest pending as a UNIX time) over the outboxes of `schemas`."""
    from lms.corporate.models import Notification
    from lms.corporate.services.notifications import MAX_ATTEMPTS

    table = Notification._meta.db_table
    pending = failed = 0
    oldest: datetime | None = None
    for start in range(0, len(schemas), SCHEMAS_PER_STATEMENT):
        chunk = schemas[start : start + SCHEMAS_PER_STATEMENT]
        parts = [_OUTBOX_SQL.format(schema=_quoted(schema), table=table) for schema in chunk]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [MAX_ATTEMPTS] * 3 * len(chunk))
            for row_pending, row_failed, row_oldest in cursor.fetchall():
                pending += int(row_pending)
                failed += int(row_failed)
                if row_oldest is not None and (oldest is None or row_oldest < oldest):
                    oldest = row_oldest
    return pending, failed, oldest.timestamp() if oldest else None


def compute_snapshot() -> dict[str, Any]:
    from tenants.models import Tenant, TenantKind, TenantStatus

    with schema_context("public"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(STATEMENT_TIMEOUT_MS)])
        corporate = Tenant.objects.filter(kind=TenantKind.CORPORATE)
        tenants: dict[str, int] = dict.fromkeys(TenantStatus.values, 0)
        provisioning: dict[str, int] = dict.fromkeys(PROVISIONING_STATES, 0)
        for status, state, count in (
            corporate.order_by().values_list("status", "provisioning_state").annotate(n=Count("id"))
        ):
            tenants[status] = tenants.get(status, 0) + count
            if status == TenantStatus.PROVISIONING and state in provisioning:
                provisioning[state] += count
        schemas = list(corporate.filter(status=TenantStatus.ACTIVE).values_list("schema_name", flat=True))
        pending, failed, oldest = _outbox(schemas)
    return {"tenants": tenants, "provisioning": provisioning, "outbox": [pending, failed, oldest]}


def snapshot() -> dict[str, Any]:
    """The cached snapshot, computed when missing or expired. Redis trouble only costs caching."""
    with schema_context("public"):  # the cache key carries the schema: one key for every process
        try:
            cached = cache.get(SNAPSHOT_KEY)
        except Exception:  # the cache's own metrics count the failure
            cached = None
        if isinstance(cached, dict):
            return cached
        data = compute_snapshot()
        try:
            cache.set(SNAPSHOT_KEY, data, SNAPSHOT_SECONDS)
        except Exception:
            logger.debug("business metrics snapshot not cached")
        return data


class BusinessCollector:
    name = "business"

    def collect(self) -> Iterator[Metric]:
        data = snapshot()
        tenants = GaugeMetricFamily("tenants", "Corporate tenants by status", labels=["status"])
        for status, count in sorted(data["tenants"].items()):
            tenants.add_metric([status], count)
        yield tenants
        provisioning = GaugeMetricFamily(
            "tenants_provisioning", "Tenants not yet active, by provisioning state", labels=["state"]
        )
        for state, count in sorted(data["provisioning"].items()):
            provisioning.add_metric([state], count)
        yield provisioning
        pending, failed, oldest = data["outbox"]
        outbox = GaugeMetricFamily(
            "email_outbox_messages",
            "Unsent corporate e-mails in the outboxes of active tenants: pending, or failed (attempts exhausted)",
            labels=["state"],
        )
        outbox.add_metric(["pending"], pending)
        outbox.add_metric(["failed"], failed)
        yield outbox
        yield GaugeMetricFamily(
            "email_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending corporate e-mail (0 when none is pending)",
            value=max(0.0, time.time() - oldest) if oldest is not None else 0.0,
        )


class ActiveLearnersCollector:
    name = "learners"

    def collect(self) -> Iterator[Metric]:
        from lms.learning.metrics import WINDOW_SECONDS, count_active

        family = GaugeMetricFamily(
            "learners_active",
            f"Distinct learners with a playback heartbeat in the last {WINDOW_SECONDS // 60} minutes, by tenant kind",
            labels=["kind"],
        )
        for kind, count in count_active().items():
            family.add_metric([kind], count)
        yield family
