"""Host -> tenant resolution with a two-level cache (in-process TTL + Redis), no DB per request.

Why two levels: Redis makes a change visible to every process at once (invalidation deletes the
key), and the in-process level removes even the Redis round trip for hot hosts. The price is that
another process may serve a stale answer for at most `TENANT_ROUTING_LOCAL_TTL_SECONDS` (5 s by
default) after a change; the process that made the change sees it immediately.

Only verified domains route. An unknown host is cached negatively as well, so a flood of random
hosts cannot turn into a flood of queries; adding a domain invalidates its negative entry.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches

from .models import Branding, Domain, Tenant

logger = logging.getLogger("ffs.tenants.routing")

_MISSING = "__missing__"
_lock = threading.Lock()
_local: dict[str, tuple[float, Any]] = {}


def _local_get(key: str) -> Any:
    hit = _local.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    return None


def _local_set(key: str, value: Any) -> None:
    with _lock:
        if len(_local) > 10_000:  # bounded: random hosts must not grow memory without limit
            _local.clear()
        _local[key] = (time.monotonic() + settings.TENANT_ROUTING_LOCAL_TTL_SECONDS, value)


def _public_cache_key(key: str) -> str:
    return key


# Routing keys are global (not per schema): the "routing" cache alias has no tenant key function.
def _cache_get(key: str) -> Any:
    cache = caches["routing"]
    try:
        return cache.get(_public_cache_key(key))
    except Exception:  # Redis down: routing still works from the database
        logger.warning("routing cache unavailable", exc_info=True)
        return None


def _cache_set(key: str, value: Any) -> None:
    cache = caches["routing"]
    try:
        cache.set(_public_cache_key(key), value, settings.TENANT_ROUTING_CACHE_TTL_SECONDS)
    except Exception:
        logger.warning("routing cache unavailable", exc_info=True)


def _cache_delete(key: str) -> None:
    with _lock:
        _local.pop(key, None)
    cache = caches["routing"]
    try:
        cache.delete(_public_cache_key(key))
    except Exception:
        logger.warning("routing cache unavailable", exc_info=True)


def normalize_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


def resolve_host(host: str) -> Tenant | None:
    """The tenant serving `host`, or None. Must be called with the connection on public."""
    key = f"host:{normalize_host(host)}"
    value = _local_get(key)
    if value is None:
        value = _cache_get(key)
        if value is None:
            domain = Domain.objects.select_related("tenant").filter(domain=normalize_host(host), verified=True).first()
            value = domain.tenant if domain else _MISSING
            _cache_set(key, value)
        _local_set(key, value)
    return None if value == _MISSING else value


def invalidate_host(host: str) -> None:
    _cache_delete(f"host:{normalize_host(host)}")


def invalidate_tenant(tenant_id: int) -> None:
    for host in Domain.objects.filter(tenant_id=tenant_id).values_list("domain", flat=True):
        invalidate_host(host)
    _cache_delete(f"branding:{tenant_id}")
    with _lock:
        _local.pop(f"branding-json:{tenant_id}", None)


def branding_for(tenant: Tenant) -> dict[str, Any]:
    """The public branding document for a tenant, cached like routing."""
    from .branding import branding_document

    key = f"branding:{tenant.pk}"
    value = _local_get(key)
    if value is None:
        value = _cache_get(key)
        if value is None:
            branding = Branding.objects.filter(tenant_id=tenant.pk).first()
            value = branding_document(tenant, branding)
            _cache_set(key, value)
        _local_set(key, value)
    return dict(value)


def branding_json(tenant: Tenant) -> bytes:
    """The branding document pre-encoded, kept in the in-process cache beside it."""
    key = f"branding-json:{tenant.pk}"
    value = _local_get(key)
    if value is None:
        value = json.dumps(branding_for(tenant), ensure_ascii=False).encode()
        _local_set(key, value)
    return bytes(value)


def clear_local_cache() -> None:
    with _lock:
        _local.clear()
