"""SAML 2.0 service provider: start a login, consume the IdP's response, with the checks that
python3-saml leaves to the application.

What python3-saml does (strict mode): XML signature validation against the IdP's certificates,
SubjectConfirmation, time conditions, InResponseTo when we pass the request id, Audience and
Destination *when present*. What this module adds, because the library does not:

- the issuer is looked up among *this tenant's* providers before anything else is trusted;
- RelayState is a random token; the state (provider, request id, where to go next) lives in Redis
  and is consumed once; without it the response is unsolicited and accepted only if the provider
  opted in to IdP-initiated login;
- Audience and Destination are required (absent is a refusal), and must name this tenant's SP;
- signed assertions are required and SHA-1 signatures and digests are refused
  (`rejectDeprecatedAlgorithm`);
- assertion ids are remembered until the later NotOnOrAfter (assertions without one are refused):
  a replayed response is refused;
- over HTTPS the RelayState works only in the browser that started the login (`browser.py`).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpRequest

from lib import single_use
from lib.errors import DomainError

from ..models import IdentityProvider, Protocol
from . import browser, config

STATE_TTL = 600
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST256 = "http://www.w3.org/2001/04/xmlenc#sha256"


class SSORefused(DomainError):
    """A login that must not proceed; `reason` is for the audit log, `message` for the person."""

    status_code = 403
    code = "sso_refused"

    def __init__(
        self, reason: str, message: str = "Sign-in through your company's identity provider failed.", provider: str = ""
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.provider = provider


def _settings_dict(idp: IdentityProvider) -> dict[str, Any]:
    sso = config.sp_settings()
    urls = config.sp_urls()
    certificates = list(idp.idp_certificates or [])
    idp_part: dict[str, Any] = {
        "entityId": idp.idp_entity_id,
        "singleSignOnService": {"url": idp.idp_sso_url, "binding": REDIRECT},
        "x509certMulti": {"signing": certificates, "encryption": certificates[:1]},
    }
    if idp.idp_slo_url:
        idp_part["singleLogoutService"] = {"url": idp.idp_slo_url, "binding": REDIRECT}
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": urls["entity_id"],
            "assertionConsumerService": {"url": urls["acs_url"], "binding": POST},
            "singleLogoutService": {"url": urls["sls_url"], "binding": REDIRECT},
            "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "x509cert": sso.sp_certificate,
            "privateKey": config.sp_private_key(sso),
        },
        "idp": idp_part,
        "security": {
            "authnRequestsSigned": True,
            "logoutRequestSigned": True,
            "logoutResponseSigned": True,
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": False,
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": SHA256,
            "digestAlgorithm": DIGEST256,
            "rejectUnsolicitedResponsesWithInResponseTo": True,
        },
    }


def saml_settings(idp: IdentityProvider) -> Any:
    from onelogin.saml2.settings import OneLogin_Saml2_Settings  # type: ignore[import-untyped]

    return OneLogin_Saml2_Settings(_settings_dict(idp))


def _request_data(request: HttpRequest) -> dict[str, Any]:
    host = request.get_host()
    return {
        "https": "on" if request.is_secure() else "off",
        "http_host": host.split(":")[0],
        "server_port": host.split(":")[1] if ":" in host else ("443" if request.is_secure() else "80"),
        "script_name": request.path,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
    }


def safe_next(value: str | None) -> str:
    """Same-host paths only: "/learning" yes; "//evil", "https://evil", "\\\\evil" no."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/learning"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/learning"
    return value


def enabled_provider(slug: str, protocol: str) -> IdentityProvider:
    idp = IdentityProvider.objects.filter(slug=slug, protocol=protocol).first()
    if idp is None or not (idp.enabled or config._is_configured(idp)):  # configured: for the connection test
        raise SSORefused("unknown or disabled provider", "This sign-in option is not available.", provider=slug)
    return idp


@dataclass
class LoginStart:
    redirect_url: str
    relay_token: str


def start_login(
    idp: IdentityProvider,
    request: HttpRequest,
    *,
    next_path: str | None,
    mode: str = "login",
    link: str | None = None,
) -> LoginStart:
    """A signed AuthnRequest (HTTP-Redirect); the RelayState is an opaque token for Redis state."""
    from onelogin.saml2.auth import OneLogin_Saml2_Auth  # type: ignore[import-untyped]

    token = secrets.token_urlsafe(24)
    auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=saml_settings(idp))
    url = auth.login(return_to=token)
    state: dict[str, Any] = {
        "idp": idp.pk,
        "request_id": auth.get_last_request_id(),
        "next": safe_next(next_path),
        "mode": mode,
        "link": (link or "")[:64],
    }
    if request.is_secure():  # the ACS POST is cross-site: only a SameSite=None; Secure cookie comes back
        state["browser"] = browser.fingerprint(browser.ensure(request))
    cache.set(_state_key(token), state, STATE_TTL)
    return LoginStart(redirect_url=url, relay_token=token)


def _state_key(token: str) -> str:
    return f"sso:saml:state:{token}"


def _claim_state(token: str) -> dict[str, Any] | None:
    """Single use: of two concurrent requests with the same token only one gets the state."""
    if not token or len(token) > 100:
        return None
    state = single_use.take(_state_key(token))
    return dict(state) if state is not None else None


@dataclass
class SamlIdentity:
    provider: IdentityProvider
    name_id: str
    attributes: dict[str, list[str]]
    session_index: str | None
    next_path: str
    mode: str
    link: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _issuer_of(saml_response_b64: str) -> str:
    """Read the Issuer before anything is trusted (a safe parse: no DTDs, no entities)."""
    from onelogin.saml2.xml_utils import OneLogin_Saml2_XML  # type: ignore[import-untyped]

    try:
        document = OneLogin_Saml2_XML.to_etree(base64.b64decode(saml_response_b64, validate=False))
    except Exception as exc:  # a malformed document is a refusal, never a 500
        raise SSORefused(f"unparseable response ({type(exc).__name__})") from exc
    issuers = OneLogin_Saml2_XML.query(document, "/samlp:Response/saml:Issuer") or OneLogin_Saml2_XML.query(
        document, "/samlp:Response/saml:Assertion/saml:Issuer"
    )
    if not issuers or not (issuers[0].text or "").strip():
        raise SSORefused("response without an issuer")
    return str(issuers[0].text).strip()


def consume_response(request: HttpRequest) -> SamlIdentity:
    from onelogin.saml2.response import OneLogin_Saml2_Response  # type: ignore[import-untyped]

    encoded = request.POST.get("SAMLResponse", "")
    if not encoded:
        raise SSORefused("no SAMLResponse in the POST")
    issuer = _issuer_of(encoded)
    idp = IdentityProvider.objects.filter(protocol=Protocol.SAML, idp_entity_id=issuer).first()
    if idp is None:
        raise SSORefused(f"issuer {issuer!r} is not an enabled provider of this company")
    state = _claim_state(request.POST.get("RelayState", ""))
    if not idp.enabled and not (state is not None and state.get("mode") == "test"):
        raise SSORefused(f"issuer {issuer!r} is not an enabled provider of this company", provider=idp.slug)
    if state is not None and state.get("idp") != idp.pk:
        raise SSORefused("RelayState belongs to another provider", provider=idp.slug)
    if state is not None and state.get("browser") and not browser.matches(request, str(state["browser"])):
        raise SSORefused("RelayState used in a browser that did not start this login", provider=idp.slug)
    if state is None and not idp.allow_idp_initiated:
        raise SSORefused("unsolicited response (IdP-initiated login is off) or RelayState reused", provider=idp.slug)
    settings = saml_settings(idp)
    try:
        response = OneLogin_Saml2_Response(settings, encoded)
        valid = response.is_valid(_request_data(request), state["request_id"] if state else None, raise_exceptions=True)
    except Exception as exc:  # every validation failure of a foreign document is a refusal
        raise SSORefused(f"invalid response: {exc}", provider=idp.slug) from exc
    if not valid:
        raise SSORefused(f"invalid response: {response.get_error()}", provider=idp.slug)
    urls = config.sp_urls()
    if urls["entity_id"] not in (response.get_audiences() or []):
        raise SSORefused("the assertion has no Audience naming this tenant", provider=idp.slug)
    destination = response.document.get("Destination")
    if destination != urls["acs_url"]:
        raise SSORefused(f"Destination {destination!r} is not this tenant's ACS", provider=idp.slug)
    if state is None and (response.document.get("InResponseTo") or _signed_in_response_to(response)):
        # the signed assertion's SubjectConfirmationData is what counts: the outer Response may be
        # unsigned, so an attacker can strip its InResponseTo to pass a solicited response off as
        # unsolicited
        raise SSORefused("a response to a request we did not make (or whose state was used)", provider=idp.slug)
    _remember_assertion(idp, response)
    return SamlIdentity(
        provider=idp,
        name_id=str(response.get_nameid() or ""),
        attributes={str(k): [str(v) for v in values] for k, values in (response.get_attributes() or {}).items()},
        session_index=response.get_session_index(),
        next_path=state["next"] if state else "/learning",
        mode=state["mode"] if state else "login",
        link=str(state.get("link") or "") if state else "",
    )


def _signed_in_response_to(response: Any) -> bool:
    nodes = response._query_assertion("/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")
    return any(node.get("InResponseTo") for node in nodes)


def _expiry(response: Any) -> float | None:
    """The later of the SubjectConfirmationData and Conditions NotOnOrAfter (signed assertion only):
    the assertion id must be remembered for as long as any part of the assertion is still valid."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils  # type: ignore[import-untyped]

    values = [
        node.get("NotOnOrAfter")
        for node in response._query_assertion("/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")
        + response._query_assertion("/saml:Conditions")
    ]
    stamps = [float(OneLogin_Saml2_Utils.parse_SAML_to_time(v)) for v in values if v]
    return max(stamps) if stamps else None


def _remember_assertion(idp: IdentityProvider, response: Any) -> None:
    assertion_id = response.get_assertion_id()
    if not assertion_id:
        raise SSORefused("assertion without an ID", provider=idp.slug)
    not_on_or_after = _expiry(response)
    if not_on_or_after is None:
        # without an end of validity the replay cache cannot know how long to remember the id
        raise SSORefused("assertion without NotOnOrAfter", provider=idp.slug)
    from onelogin.saml2.constants import OneLogin_Saml2_Constants  # type: ignore[import-untyped]

    now = datetime.now(UTC).timestamp()
    # python3-saml still accepts the assertion ALLOWED_CLOCK_DRIFT seconds after NotOnOrAfter
    ttl = int(not_on_or_after - now) + int(OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT) + 60
    if ttl > 86_400:  # an id the cache would forget while the assertion is still valid
        raise SSORefused("assertion valid for more than a day", provider=idp.slug)
    if not cache.add(f"sso:saml:assertion:{idp.pk}:{assertion_id}", 1, max(60, ttl)):
        raise SSORefused("replayed assertion", provider=idp.slug)
