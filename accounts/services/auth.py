"""Login, refresh-token rotation with reuse detection, logout, and login throttling."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lib.db import tenant_connection
from lib.errors import DomainError

from ..metrics import LOGINS
from ..models import RefreshToken, User, normalize_email
from ..tokens import hash_secret, issue_access_token, new_secret
from . import audit

logger = logging.getLogger("ffs.auth")


class InvalidCredentials(DomainError):
    status_code = 401
    code = "invalid_credentials"


class Throttled(DomainError):
    status_code = 429
    code = "throttled"


class InvalidRefresh(DomainError):
    status_code = 401
    code = "invalid_refresh_token"


@dataclass(frozen=True)
class TokenPair:
    user: User
    access: str
    access_expires_at: int
    refresh: str


def _throttle_key(email: str, ip: str | None) -> str:
    # The default cache prefixes keys with the schema: counters never cross tenants.
    return f"login-failures:{hash_secret(normalize_email(email))}:{ip or '-'}"


def _check_throttle(email: str, ip: str | None) -> None:
    state = cache.get(_throttle_key(email, ip))
    if state and state.get("locked_until", 0) > time.time():
        retry_after = int(state["locked_until"] - time.time()) + 1
        raise Throttled(
            "Too many failed sign-in attempts. Try again later.",
            headers={"Retry-After": str(retry_after)},
        )


def _register_failure(email: str, ip: str | None) -> None:
    key = _throttle_key(email, ip)
    state = cache.get(key) or {"count": 0, "locked_until": 0}
    state["count"] += 1
    if state["count"] >= settings.LOGIN_MAX_FAILURES:
        state["locked_until"] = time.time() + settings.LOGIN_LOCKOUT_SECONDS
    cache.set(key, state, settings.LOGIN_LOCKOUT_SECONDS)


def issue_pair(user: User, request: HttpRequest | None, family: object | None = None) -> TokenPair:
    tenant = tenant_connection().tenant
    access, exp = issue_access_token(
        user_id=user.pk,
        role=user.role,
        schema=tenant_connection().schema_name,
        tenant_slug=getattr(tenant, "slug", "public"),
    )
    raw = new_secret()
    kwargs: dict[str, object] = {}
    if family is not None:
        kwargs["family"] = family
    RefreshToken.objects.create(
        user=user,
        token_hash=hash_secret(raw),
        expires_at=timezone.now() + timedelta(seconds=settings.REFRESH_TOKEN_TTL_SECONDS),
        ip=audit.client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        **kwargs,
    )
    return TokenPair(user=user, access=access, access_expires_at=exp, refresh=raw)


# Policies other apps add (the sso app: "SSO required" turns password login off except for the
# designated fallback admin). A guard raises DomainError to refuse.
password_login_guards: list[Callable[[User], None]] = []


def login(request: HttpRequest, email: str, password: str) -> TokenPair:
    """Password sign-in, counted in `auth_logins_total{method="password", result}`."""
    try:
        pair = _login(request, email, password)
    except Throttled:
        LOGINS.labels("password", "throttled").inc()
        raise
    except InvalidCredentials:
        LOGINS.labels("password", "invalid_credentials").inc()
        raise
    except DomainError:  # a policy guard refused a correct password (e.g. SSO required)
        LOGINS.labels("password", "refused").inc()
        raise
    LOGINS.labels("password", "success").inc()
    return pair


def _login(request: HttpRequest, email: str, password: str) -> TokenPair:
    ip = audit.client_ip(request)
    _check_throttle(email, ip)
    user = authenticate(request, email=email, password=password)
    if user is None:
        _register_failure(email, ip)
        audit.record("auth.login_failed", target=normalize_email(email), request=request)
        raise InvalidCredentials("Wrong e-mail or password.")
    assert isinstance(user, User)
    cache.delete(_throttle_key(email, ip))
    for guard in password_login_guards:  # after the password check: refusing reveals nothing new
        guard(user)
    with transaction.atomic():
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
        audit.record("auth.login", actor=user, target=user.email, request=request, method="password")
        return issue_pair(user, request)


def refresh(request: HttpRequest, raw: str | None) -> TokenPair:
    if not raw:
        raise InvalidRefresh("No refresh token.")
    with transaction.atomic():
        token = (
            RefreshToken.objects.select_for_update().select_related("user").filter(token_hash=hash_secret(raw)).first()
        )
        if token is None:
            raise InvalidRefresh("Unknown refresh token.")
        now = timezone.now()
        if token.used_at is None and token.revoked_at is None:
            if token.expires_at <= now or not token.user.is_active:
                raise InvalidRefresh("Refresh token expired.")
            token.used_at = now
            token.save(update_fields=["used_at"])
            return issue_pair(token.user, request, family=token.family)
        # Reuse of a spent token: revoke the family; leave the block normally so that commits.
        revoked = RefreshToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=now)
        audit.record("auth.refresh_reuse", actor=token.user, target=token.user.email, request=request, revoked=revoked)
    raise InvalidRefresh("Refresh token was already used; every session of this login is revoked.")


# Called after a logout; may return a URL the browser should visit next (the sso app: the IdP's
# single logout for a SAML session).
logout_hooks: list[Callable[[User, str], str | None]] = []  # (user, refresh-token family)


def logout(request: HttpRequest, raw: str | None) -> str | None:
    """Revoke this login's refresh tokens; returns where the browser should go next, if anywhere."""
    if not raw:
        return None
    with transaction.atomic():
        token = RefreshToken.objects.select_related("user").filter(token_hash=hash_secret(raw)).first()
        if token is None:
            return None
        RefreshToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record("auth.logout", actor=token.user, target=token.user.email, request=request)
    # after the revocation has committed: a hook that fails (an IdP's discovery is down) must not
    # undo the logout — the person is signed out here whatever happens at the IdP
    for hook in logout_hooks:
        try:
            url = hook(token.user, str(token.family))
        except Exception:
            logger.exception("logout hook failed; the local logout stands")
            continue
        if url:
            return url
    return None


def revoke_all(user: User) -> int:
    return RefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
