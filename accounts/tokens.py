"""Access tokens (JWT, HS256) and opaque secrets.

The access token names the schema it was issued in (`sch`); the authentication class refuses it
on any host that routes to another schema. The host decides the tenant, the token must agree.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from typing import Any

import jwt
from django.conf import settings

ALGORITHM = "HS256"


def issue_access_token(*, user_id: int, role: str, schema: str, tenant_slug: str) -> tuple[str, int]:
    now = int(time.time())
    exp = now + settings.ACCESS_TOKEN_TTL_SECONDS
    claims = {
        "sub": str(user_id),
        "sch": schema,
        "ten": tenant_slug,
        "role": role,
        "iat": now,
        "exp": exp,
        "jti": uuid.uuid4().hex,
        "typ": "access",
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM), exp


def decode_access_token(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(
        token,
        settings.JWT_SIGNING_KEY,
        algorithms=[ALGORITHM],
        options={"require": ["exp", "iat", "sub", "sch", "typ"]},
    )
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
