"""DRF authentication: `Authorization: Bearer <JWT>` valid only on its own tenant's hosts."""

from __future__ import annotations

from typing import Any

import jwt
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from lib.db import tenant_connection

from .models import User
from .tokens import decode_access_token


class JWTAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, dict[str, Any]] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            claims = decode_access_token(parts[1].decode("ascii", errors="strict"))
        except (jwt.InvalidTokenError, UnicodeDecodeError) as exc:
            raise exceptions.AuthenticationFailed("Invalid or expired token.") from exc
        if claims["sch"] != tenant_connection().schema_name:
            raise exceptions.AuthenticationFailed("This token was issued for another school.")
        try:
            user_id = int(claims["sub"])
        except (TypeError, ValueError) as exc:
            raise exceptions.AuthenticationFailed("Invalid token subject.") from exc
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed("User is inactive or does not exist.")
        return user, claims

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
