"""OpenID Connect relying party: authorization code flow with PKCE (S256), per tenant.

Why not social-core's OIDC backend (the identities *are* kept in social_django): its flow state,
nonces and PKCE verifier live in Django sessions and its association table, while this platform is
stateless between requests (JWT) with short-lived state in Redis — the same model as SAML's
RelayState. The checks the protocol needs are few and explicit here:

- `state`: random, its Redis entry consumed once (a replayed or forged callback finds nothing);
- PKCE: a fresh verifier per login, only its S256 challenge leaves the server;
- `nonce`: random per login, must equal the ID token's;
- ID token: signature by a key from the issuer's JWKS (RS256/ES256/PS256 only), `iss` equal to the
  issuer configured for *this tenant's* provider, `aud` containing our client id (and `azp` when
  several audiences), `exp`/`iat` with 60 s leeway, `at_hash` when present;
- discovery documents and JWKS are cached per URL (never per class or per tenant name), so two
  tenants using the same IdP share keys only when the URL is the same;
- every URL is fetched through `lib.safe_http` (no private networks unless allowed).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from django.core.cache import cache
from django.http import HttpRequest

from lib import safe_http
from lib.localcache import TTLCache

from .. import crypto
from ..models import IdentityProvider, Protocol
from . import config
from .saml import SSORefused, safe_next

STATE_TTL = 600
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
_discovery: TTLCache[dict[str, Any]] = TTLCache(ttl=3600)
_jwks: TTLCache[dict[str, Any]] = TTLCache(ttl=600)


def discovery(idp: IdentityProvider) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        document = json.loads(safe_http.fetch(idp.oidc_discovery_url, max_bytes=256 * 1024).body)
        if not isinstance(document, dict):
            raise SSORefused("discovery document is not an object", provider=idp.slug)
        return document

    try:
        return _discovery.get_or_set(idp.oidc_discovery_url, load)
    except (safe_http.FetchFailed, safe_http.UnsafeURL, ValueError) as exc:
        raise SSORefused(f"discovery unavailable: {exc}", provider=idp.slug) from exc


def _signing_keys(idp: IdentityProvider, uri: str, *, refresh: bool = False) -> dict[str, Any]:
    if refresh:
        _jwks.clear()  # a key rotation at the IdP: fetch again once

    def load() -> dict[str, Any]:
        return dict(json.loads(safe_http.fetch(uri, max_bytes=256 * 1024).body))

    try:
        return _jwks.get_or_set(uri, load)
    except (safe_http.FetchFailed, safe_http.UnsafeURL, ValueError) as exc:
        raise SSORefused(f"JWKS unavailable: {exc}", provider=idp.slug) from exc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class LoginStart:
    redirect_url: str
    state: str


def start_login(
    idp: IdentityProvider, request: HttpRequest, *, next_path: str | None, mode: str = "login"
) -> LoginStart:
    if idp.protocol != Protocol.OIDC:
        raise SSORefused("not an OIDC provider", provider=idp.slug)
    document = discovery(idp)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    cache.set(
        _state_key(state),
        {"idp": idp.pk, "nonce": nonce, "verifier": verifier, "next": safe_next(next_path), "mode": mode},
        STATE_TTL,
    )
    query = urlencode(
        {
            "response_type": "code",
            "client_id": idp.oidc_client_id,
            "redirect_uri": config.sp_urls()["oidc_redirect_uri"],
            "scope": idp.oidc_scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
    )
    endpoint = str(document.get("authorization_endpoint") or "")
    separator = "&" if "?" in endpoint else "?"
    return LoginStart(redirect_url=f"{endpoint}{separator}{query}", state=state)


def _state_key(state: str) -> str:
    return f"sso:oidc:state:{state}"


def _claim_state(state: str) -> dict[str, Any] | None:
    if not state or len(state) > 100:
        return None
    key = _state_key(state)
    value = cache.get(key)
    if value is None or not cache.delete(key):
        return None
    return dict(value)


@dataclass
class OidcIdentity:
    provider: IdentityProvider
    subject: str
    claims: dict[str, Any]
    next_path: str
    mode: str
    id_token: str = ""


def complete(request: HttpRequest) -> OidcIdentity:
    """The callback: exchange the code (with the PKCE verifier) and validate the ID token."""
    if request.GET.get("error"):
        raise SSORefused(f"IdP returned error {request.GET.get('error')!r}: {request.GET.get('error_description', '')}")
    state = _claim_state(request.GET.get("state", ""))
    if state is None:
        raise SSORefused("unknown, expired or already used state")
    idp = IdentityProvider.objects.filter(pk=state["idp"], protocol=Protocol.OIDC).first()
    if idp is None or not (idp.enabled or state["mode"] == "test"):
        raise SSORefused("provider gone or disabled")
    code = request.GET.get("code", "")
    if not code:
        raise SSORefused("callback without a code", provider=idp.slug)
    returned_iss = request.GET.get("iss")
    if returned_iss is not None and returned_iss != idp.oidc_issuer:
        raise SSORefused(f"authorization response from issuer {returned_iss!r}", provider=idp.slug)
    document = discovery(idp)
    if document.get("issuer") != idp.oidc_issuer:
        raise SSORefused("discovery issuer differs from the configured issuer", provider=idp.slug)
    secret = crypto.decrypt(idp.oidc_client_secret_encrypted)
    basic = base64.b64encode(f"{_form(idp.oidc_client_id)}:{_form(secret)}".encode()).decode()
    try:
        answer = safe_http.post_form(
            str(document["token_endpoint"]),
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": config.sp_urls()["oidc_redirect_uri"],
                "code_verifier": state["verifier"],
            },
            headers={"Authorization": f"Basic {basic}"},
        )
        tokens = json.loads(answer.body)
    except (safe_http.FetchFailed, safe_http.UnsafeURL, ValueError) as exc:
        raise SSORefused(f"token endpoint failed: {exc}", provider=idp.slug) from exc
    if answer.status != 200 or not isinstance(tokens, dict) or not tokens.get("id_token"):
        raise SSORefused(f"token endpoint answered {answer.status}: {str(tokens)[:200]}", provider=idp.slug)
    claims = validate_id_token(
        idp, str(tokens["id_token"]), state["nonce"], tokens.get("access_token"), str(document["jwks_uri"])
    )
    return OidcIdentity(
        provider=idp,
        subject=str(claims["sub"]),
        claims=claims,
        next_path=state["next"],
        mode=state["mode"],
        id_token=str(tokens["id_token"]),
    )


def _form(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def validate_id_token(
    idp: IdentityProvider, token: str, nonce: str, access_token: Any, jwks_uri: str
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SSORefused(f"malformed ID token: {exc}", provider=idp.slug) from exc
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise SSORefused(f"ID token algorithm {algorithm!r} not accepted", provider=idp.slug)
    key = _key_for(idp, jwks_uri, header.get("kid"))
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[algorithm],
            audience=idp.oidc_client_id,
            issuer=idp.oidc_issuer,
            leeway=60,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWTError as exc:
        raise SSORefused(f"invalid ID token: {type(exc).__name__}: {exc}", provider=idp.slug) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != idp.oidc_client_id:
        raise SSORefused("several audiences and azp is not our client", provider=idp.slug)
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SSORefused("nonce mismatch", provider=idp.slug)
    if "at_hash" in claims:
        if not isinstance(access_token, str):
            raise SSORefused("at_hash without an access token", provider=idp.slug)
        digest = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[str(algorithm)[-3:]](
            access_token.encode()
        ).digest()
        if not secrets.compare_digest(_b64(digest[: len(digest) // 2]), str(claims["at_hash"])):
            raise SSORefused("at_hash mismatch", provider=idp.slug)
    return dict(claims)


def _key_for(idp: IdentityProvider, jwks_uri: str, kid: str | None) -> Any:
    for refresh in (False, True):
        keys = _signing_keys(idp, jwks_uri, refresh=refresh).get("keys", [])
        for entry in keys:
            if kid is None or entry.get("kid") == kid:
                try:
                    return jwt.PyJWK(entry).key
                except jwt.PyJWTError:
                    continue
    raise SSORefused(f"no signing key {kid!r} in the issuer's JWKS", provider=idp.slug)


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
    except SSORefused:
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
