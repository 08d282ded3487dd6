"""SAML single logout, both directions, at `/sso/saml/sls/`.

- IdP-initiated: the IdP sends a signed LogoutRequest (HTTP-Redirect); we find the person by the
  NameID the IdP gave at login (social_django link of *this* tenant), revoke every refresh token
  (all their sessions end) and answer with a signed LogoutResponse. Unsigned requests are refused:
  otherwise anyone could sign employees out.
- SP-initiated: after the SPA's logout, `/sso/saml/<slug>/logout/?code=…` (a one-time code made at
  logout, so no token travels in a URL) sends a signed LogoutRequest with the NameID and
  SessionIndex of that login; the IdP's LogoutResponse comes back here and is checked against the
  request id kept in Redis.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from accounts.models import User
from accounts.services import audit
from accounts.services.auth import revoke_all
from lib import single_use

from ..models import IdentityProvider, Protocol
from .saml import SSORefused, _request_data, saml_settings

CODE_TTL = 120


def remember_session(user: User, idp: IdentityProvider, name_id: str, session_index: str | None) -> None:
    from social_django.models import UserSocialAuth  # type: ignore[import-untyped]

    UserSocialAuth.objects.filter(user=user, provider=f"saml:{idp.slug}").update(
        extra_data={"name_id": name_id, "session_index": session_index or ""}
    )


def mark_session(pair: Any, provider_key: str) -> None:
    """Remember that this login's refresh-token family began with SSO at `provider_key`, so its
    logout (and only its) continues at the IdP; refresh rotation keeps the family."""
    from django.conf import settings

    from accounts.models import RefreshToken
    from accounts.tokens import hash_secret

    family = RefreshToken.objects.filter(token_hash=hash_secret(pair.refresh)).values_list("family", flat=True).first()
    if family is not None:
        cache.set(f"sso:family:{family}", provider_key, settings.REFRESH_TOKEN_TTL_SECONDS)


def logout_code(user: User, family: str) -> str | None:
    """At logout of an SSO-born session: where the IdP's logout continues (SAML: a one-time code
    for our SP-initiated SLO; OIDC: the provider's end-session URL). Password sessions: None."""
    from social_django.models import UserSocialAuth

    provider_key = cache.get(f"sso:family:{family}")
    if not provider_key:
        return None
    link = UserSocialAuth.objects.filter(user=user, provider=provider_key).first()
    if link is not None and link.provider.startswith("oidc:"):
        from .oidc import logout_url

        return logout_url(link)
    if link is None or not (link.extra_data or {}).get("name_id"):
        return None
    idp = IdentityProvider.objects.filter(slug=link.provider.split(":", 1)[1], protocol=Protocol.SAML).first()
    if idp is None or not idp.enabled or not idp.idp_slo_url:
        return None
    code = secrets.token_urlsafe(24)
    cache.set(f"sso:slo:code:{code}", {"idp": idp.pk, **link.extra_data}, CODE_TTL)
    return f"/sso/saml/{idp.slug}/logout/?code={code}"


def start_logout(request: HttpRequest, slug: str, code: str) -> str:
    from onelogin.saml2.auth import OneLogin_Saml2_Auth  # type: ignore[import-untyped]

    state = single_use.take(f"sso:slo:code:{code[:100]}")
    if state is None:
        raise SSORefused("logout without a valid one-time code")
    idp = IdentityProvider.objects.filter(pk=state["idp"], slug=slug).first()
    if idp is None:
        raise SSORefused("logout code for another provider")
    auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=saml_settings(idp))
    url = auth.logout(return_to="/login", name_id=state["name_id"], session_index=state["session_index"] or None)
    cache.set(f"sso:slo:request:{auth.get_last_request_id()}", idp.pk, 600)
    return str(url)


def handle(request: HttpRequest) -> str:
    """Process a LogoutRequest or LogoutResponse; returns where to send the browser."""
    from onelogin.saml2.auth import OneLogin_Saml2_Auth
    from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request  # type: ignore[import-untyped]
    from onelogin.saml2.utils import OneLogin_Saml2_Utils  # type: ignore[import-untyped]

    if "SAMLRequest" in request.GET:
        if "Signature" not in request.GET:
            raise SSORefused("unsigned LogoutRequest")
        try:
            xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(request.GET["SAMLRequest"])
            issuer = OneLogin_Saml2_Logout_Request.get_issuer(xml)
        except Exception as exc:  # a malformed message is a refusal
            raise SSORefused(f"unparseable LogoutRequest ({type(exc).__name__})") from exc
        idp = _provider(issuer)
        auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=saml_settings(idp))
        name_id = OneLogin_Saml2_Logout_Request.get_nameid(xml)
        url = auth.process_slo(keep_local_session=True)
        if auth.get_errors():
            raise SSORefused(f"invalid LogoutRequest: {auth.get_last_error_reason()}", provider=idp.slug)
        # a signed LogoutRequest captured from a URL (logs, history) must not end the person's
        # future sessions when replayed: each request id is honoured once
        request_id = str(OneLogin_Saml2_Logout_Request.get_id(xml) or "")
        if not _fresh(xml):
            # the "seen" cache below is finite: an old request must be refused on its age
            raise SSORefused("stale LogoutRequest (IssueInstant too far from now)", provider=idp.slug)
        if not request_id or not cache.add(f"sso:slo:seen:{idp.pk}:{request_id[:200]}", 1, SEEN_TTL):
            raise SSORefused("replayed LogoutRequest", provider=idp.slug)
        _sign_out(idp, name_id, request)
        return str(url or "/login")
    if "SAMLResponse" in request.GET:
        from onelogin.saml2.xml_utils import OneLogin_Saml2_XML  # type: ignore[import-untyped]

        try:
            document = OneLogin_Saml2_XML.to_etree(
                OneLogin_Saml2_Utils.decode_base64_and_inflate(request.GET["SAMLResponse"])
            )
            issuers = OneLogin_Saml2_XML.query(document, "/samlp:LogoutResponse/saml:Issuer")
            in_response_to = str(document.get("InResponseTo", ""))
        except Exception as exc:  # a malformed message is a refusal
            raise SSORefused(f"unparseable LogoutResponse ({type(exc).__name__})") from exc
        idp = _provider(issuers[0].text if issuers else "")
        key = f"sso:slo:request:{in_response_to}"
        if not in_response_to or cache.get(key) != idp.pk or not cache.delete(key):
            raise SSORefused("LogoutResponse to a request we did not send", provider=idp.slug)
        auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=saml_settings(idp))
        auth.process_slo(keep_local_session=True, request_id=in_response_to)
        if auth.get_errors():
            raise SSORefused(f"invalid LogoutResponse: {auth.get_last_error_reason()}", provider=idp.slug)
        return "/login"
    raise SSORefused("neither a LogoutRequest nor a LogoutResponse")


LOGOUT_REQUEST_MAX_AGE = 600  # seconds either side of now (clock drift included)
SEEN_TTL = 86_400  # far longer than the window above: a replay inside the window is remembered


def _now() -> float:
    return time.time()


def _fresh(xml: str | bytes) -> bool:
    """A LogoutRequest is honoured only within minutes of its IssueInstant (python3-saml checks
    NotOnOrAfter only when present, and pysaml2 for one does not send it)."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils
    from onelogin.saml2.xml_utils import OneLogin_Saml2_XML  # type: ignore[import-untyped]

    try:
        issued = OneLogin_Saml2_XML.to_etree(xml).get("IssueInstant")
        stamp = float(OneLogin_Saml2_Utils.parse_SAML_to_time(issued)) if issued else None
    except Exception:  # a malformed time is a stale request
        return False
    return stamp is not None and abs(_now() - stamp) <= LOGOUT_REQUEST_MAX_AGE


def _provider(issuer: Any) -> IdentityProvider:
    idp = IdentityProvider.objects.filter(protocol=Protocol.SAML, idp_entity_id=str(issuer or "")).first()
    if idp is None:
        raise SSORefused(f"logout from unknown issuer {issuer!r}")
    return idp


def _sign_out(idp: IdentityProvider, name_id: str, request: HttpRequest) -> None:
    from social_django.models import UserSocialAuth

    link = UserSocialAuth.objects.select_related("user").filter(provider=f"saml:{idp.slug}", uid=name_id).first()
    if link is None:
        return  # nobody here with that identity: nothing to end (and nothing to reveal)
    revoked = revoke_all(link.user)
    audit.record(
        "sso.logout",
        actor=link.user,
        target=link.user.email,
        request=request,
        provider=idp.slug,
        initiated_by="idp",
        sessions=revoked,
    )
