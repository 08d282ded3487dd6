"""What one scrape returns.

gunicorn runs several worker processes and Celery's prefork pool several children; a scrape reaches
one process, which must answer for all of them. With `PROMETHEUS_MULTIPROC_DIR` set (the container
image sets it; `make run` too) every process writes its samples to memory-mapped files there and
the scrape merges the files (prometheus_client's multi-process mode). Without it (tests, a single
`runserver`) the process's own registry is the whole truth.

Values computed at scrape time (queue depth, tenants by status…) are collectors added to the
registry of that one scrape, never to the global one: they must not run in every process, and in
multi-process mode the global registry is not what gets exported anyway.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import Protocol

import prometheus_client
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

logger = logging.getLogger("ffs.metrics")

# `*_created` samples (one per labelled child) double the series count and no dashboard or rule of
# ours reads them; multi-process mode never exports them, so this also keeps both modes alike.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class ScrapePart(Protocol):
    """One group of values computed at scrape time; `name` labels its health."""

    name: str

    def collect(self) -> Iterable[Metric]: ...


class ScrapeTimeCollector:
    """Runs the scrape-time parts; one that fails (Redis or the database unreachable) is left out
    and reported as `metrics_collector_up{collector} 0` instead of failing the whole scrape, so the
    request metrics still arrive when a dependency is down."""

    def __init__(self, parts: Iterable[ScrapePart]) -> None:
        self.parts = list(parts)

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "metrics_collector_up", "1 when a scrape-time collector produced its values", labels=["collector"]
        )
        took = GaugeMetricFamily(
            "metrics_collector_duration_seconds", "Time a scrape-time collector took", labels=["collector"]
        )
        for part in self.parts:
            started = time.perf_counter()
            try:
                metrics = list(part.collect())
            except Exception as exc:  # reported as a metric; the scrape goes on
                logger.warning("metrics collector %s failed: %s: %s", part.name, type(exc).__name__, exc)
                metrics, ok = [], 0
            else:
                ok = 1
            yield from metrics
            up.add_metric([part.name], ok)
            took.add_metric([part.name], time.perf_counter() - started)
        yield up
        yield took


class _ProcessRegistry:
    """The default registry, wrapped so it can sit in a per-scrape registry next to others."""

    def collect(self) -> Iterator[Metric]:
        yield from prometheus_client.REGISTRY.collect()


def scrape_registry(extra: Iterable[Collector] = ()) -> CollectorRegistry:
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessRegistry())
    for collector in extra:
        registry.register(collector)
    return registry


def render(extra: Iterable[Collector] = ()) -> bytes:
    """The Prometheus text exposition of every process plus `extra` collectors."""
    return prometheus_client.generate_latest(scrape_registry(extra))


CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST
