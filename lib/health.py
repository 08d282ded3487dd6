"""`/healthz` and `/readyz`, answered before tenant routing so they work on any host.

Kubernetes probes hit pods by IP; routing them through host resolution would make liveness depend
on the database, which is exactly what liveness must not do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

CHECK_TIMEOUT_SECONDS = 2.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    cache.get("readyz-probe")


def _timed(check: Callable[[], None]) -> dict[str, object]:
    started = time.perf_counter()
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        executor.submit(check).result(timeout=CHECK_TIMEOUT_SECONDS)
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except FutureTimeout:
        return {"ok": False, "error": "timeout"}
    except Exception as exc:  # a probe reports every failure, it never raises
        return {"ok": False, "error": type(exc).__name__}
    finally:
        executor.shutdown(wait=False)


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    # The DB check runs in this thread: Django connections are per-thread, and a worker thread's
    # connection would never be closed.
    started = time.perf_counter()
    try:
        _check_database()
        db: dict[str, object] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except Exception as exc:
        db = {"ok": False, "error": type(exc).__name__}
    checks = {"database": db, "redis": _timed(_check_redis)}
    return all(bool(c["ok"]) for c in checks.values()), checks


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            ok, checks = readiness()
            return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
        return self.get_response(request)
