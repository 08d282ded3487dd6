"""Bearer-JWT authentication, valid only on its own tenant's hosts.

`authenticate_bearer` is the one implementation; the DRF class wraps it, and the few plain Django
views on hot paths (progress heartbeats) call it directly.
"""

from __future__ import annotations

from typing import Any

import jwt
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from lib.db import tenant_connection
from lib.localcache import TTLCache

from .models import User
from .tokens import decode_access_token

# Hot paths (heartbeats) may reuse a user row for a few seconds: deactivation then applies within
# that bound there (tokens live ten minutes anyway); every other endpoint reads the row each time.
_recent_users: TTLCache[User | None] = TTLCache(ttl=5)


def authenticate_bearer(request: HttpRequest, *, cached: bool = False) -> tuple[User, dict[str, Any]] | None:
    """The user of `Authorization: Bearer <JWT>`, None without that header; raises
    AuthenticationFailed for a bad, expired or foreign token or an inactive user."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if not parts or parts[0].lower() != "bearer":
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed("Malformed Authorization header.")
    try:
        claims = decode_access_token(parts[1])
    except jwt.InvalidTokenError as exc:
        raise exceptions.AuthenticationFailed("Invalid or expired token.") from exc
    if claims["sch"] != tenant_connection().schema_name:
        raise exceptions.AuthenticationFailed("This token was issued for another school.")
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError) as exc:
        raise exceptions.AuthenticationFailed("Invalid token subject.") from exc
    schema = tenant_connection().schema_name

    def load() -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()

    user = _recent_users.get_or_set((schema, user_id), load) if cached else load()
    if user is None:
        raise exceptions.AuthenticationFailed("User is inactive or does not exist.")
    return user, claims


class JWTAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, dict[str, Any]] | None:
        return authenticate_bearer(request._request)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
