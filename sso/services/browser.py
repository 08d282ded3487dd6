"""Binding a sign-in flow to the browser that started it.

A state token proves only that *some* browser started a login. Without more, an attacker can start
a login with their own IdP account and make a victim's browser finish it (login CSRF: the victim
then works inside the attacker's account), or replay a callback URL that leaked from someone else's
browser history or a proxy log. So the login start also sets a random flow cookie, and the
callback is accepted only with that cookie:

- OIDC: social-core keeps its flow "session" (state transactions, PKCE verifier, nonce) in Redis
  under this cookie (`oidc_backend.FlowStrategy`); another browser has no session at all.
- SAML: the RelayState record keeps a hash of the cookie when the login started over HTTPS. The
  IdP's POST to the ACS is a cross-site request, which carries only a `SameSite=None; Secure`
  cookie — something a browser accepts only over HTTPS. Over plain HTTP (local development only)
  SAML falls back to the single-use RelayState alone; docs/sso.md says so.

Over HTTPS the cookie is `__Host-` prefixed (no Domain, path /, Secure), so a sibling tenant
subdomain cannot plant or overwrite it.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.http import HttpRequest, HttpResponse

FLOW_TTL_SECONDS = 600
_SECURE_NAME = "__Host-ffs-sso-flow"
_PLAIN_NAME = "ffs-sso-flow"
_VALID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_NEW_ATTRIBUTE = "_sso_new_flow_cookie"


def cookie_name(request: HttpRequest) -> str:
    return _SECURE_NAME if request.is_secure() else _PLAIN_NAME


def current(request: HttpRequest) -> str | None:
    """The flow id this browser sent, if it is well-formed (never trust its shape)."""
    value = getattr(request, _NEW_ATTRIBUTE, None) or request.COOKIES.get(cookie_name(request), "")
    return value if _VALID.match(value) else None


def ensure(request: HttpRequest) -> str:
    """This browser's flow id, creating one if it has none; `attach` (re)sends the cookie, so its
    lifetime restarts with every login start, like the flow's state in Redis."""
    value = current(request) or secrets.token_urlsafe(32)
    setattr(request, _NEW_ATTRIBUTE, value)
    return value


def attach(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Send the flow cookie created during this request (if any)."""
    value = getattr(request, _NEW_ATTRIBUTE, None)
    if value:
        secure = request.is_secure()
        response.set_cookie(
            cookie_name(request),
            value,
            max_age=FLOW_TTL_SECONDS,
            path="/",
            secure=secure,
            httponly=True,
            samesite="None" if secure else "Lax",
        )
    return response


def fingerprint(flow_id: str) -> str:
    """What a state record keeps: a hash, so a Redis dump does not hand out usable cookies."""
    return hashlib.sha256(flow_id.encode()).hexdigest()


def matches(request: HttpRequest, expected_fingerprint: str) -> bool:
    flow_id = current(request)
    return flow_id is not None and secrets.compare_digest(fingerprint(flow_id), expected_fingerprint)
