"""OpenID Connect relying party: authorization code flow with PKCE (S256), per tenant.

The protocol is social-core's `OpenIdConnectAuth`, configured per tenant at request time
(`oidc_backend.py`); this module adds what a multi-tenant platform needs around it:

- the flow lives in Redis under the browser's flow cookie (`browser.py`): state, PKCE verifier and
  nonce are usable once and only by the browser that started the login;
- which company IdP, which page to return to and whether this is a connection test are kept in
  that flow under the state, never sent to the IdP;
- the issuer is pinned: the callback's `iss` parameter (RFC 9207) and the discovery document's
  `issuer` must equal the issuer configured for this tenant's provider before the code is used;
- refusals carry social-core's structured error (code, stage, claim), never the provider's
  free-text `error_description`, which can echo tokens or user input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

import requests
from django.http import HttpRequest
from social_core.exceptions import SocialAuthBaseException

from .. import crypto
from ..models import IdentityProvider, Protocol
from . import browser, config
from .oidc_backend import FlowStrategy, TenantOpenIdConnect, describe
from .saml import SSORefused, safe_next

_FLOW_KEY = "ffs_flow_{state}"
logger = logging.getLogger("ffs.sso")


def backend_for(idp: IdentityProvider, request: HttpRequest | None, flow_id: str | None) -> TenantOpenIdConnect:
    return TenantOpenIdConnect(FlowStrategy(request, flow_id), idp, config.sp_urls()["oidc_redirect_uri"])


def discovery(idp: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document (social-core caches it per URL)."""
    try:
        document = backend_for(idp, None, None).oidc_config()
    except (SocialAuthBaseException, requests.RequestException) as exc:
        raise SSORefused(f"discovery unavailable: {describe(exc)}", provider=idp.slug) from exc
    if not isinstance(document, dict):
        raise SSORefused("discovery document is not an object", provider=idp.slug)
    return document


@dataclass
class LoginStart:
    redirect_url: str
    state: str


def start_login(
    idp: IdentityProvider,
    request: HttpRequest,
    *,
    next_path: str | None,
    mode: str = "login",
    link: str | None = None,
) -> LoginStart:
    """The authorization URL; the caller must `browser.attach()` the flow cookie to its response."""
    if idp.protocol != Protocol.OIDC:
        raise SSORefused("not an OIDC provider", provider=idp.slug)
    _pin_issuer(idp)
    flow_id = browser.ensure(request)
    backend = backend_for(idp, request, flow_id)
    try:
        url = backend.auth_url()
    except SocialAuthBaseException as exc:
        raise SSORefused(f"login start failed: {describe(exc)}", provider=idp.slug) from exc
    state = str(_query(url).get("state", ""))
    # social-core prunes its expired transactions on each start; drop our records of those states
    # too, so a browser that loops over login starts cannot grow its flow without bound
    flow = cast(FlowStrategy, backend.strategy)
    active = flow.session_get("oidc_oauth2_transaction_index") or {}
    for key in flow.session_keys():
        if key.startswith("ffs_flow_") and key.removeprefix("ffs_flow_") not in active:
            flow.session_pop(key)
    flow.session_set(
        _FLOW_KEY.format(state=state),
        {"idp": idp.pk, "next": safe_next(next_path), "mode": mode, "link": (link or "")[:64]},
    )
    return LoginStart(redirect_url=url, state=state)


def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def _pin_issuer(idp: IdentityProvider) -> None:
    if discovery(idp).get("issuer") != idp.oidc_issuer:
        raise SSORefused("discovery issuer differs from the configured issuer", provider=idp.slug)


@dataclass
class OidcIdentity:
    provider: IdentityProvider
    subject: str
    claims: dict[str, Any]
    next_path: str
    mode: str
    id_token: str = ""
    link: str = ""


def complete(request: HttpRequest) -> OidcIdentity:
    """The callback: find this browser's flow for the state, then let social-core exchange the code
    (with the PKCE verifier) and validate the ID token."""
    state = request.GET.get("state", "")
    flow_id = browser.current(request)
    if not state or len(state) > 128 or flow_id is None:
        raise SSORefused(_error_or("unknown state, or a callback in a browser that did not start this login", request))
    strategy = FlowStrategy(request, flow_id)
    flow = strategy.session_get(_FLOW_KEY.format(state=state))
    if not isinstance(flow, dict):
        raise SSORefused(_error_or("unknown, expired or already used state", request))
    strategy.session_pop(_FLOW_KEY.format(state=state))  # single use, whatever happens next
    idp = IdentityProvider.objects.filter(pk=flow["idp"], protocol=Protocol.OIDC).first()
    if idp is None or not (idp.enabled or flow["mode"] == "test"):
        raise SSORefused("provider gone or disabled")
    if request.GET.get("error"):
        raise SSORefused(_error_or("", request), provider=idp.slug)
    returned_iss = request.GET.get("iss")
    if returned_iss is not None and returned_iss != idp.oidc_issuer:
        raise SSORefused("authorization response from another issuer", provider=idp.slug)
    _pin_issuer(idp)
    backend = TenantOpenIdConnect(strategy, idp, config.sp_urls()["oidc_redirect_uri"])
    try:
        result = cast(dict[str, Any], backend.auth_complete())
    except SocialAuthBaseException as exc:
        raise SSORefused(describe(exc), provider=idp.slug) from exc
    claims = dict(result["claims"])
    return OidcIdentity(
        provider=idp,
        subject=str(claims["sub"]),
        claims=claims,
        next_path=str(flow["next"]),
        mode=str(flow["mode"]),
        id_token=str(result["id_token"]),
        link=str(flow.get("link") or ""),
    )


def _error_or(default: str, request: HttpRequest) -> str:
    """The provider's `error` code (sanitised) when it sent one; its description is never kept."""
    import re

    error = request.GET.get("error")
    if error:
        return "IdP returned error " + re.sub(r"[^A-Za-z0-9_.-]", "", error)[:64]
    return default


def attributes(claims: dict[str, Any]) -> dict[str, list[str]]:
    """Claims as the attribute lists the mapping reads (strings and lists of strings only)."""
    result: dict[str, list[str]] = {}
    for name, value in claims.items():
        if isinstance(value, list):
            result[name] = [str(v) for v in value if isinstance(v, str | int)]
        elif isinstance(value, str | int | bool):
            result[name] = [str(value)]
    return result


def remember_session(user: Any, idp: IdentityProvider, id_token: str) -> None:
    """Keep the ID token (encrypted) as the hint for RP-initiated logout."""
    from social_django.models import UserSocialAuth  # type: ignore[import-untyped]

    UserSocialAuth.objects.filter(user=user, provider=f"oidc:{idp.slug}").update(
        extra_data={"id_token": crypto.encrypt(id_token)}
    )


def logout_url(link: Any) -> str | None:
    """RP-initiated logout at the provider, back to this host's login page afterwards."""
    from lib.db import tenant_connection
    from tenants.hosts import base_url_for

    idp = IdentityProvider.objects.filter(slug=link.provider.split(":", 1)[1], protocol=Protocol.OIDC).first()
    hint = (link.extra_data or {}).get("id_token")
    if idp is None or not idp.enabled or not hint:
        return None
    try:
        endpoint = discovery(idp).get("end_session_endpoint")
    except Exception:  # the provider is down: the local logout still happens, without the IdP's
        logger.warning("oidc: no end_session_endpoint for %s (discovery failed)", idp.slug)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": crypto.decrypt(str(hint)),
            "post_logout_redirect_uri": f"{base_url_for(tenant_connection().tenant)}/login",
            "client_id": idp.oidc_client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in str(endpoint) else '?'}{query}"
