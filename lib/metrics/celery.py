"""Celery metrics: task runtime, failures and retries (signals), queue depth (scrape time), and
the metrics port of a worker.

Where a worker's metrics are read — its own port, not the web's `/metrics`: web and workers are
separate pods in Kubernetes and share no filesystem, so a shared multi-process directory only
works when everything runs on one machine. Each worker therefore serves its metrics on
`CELERY_METRICS_PORT` (off when 0) from its main process, behind the same token/allow-list check
as the web endpoint. The prefork pool's children, where tasks run, write their samples to the
worker's own `PROMETHEUS_MULTIPROC_DIR` and the main process merges them on each scrape, exactly
as gunicorn's workers do for the web. Queue depth is a property of the broker, not of a worker: it
is read once per scrape of the web endpoint (`QueueDepthCollector`), not by every worker.

Labels: `task` is a registered task name (a fixed set; anything else is `other`), `queue` a name
from `CELERY_TASK_ROUTES`/`CELERY_TASK_DEFAULT_QUEUE`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import perf_counter
from typing import Any

import redis
from celery import signals
from django.conf import settings
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

logger = logging.getLogger("ffs.metrics")

TASK_DURATION = Histogram(
    "celery_task_duration_seconds",
    "Time a task spent running in a worker (every outcome), by task",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900),
)
TASK_FAILURES = Counter(
    "celery_task_failures_total", "Task runs that raised (after retries are exhausted too)", ["task"]
)
TASK_RETRIES = Counter("celery_task_retries_total", "Task runs that asked to be retried", ["task"])

_started: dict[str, float] = {}

# Kombu's Redis transport keeps priorities 3, 6 and 9 of a queue in lists of their own.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = ("3", "6", "9")
_BROKER_TIMEOUT_SECONDS = 0.5


def task_label(task: Any) -> str:
    name = getattr(task, "name", None)
    app = getattr(task, "app", None)
    if not isinstance(name, str) or app is None or name not in app.tasks:
        return "other"
    return name


def _on_prerun(sender: Any = None, task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = perf_counter()


def _on_postrun(sender: Any = None, task_id: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id, None) if task_id else None
    if started is not None:
        TASK_DURATION.labels(task_label(sender)).observe(perf_counter() - started)


def _on_failure(sender: Any = None, **_: Any) -> None:
    TASK_FAILURES.labels(task_label(sender)).inc()


def _on_retry(sender: Any = None, **_: Any) -> None:
    TASK_RETRIES.labels(task_label(sender)).inc()


def _on_worker_ready(sender: Any = None, **_: Any) -> None:
    port = int(getattr(settings, "CELERY_METRICS_PORT", 0) or 0)
    if not port:
        return
    from .registry import multiprocess_dir

    if not multiprocess_dir():
        logger.warning(
            "CELERY_METRICS_PORT is set without PROMETHEUS_MULTIPROC_DIR: the metrics of tasks run in "
            "prefork children are not visible on the port (use --pool solo or set the directory)"
        )
    try:
        start_exporter(port, str(getattr(settings, "CELERY_METRICS_ADDRESS", "127.0.0.1")))
    except OSError as exc:  # a busy port must not stop the worker from working
        logger.error("worker metrics port %s not opened: %s", port, exc)


def _on_child_shutdown(pid: int | None = None, **_: Any) -> None:
    from .registry import multiprocess_dir

    if multiprocess_dir() and pid:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def install() -> None:
    """Connect the signal handlers (config/celery.py). Celery's signals are global, so this covers
    every app of the process; idempotent (dispatch_uid)."""
    signals.task_prerun.connect(_on_prerun, weak=False, dispatch_uid="ffs-metrics-prerun")
    signals.task_postrun.connect(_on_postrun, weak=False, dispatch_uid="ffs-metrics-postrun")
    signals.task_failure.connect(_on_failure, weak=False, dispatch_uid="ffs-metrics-failure")
    signals.task_retry.connect(_on_retry, weak=False, dispatch_uid="ffs-metrics-retry")
    signals.worker_ready.connect(_on_worker_ready, weak=False, dispatch_uid="ffs-metrics-exporter")
    signals.worker_process_shutdown.connect(_on_child_shutdown, weak=False, dispatch_uid="ffs-metrics-child")


# --- queue depth ------------------------------------------------------------------------------


def queue_names() -> list[str]:
    names = {str(settings.CELERY_TASK_DEFAULT_QUEUE)}
    for route in getattr(settings, "CELERY_TASK_ROUTES", {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(str(route["queue"]))
    return sorted(names)


@lru_cache(maxsize=4)
def _broker(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=_BROKER_TIMEOUT_SECONDS, socket_connect_timeout=_BROKER_TIMEOUT_SECONDS
    )


def queue_depths() -> dict[str, int]:
    """Messages waiting per queue (all priorities), one pipelined round trip to the broker."""
    url = str(settings.CELERY_BROKER_URL)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise RuntimeError("queue depth is read from a Redis broker only")
    queues = queue_names()
    pipe = _broker(url).pipeline(transaction=False)
    for queue in queues:
        pipe.llen(queue)
        for step in _PRIORITY_STEPS:
            pipe.llen(f"{queue}{_PRIORITY_SEPARATOR}{step}")
    lengths = pipe.execute()
    per_queue = 1 + len(_PRIORITY_STEPS)
    return {queue: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, queue in enumerate(queues)}


class QueueDepthCollector:
    name = "celery_queues"

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "celery_queue_length", "Messages waiting in the broker, by queue (read at scrape time)", labels=["queue"]
        )
        for queue, length in queue_depths().items():
            family.add_metric([queue], length)
        yield family


# --- the worker's metrics port ------------------------------------------------------------------


class _ExporterHandler(BaseHTTPRequestHandler):
    server_version = "ffs-worker-metrics"

    def do_GET(self) -> None:
        from . import access, registry

        if self.path.split("?", 1)[0] != "/metrics":
            self._send(404, json.dumps({"error": {"code": "not_found", "message": "Not found."}}).encode())
            return
        meta = {key: self.headers.get(key[5:].replace("_", "-")) for key in access.PROXY_HEADERS}
        verdict = access.check(self.headers.get("Authorization"), self.client_address[0], meta)
        if not verdict.allowed:
            body = {"error": {"code": verdict.code, "message": verdict.message}}
            self._send(verdict.status, json.dumps(body).encode())
            return
        self._send(200, registry.render(), registry.CONTENT_TYPE)

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every 30 s are not worth a log line each."""


def start_exporter(port: int, address: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, port), _ExporterHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    logger.info("worker metrics on %s:%s/metrics", address or "*", server.server_address[1])
    return server
