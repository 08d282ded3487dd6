"""Secrets at rest (SP private keys, OIDC client secrets): Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from `SSO_ENCRYPTION_KEYS` (comma-separated Fernet keys, newest first: rotation is adding
a key in front, `manage.py rotate_sso_secrets`, then dropping the old one). Without it a key is derived from SECRET_KEY
with HKDF, so development works out of the box; production sets its own keys (docs/sso.md).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(RuntimeError):
    """A stored secret cannot be decrypted with the configured keys (a key was dropped too early)."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ffs-sso", info=b"secrets-at-rest").derive(
        secret_key.encode()
    )
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def _current() -> MultiFernet:
    raw = str(getattr(settings, "SSO_ENCRYPTION_KEYS", "") or "")
    return _fernet(tuple(k.strip() for k in raw.split(",") if k.strip()), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode() if plaintext else ""


def rotate(token: str) -> str:
    """The same secret encrypted with the newest key (MultiFernet.rotate), for key rotation."""
    if not token:
        return ""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("a stored SSO secret cannot be decrypted with the configured keys") from exc


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("a stored SSO secret cannot be decrypted with the configured keys") from exc
