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
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches

from lib.localcache import TTLCache

from .models import Branding, Domain, Tenant

logger = logging.getLogger("ffs.tenants.routing")

_MISSING = "__missing__"
# The in-process level; entries live TENANT_ROUTING_LOCAL_TTL_SECONDS (the staleness bound above).
_local: TTLCache[Any] = TTLCache(ttl=settings.TENANT_ROUTING_LOCAL_TTL_SECONDS)


# Routing keys are global (not per schema): the "routing" cache alias has no tenant key function.
def _cache_get(key: str) -> Any:
    try:
        return caches["routing"].get(key)
    except Exception:  # Redis down: routing still works from the database
        logger.warning("routing cache unavailable", exc_info=True)
        return None


def _cache_set(key: str, value: Any) -> None:
    try:
        caches["routing"].set(key, value, settings.TENANT_ROUTING_CACHE_TTL_SECONDS)
    except Exception:
        logger.warning("routing cache unavailable", exc_info=True)


def _cache_delete(key: str) -> None:
    _local.delete(key)
    try:
        caches["routing"].delete(key)
    except Exception:
        logger.warning("routing cache unavailable", exc_info=True)


def _two_level(key: str, load: Callable[[], Any]) -> Any:
    """In-process cache, else Redis, else `load()` (which fills both)."""

    def from_redis_or_load() -> Any:
        value = _cache_get(key)
        if value is None:
            value = load()
            _cache_set(key, value)
        return value

    return _local.get_or_set(key, from_redis_or_load)


def normalize_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


def resolve_host(host: str) -> Tenant | None:
    """The tenant serving `host`, or None. Must be called with the connection on public."""
    hostname = normalize_host(host)

    def load() -> Any:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname, verified=True).first()
        return domain.tenant if domain else _MISSING

    value = _two_level(f"host:{hostname}", load)
    return None if value == _MISSING else value


def invalidate_host(host: str) -> None:
    _cache_delete(f"host:{normalize_host(host)}")


def invalidate_tenant(tenant_id: int) -> None:
    for host in Domain.objects.filter(tenant_id=tenant_id).values_list("domain", flat=True):
        invalidate_host(host)
    _cache_delete(f"branding:{tenant_id}")
    _local.delete(f"branding-json:{tenant_id}")


def branding_for(tenant: Tenant) -> dict[str, Any]:
    """The public branding document for a tenant, cached like routing."""
    from .branding import branding_document

    def load() -> dict[str, Any]:
        return branding_document(tenant, Branding.objects.filter(tenant_id=tenant.pk).first())

    return dict(_two_level(f"branding:{tenant.pk}", load))


def school_name(tenant: Any) -> str:
    """The display name of a school for e-mails and certificates (a schema-only stand-in tenant,
    as in management commands, falls back to the product name)."""
    if getattr(tenant, "pk", None) is None or not hasattr(tenant, "slug"):
        return str(getattr(tenant, "name", "Fashion Factory School"))
    return str(branding_for(tenant)["display_name"])


def branding_json(tenant: Tenant) -> bytes:
    """The branding document pre-encoded, kept in the in-process cache beside it."""
    value = _local.get_or_set(
        f"branding-json:{tenant.pk}", lambda: json.dumps(branding_for(tenant), ensure_ascii=False).encode()
    )
    return bytes(value)


def clear_local_cache() -> None:
    _local.clear()
