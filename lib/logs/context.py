"""What every log line is stamped with: the request id, the tenant schema and the user id.

Held in context variables, not thread locals: each gunicorn thread and each Celery task gets its own
value, and a value set for a request can never leak into the next request served by the same thread
(the middleware resets it). The request object itself is kept so the tenant and the user are read
when a line is written: the tenant router and DRF's authentication set them *during* the request,
after the request id was bound.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from django.http import HttpRequest

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META = "HTTP_X_REQUEST_ID"
# What an incoming X-Request-ID may look like: the ids proxies generate (ingress-nginx's 32 hex
# characters, UUIDs, trace-style ids) fit; anything else (too long, spaces, quotes, control
# characters that could forge log lines) is replaced by an id of our own.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

_request_id: ContextVar[str | None] = ContextVar("ffs_log_request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("ffs_log_request", default=None)
_in_task: ContextVar[bool] = ContextVar("ffs_log_in_task", default=False)


class Bound(NamedTuple):
    """Tokens to undo a `bind_*` call (always undo in a `finally`)."""

    request_id: Token[str | None]
    request: Token[HttpRequest | None] | None
    in_task: Token[bool] | None


def sanitize_request_id(value: str | None) -> str | None:
    """The incoming id if it is a sane token, else None (the caller generates one)."""
    if value and _SANE_REQUEST_ID.match(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def current_request() -> HttpRequest | None:
    return _request.get()


def bind_request(request: HttpRequest, request_id: str) -> Bound:
    return Bound(_request_id.set(request_id), _request.set(request), None)


def bind_task(request_id: str | None) -> Bound:
    """Inside a Celery task: the request id the task was queued with (kept as is when the task runs
    eagerly inside the request that queued it), and the tenant read from the task's schema."""
    return Bound(_request_id.set(request_id or _request_id.get()), None, _in_task.set(True))


def unbind(bound: Bound) -> None:
    if bound.in_task is not None:
        _in_task.reset(bound.in_task)
    if bound.request is not None:
        _request.reset(bound.request)
    _request_id.reset(bound.request_id)


def tenant() -> str | None:
    """The schema of the current request (set by tenant routing) or task (set by
    tenant-schemas-celery), or None outside both (management commands, start-up)."""
    request = _request.get()
    if request is not None:
        routed = request.__dict__.get("tenant")
        schema = getattr(routed, "schema_name", None)
        if schema is not None or not _in_task.get():
            return str(schema) if schema is not None else None
    if _in_task.get():
        try:
            from lib.db import tenant_connection

            return str(tenant_connection().schema_name)
        except Exception:  # logging must never fail because the database layer is unavailable
            return None
    return None


def user_id() -> Any:
    """The authenticated user's primary key, or None. Reads only what authentication already put
    on the request: evaluating a lazy user here would run authentication from inside logging."""
    request = _request.get()
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)
