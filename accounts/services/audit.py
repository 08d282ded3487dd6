"""Append-only audit log of auth and admin actions, one per schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the ingress the first X-Forwarded-For hop is the client (the ingress overwrites it).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


def record(
    action: str,
    *,
    actor: Any = None,
    target: str = "",
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_email=getattr(actor, "email", "") if actor_id else "",
        action=action,
        target=target[:254],
        ip=client_ip(request),
        details=details,
    )
