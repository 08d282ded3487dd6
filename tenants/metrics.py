"""Provisioning metrics (tenants/services/provisioning.py). Labels: the outcome and the failed step,
both from fixed lists; never the tenant (tenants by status are a scrape-time gauge,
lib/metrics/business.py)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

PROVISIONING_DURATION = Histogram(
    "tenant_provisioning_duration_seconds",
    "Time of one provisioning run (clone, verify, first admin, activate), by result",
    ["result"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
PROVISIONING_FAILURES = Counter(
    "tenant_provisioning_failures_total", "Provisioning runs that failed, by the step that failed", ["step"]
)

for _result in ("done", "failed"):
    PROVISIONING_DURATION.labels(_result)
# the failure series of every step are created where the steps are listed (services/provisioning.py)
