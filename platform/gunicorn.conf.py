"""gunicorn settings shared by `make run`, the Docker image and the benchmarks."""

import multiprocessing
import os
from typing import Any

workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycling guards against slow leaks; with preload_app a recycled worker is a cheap fork, not a
# full Django start (measured: recycling every 2000 requests without preload cost 60 % of throughput).
preload_app = True
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
accesslog = os.environ.get("WEB_ACCESS_LOG", None)
# Off by default: the application writes its own access line (docs/logging.md). When WEB_ACCESS_LOG
# turns gunicorn's on, it leaves out the query string, the referer and the user agent (secrets ride
# in query strings: one-time codes, OIDC `code`).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def pre_fork(server: object, worker: object) -> None:
    """Move the preloaded application's objects out of the garbage collector's view: full
    collections in workers then scan only per-request objects (and pages stay shared)."""
    import gc

    gc.freeze()


def child_exit(server: object, worker: Any) -> None:
    """prometheus_client multi-process mode: drop the exited worker's live-gauge files so the next
    scrape does not report a dead process (counters and histograms stay: they are cumulative)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
