"""Single-use values in the cache: one-time codes, RelayState state, invitation grants.

`take` reads and deletes; only the caller whose delete succeeded gets the value, so of two
concurrent requests presenting the same code exactly one proceeds. Keys go through the default
cache, whose key function carries the current schema: a code taken on another tenant's host finds
nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache


def take(key: str) -> Any | None:
    value = cache.get(key)
    if value is None or not cache.delete(key):
        return None
    return value
