"""Active learners: distinct learners whose player sent a progress heartbeat in the last 15 minutes.

Counting from the database would mean one query per tenant schema per scrape; instead each
heartbeat marks `schema:user` in a Redis sorted set (score = time), and a scrape trims entries older
than the window and counts the rest (`learners_active{kind}`, lib/metrics/business.py). The
heartbeat is the hottest endpoint, so a process marks a learner at most once per `MARK_EVERY`
seconds (in-process memo) and a Redis failure is swallowed: metrics never fail a heartbeat.
Each mark also trims the set, so its size is bounded by the learners active within the window.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import redis
from django.conf import settings

from lib.localcache import TTLCache

logger = logging.getLogger("ffs.metrics")

WINDOW_SECONDS = 15 * 60
MARK_EVERY = 60.0
KINDS = ("public", "corporate")
_TIMEOUT_SECONDS = 0.25

_marked: TTLCache[bool] = TTLCache(ttl=MARK_EVERY, max_entries=100_000)


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    """The cache's Redis (tests point it at their own database), with short timeouts."""
    location = str(settings.CACHES["default"]["LOCATION"])
    return redis.Redis.from_url(
        location, socket_timeout=_TIMEOUT_SECONDS, socket_connect_timeout=_TIMEOUT_SECONDS, health_check_interval=30
    )


def _key(kind: str) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:metrics:learners-active:{kind}"


def kind_of(schema: str) -> str:
    return "public" if schema == settings.PUBLIC_SCHEMA_NAME else "corporate"


def _mark(schema: str, user_id: int) -> bool:
    key, now = _key(kind_of(schema)), time.time()
    try:
        # one round trip; trimming here too keeps the set bounded even when nobody scrapes
        pipe = _client().pipeline(transaction=False)
        pipe.zadd(key, {f"{schema}:{user_id}": now})
        pipe.zremrangebyscore(key, "-inf", now - WINDOW_SECONDS)
        pipe.expire(key, 2 * WINDOW_SECONDS)
        pipe.execute()
    except redis.RedisError as exc:
        logger.debug("active-learner mark skipped: %s", exc)
    return True


def mark_active(schema: str, user_id: int) -> None:
    """Called after every accepted heartbeat; costs a dictionary lookup most of the time."""
    _marked.get_or_set((schema, user_id), lambda: _mark(schema, user_id))


def count_active(now: float | None = None) -> dict[str, int]:
    """Learners active within the window, by tenant kind. Raises `redis.RedisError` when Redis is
    unreachable (the collector reports that instead of a wrong zero)."""
    cutoff = (now if now is not None else time.time()) - WINDOW_SECONDS
    pipe = _client().pipeline(transaction=False)
    for kind in KINDS:
        pipe.zremrangebyscore(_key(kind), "-inf", cutoff)
        pipe.zcard(_key(kind))
    results = pipe.execute()
    return {kind: int(results[2 * index + 1]) for index, kind in enumerate(KINDS)}
