"""social-core's OpenID Connect backend, configured per tenant at request time.

The protocol work — state transactions, PKCE (S256), nonce bound to the browser's flow, the code
exchange, ID-token validation (signature from the issuer's JWKS, iss, aud, azp, exp/iat, nonce,
at_hash) and discovery/JWKS caching per URL — is social-core's (≥ 6.1 caches per URL, never per
backend class, so tenant A's keys are never handed to tenant B). This module adapts it to a
multi-tenant, session-less platform:

- `TenantOpenIdConnect.setting()` answers from the current tenant's `IdentityProvider` row instead
  of Django settings: one backend class serves every company's IdP.
- `request()` goes through `lib.safe_http` (resolved-address pinning, no private networks unless
  allowed, size and time limits): the discovery URL was typed by a tenant admin.
- `do_auth()` stops after validation and returns the claims: accounts are created or linked by
  `signin.sign_in` (the corporate directory's rules: seats, roles, linking guards), not by
  social-core's pipeline.
- `FlowStrategy` keeps social-core's "session" in Redis under the browser's flow cookie
  (`browser.py`), so the flow works without Django sessions and only in the browser that began it.
"""

from __future__ import annotations

import json as jsonlib
import re
from typing import Any
from urllib.parse import quote, urlencode

import requests
from django.core.cache import cache
from django.http import HttpRequest
from social_core.backends.open_id_connect import OpenIdConnectAuth
from social_core.exceptions import ErrorStage
from social_core.strategy import BaseStrategy
from social_core.utils import http_error
from social_django.models import DjangoStorage  # type: ignore[import-untyped]
from social_django.strategy import DjangoStrategy  # type: ignore[import-untyped]

from lib import safe_http

from .. import crypto
from ..models import IdentityProvider
from . import browser

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "ES256", "ES384"]
_SAFE_TOKEN = re.compile(r"[^A-Za-z0-9_.:-]")


class FlowStrategy(DjangoStrategy):  # type: ignore[misc]
    """social_django's strategy with its session in Redis under a flow id (no Django sessions).

    Each write is stored at once (the flow is a handful of small keys); the entry expires with
    the flow. Without a flow id (discovery for logout URLs) the session is a throwaway dict.
    """

    def __init__(self, request: HttpRequest | None, flow_id: str | None) -> None:
        # DjangoStrategy.__init__ would read request.session, which this platform does not have
        BaseStrategy.__init__(self, DjangoStorage, None)
        self.request = request
        # keyed by a hash: a Redis dump does not hand out usable flow cookies
        self._key = f"sso:oidc:flow:{browser.fingerprint(flow_id)}" if flow_id else None
        stored = cache.get(self._key) if self._key else None
        self._data: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}

    def _save(self) -> None:
        if self._key:
            cache.set(self._key, self._data, browser.FLOW_TTL_SECONDS)

    def session_get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def session_set(self, name: str, value: Any) -> None:
        self._data[name] = value
        self._save()

    def session_pop(self, name: str) -> Any:
        value = self._data.pop(name, None)
        self._save()
        return value

    def session_keys(self) -> list[str]:
        return list(self._data)

    def session_setdefault(self, name: str, value: Any) -> Any:
        if name not in self._data:
            self.session_set(name, value)
        return self._data[name]

    def get_setting(self, name: str) -> Any:
        # every backend setting comes from the tenant's row (TenantOpenIdConnect.setting); the
        # strategy's own look-ups (e.g. SOCIAL_AUTH_REDIRECT_IS_HTTPS) fall back to defaults
        raise AttributeError(name)


class TenantOpenIdConnect(OpenIdConnectAuth[Any]):
    name = "oidc"
    USE_NONCE = True

    def __init__(self, strategy: FlowStrategy, idp: IdentityProvider, redirect_uri: str) -> None:
        self.idp = idp
        super().__init__(strategy, redirect_uri=redirect_uri)

    def setting(self, name: str, default: Any = None) -> Any:
        idp = self.idp
        values: dict[str, Any] = {
            "KEY": idp.oidc_client_id,
            "SCOPE": idp.oidc_scopes.split(),
            "IGNORE_DEFAULT_SCOPE": True,
            "USE_PKCE": True,
            "PKCE_CODE_CHALLENGE_METHOD": "S256",
            "PKCE_CODE_VERIFIER_LENGTH": 64,
            "ID_TOKEN_ISSUER": idp.oidc_issuer,
            "JWT_ALGORITHMS": ALGORITHMS,
            "JWT_LEEWAY": 60,
            "TOKEN_ENDPOINT_AUTH_METHOD": "client_secret_basic",
            "STATE_LIFETIME": browser.FLOW_TTL_SECONDS,
            "REQUESTS_TIMEOUT": safe_http.DEFAULT_TIMEOUT,
        }
        if name == "SECRET":
            return crypto.decrypt(idp.oidc_client_secret_encrypted) if idp.oidc_client_secret_encrypted else ""
        return values.get(name, default)

    def oidc_config_url(self) -> str:
        return str(self.idp.oidc_discovery_url)

    def oidc_endpoint(self) -> str:
        return str(self.idp.oidc_issuer)

    def request(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Any = None,
        data: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        auth: Any = None,
        params: dict[str, Any] | None = None,
        timeout: float | None = None,
        stage: ErrorStage = "user_info",
    ) -> requests.Response:
        """social-core's HTTP calls, made through the SSRF-safe client and returned as a Response."""
        from social_core.exceptions import AuthProviderError

        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        sent = {str(k): v.decode() if isinstance(v, bytes) else str(v) for k, v in dict(headers or {}).items()}
        if isinstance(auth, tuple):
            # RFC 6749 §2.3.1: form-encode id and secret before Basic (a secret with "+", "%" or
            # ":" otherwise fails at spec-compliant providers)
            sent["Authorization"] = requests.auth._basic_auth_str(quote(auth[0], safe=""), quote(auth[1], safe=""))
        try:
            if method == "POST":
                body = urlencode(data or {}).encode() if json is None else jsonlib.dumps(json).encode()
                sent.setdefault(
                    "Content-Type", "application/json" if json is not None else "application/x-www-form-urlencoded"
                )
                fetched = safe_http.request("POST", url, body=body, headers=sent)
            else:
                fetched = safe_http.request("GET", url, headers=sent)
        except safe_http.UnsafeURL as exc:
            raise AuthProviderError(self, "unsafe URL", code="http_error", stage=stage) from exc
        except safe_http.FetchFailed as exc:
            raise AuthProviderError(self, "unreachable", code="unavailable", stage=stage) from exc
        response = requests.Response()
        response.status_code = fetched.status
        response._content = fetched.body
        response.headers["Content-Type"] = fetched.content_type
        response.url = url
        try:
            response.raise_for_status()
        except requests.HTTPError as exc:  # social-core's own classification, outside auth_complete too
            raise http_error(self, exc, stage=stage) from exc
        return response

    def do_auth(self, access_token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Stop after validation: the platform's own sign-in service links or creates the person."""
        response = kwargs.get("response") or {}
        return {"claims": dict(self.id_token or {}), "id_token": str(response.get("id_token", ""))}


def describe(exc: Exception) -> str:
    """A refusal reason for the audit log: social-core's structured code, stage and claim, never
    the provider's free-text description (which can echo tokens or user input)."""
    stage = getattr(exc, "stage", "unknown")
    code = getattr(exc, "code", type(exc).__name__)
    claim = getattr(exc, "claim", None)
    provider_code = getattr(exc, "provider_code", None)
    readable = {
        "token_exchange": "token endpoint refused the code",
        "token_validation": "ID token invalid",
        "callback": "callback invalid",
        "begin": "could not start",
    }.get(str(stage), str(stage))
    parts = [f"{readable} ({code})"]
    if claim:
        parts.append("claim " + {"iss": "iss (issuer)", "aud": "aud (audience)"}.get(str(claim), str(claim)))
    if provider_code:
        parts.append("provider error " + _SAFE_TOKEN.sub("", str(provider_code))[:64])
    status = getattr(exc, "status_code", None)
    if status:
        parts.append(f"HTTP {int(status)}")
    # never `exc.detail`: it is the provider's error_description or a JWT library message, which
    # can echo codes, tokens or addresses
    return "; ".join(parts)
