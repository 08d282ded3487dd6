"""A small per-process TTL cache for hot, rarely changing lookups (lesson metadata, visibility).

Entries expire after `ttl` seconds, so a change made elsewhere is seen within that bound; the
tests clear every instance between tests (`clear_all`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_instances: list[TTLCache[object]] = []


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _instances.append(self)  # type: ignore[arg-type]

    def get_or_set(self, key: Hashable, load: Callable[[], V]) -> V:
        hit = self._data.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()
            self._data[key] = (now + self.ttl, value)
        return value

    def delete(self, key: Hashable) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    for cache in _instances:
        cache.clear()
