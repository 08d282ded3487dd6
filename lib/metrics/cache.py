"""Django's Redis cache backend with metrics: hits and misses, latency and errors per operation.

django-prometheus' own Redis backends need `django-redis` (the project uses Django's built-in
client), so this wraps the built-in one and feeds django-prometheus' hit/miss counters, which
Grafana's stock Django dashboards already read, plus a latency histogram and an error counter.
The `backend` label is the cache alias's `METRICS_NAME` (`default`, `routing`), a value of the
settings: two aliases on one Redis stay apart (tenant data vs host routing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from time import perf_counter
from typing import Any

from django.core.cache.backends.redis import RedisCache
from django_prometheus.cache import metrics as cache_metrics
from prometheus_client import Counter, Histogram

OPERATION_DURATION = Histogram(
    "cache_operation_duration_seconds",
    "Time of one cache operation against Redis, by cache alias and operation",
    ["backend", "operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)
OPERATION_ERRORS = Counter(
    "cache_operation_errors_total",
    "Cache operations that raised (Redis unreachable, timeout), by cache alias and operation",
    ["backend", "operation"],
)

_MISSING = object()


class MeteredRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.metrics_name = str(params.get("METRICS_NAME", "default"))

    @contextmanager
    def _measure(self, operation: str) -> Iterator[None]:
        started = perf_counter()
        try:
            yield
        except Exception:
            OPERATION_ERRORS.labels(self.metrics_name, operation).inc()
            if operation in {"get", "get_many"}:
                cache_metrics.django_cache_get_fail_total.labels(backend=self.metrics_name).inc()
            raise
        finally:
            OPERATION_DURATION.labels(self.metrics_name, operation).observe(perf_counter() - started)

    def _count_gets(self, hits: int, misses: int) -> None:
        name = self.metrics_name
        cache_metrics.django_cache_get_total.labels(backend=name).inc(hits + misses)
        if hits:
            cache_metrics.django_cache_hits_total.labels(backend=name).inc(hits)
        if misses:
            cache_metrics.django_cache_misses_total.labels(backend=name).inc(misses)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        with self._measure("get"):
            value = super().get(key, _MISSING, version)
        hit = value is not _MISSING
        self._count_gets(int(hit), int(not hit))
        return value if hit else default

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        with self._measure("get_many"):
            found = super().get_many(keys, version)
        self._count_gets(len(found), len(keys) - len(found))
        return found

    def set(self, *args: Any, **kwargs: Any) -> None:
        with self._measure("set"):
            super().set(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        with self._measure("add"):
            return super().add(*args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        with self._measure("touch"):
            return super().touch(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        with self._measure("delete"):
            return super().delete(*args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        with self._measure("has_key"):
            return super().has_key(*args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        with self._measure("incr"):
            return super().incr(*args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[Any]:
        with self._measure("set_many"):
            return super().set_many(*args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        with self._measure("delete_many"):
            super().delete_many(*args, **kwargs)
