"""`/healthz` and `/readyz`, answered before tenant routing so they work on any host.

Kubernetes probes hit pods by IP; routing them through host resolution would make liveness depend
on the database, which is exactly what liveness must not do.

`/readyz` checks PostgreSQL, Redis and object storage, concurrently, each under its own timeout, so
the answer comes within the slowest timeout (2 s) — inside the probe's own timeout (Helm: 5 s) even
when every dependency hangs. The body names each check and why it failed; 503 when any did.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Literal, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

logger = logging.getLogger("ffs.health")

# Seconds each check may take. Monkeypatched by tests; a failing dependency costs at most this much.
CHECK_TIMEOUT_SECONDS: dict[str, float] = {"database": 2.0, "redis": 2.0, "storage": 2.0}


def _check_database() -> None:
    # Runs in a worker thread (for its timeout): the thread's own connection is closed here, or it
    # would stay open until the process ends. A new connection per probe (every 10 s) is cheap.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def _check_redis() -> None:
    cache.get("readyz-probe")


@functools.lru_cache(maxsize=4)
def _storage_client(pid: int, endpoint: str | None, region: str, addressing_style: str, timeout: float) -> S3Client:
    """A client of its own for the probe: short connect/read timeouts and no retries (the media
    client retries, which a probe must not). Cached per process: building one takes ~50 ms."""
    import boto3
    from botocore.config import Config

    del pid  # cache key only: a forked worker builds its own client
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=settings.S3_ACCESS_KEY_ID,
        aws_secret_access_key=settings.S3_SECRET_ACCESS_KEY,
        region_name=region,
        config=Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": 1},
            s3={"addressing_style": cast('Literal["auto", "virtual", "path"]', addressing_style)},
        ),
    )


def _check_storage() -> None:
    """HEAD on the media bucket: the endpoint answers and our credentials may use the bucket."""
    bucket = settings.S3_BUCKET_MEDIA
    if not bucket:
        raise LookupError("S3_BUCKET_MEDIA is not set")
    client = _storage_client(
        os.getpid(),
        settings.S3_ENDPOINT_URL,
        settings.S3_REGION,
        settings.S3_ADDRESSING_STYLE,
        CHECK_TIMEOUT_SECONDS["storage"],
    )
    client.head_bucket(Bucket=bucket)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "redis": _check_redis,
    "storage": _check_storage,
}


def _error_name(exc: BaseException) -> str:
    """The exception class, with S3's error code when there is one (`ClientError 404`: no bucket)."""
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


def _timed(check: Callable[[], None]) -> float:
    started = time.perf_counter()
    check()
    return round((time.perf_counter() - started) * 1000, 1)


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    started = time.perf_counter()
    executor = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    try:
        # each check in a copy of this context: its log lines keep the probe's request id
        futures = {
            name: executor.submit(contextvars.copy_context().run, _timed, check) for name, check in CHECKS.items()
        }
        results: dict[str, dict[str, object]] = {}
        for name, future in futures.items():
            timeout = CHECK_TIMEOUT_SECONDS[name]
            try:
                ms = future.result(timeout=max(0.0, started + timeout - time.perf_counter()))
                results[name] = {"ok": True, "ms": ms}
            except FutureTimeout:
                results[name] = {"ok": False, "error": "timeout", "timeout_s": timeout}
            except Exception as exc:  # a probe reports every failure, it never raises
                results[name] = {"ok": False, "error": _error_name(exc)}
    finally:
        executor.shutdown(wait=False)  # a hung check's thread ends when its call returns or fails
    ok = all(bool(result["ok"]) for result in results.values())
    if not ok:
        failed = ", ".join(f"{name} ({result['error']})" for name, result in results.items() if not result["ok"])
        logger.warning("not ready: %s", failed)
    return ok, results


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
