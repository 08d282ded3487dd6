"""Browser endpoints of SSO: SP metadata (public, per tenant host, signed with the tenant's SP key),
SAML login start and assertion consumer, and the refusal page."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.services import audit, auth
from lib.db import tenant_connection
from lib.errors import json_error

from .metrics import LATENCY, LOGINS
from .services import browser, config, oidc, saml, signin, slo

logger = logging.getLogger("ffs.sso")


@require_GET
def saml_metadata(request: HttpRequest) -> HttpResponse:
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    from onelogin.saml2.metadata import OneLogin_Saml2_Metadata  # type: ignore[import-untyped]
    from onelogin.saml2.settings import OneLogin_Saml2_Settings  # type: ignore[import-untyped]

    sso = config.sp_settings()
    urls = config.sp_urls()
    key = config.sp_private_key(sso)
    settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "sp": {
                "entityId": urls["entity_id"],
                "assertionConsumerService": {
                    "url": urls["acs_url"],
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "singleLogoutService": {
                    "url": urls["sls_url"],
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                "x509cert": sso.sp_certificate,
                "privateKey": key,
            },
            "security": {
                "authnRequestsSigned": True,
                "logoutRequestSigned": True,
                "logoutResponseSigned": True,
                "wantAssertionsSigned": True,
                "signMetadata": False,
                "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
            },
        },
        sp_validation_only=True,
    )
    metadata = settings.get_sp_metadata()
    signed = OneLogin_Saml2_Metadata.sign_metadata(
        metadata,
        key,
        sso.sp_certificate,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmlenc#sha256",
    )
    body = signed if isinstance(signed, bytes) else str(signed).encode()
    return HttpResponse(body, content_type="application/samlmetadata+xml")


def refusal_page(request: HttpRequest, exc: saml.SSORefused, protocol: str) -> HttpResponse:
    """A clear page with a reference id; the reason goes to the audit log (never to the page)."""
    reference = uuid.uuid4().hex[:12]
    audit.record(
        "sso.login_refused",
        target=exc.provider or protocol,
        request=request,
        reference=reference,
        reason=exc.reason[:500],
        protocol=protocol,
    )
    logger.warning("sso refused [%s] %s: %s", reference, exc.provider or protocol, exc.reason)
    LOGINS.labels(protocol, "refused").inc()
    response = render(request, "sso/error.html", {"message": exc.message, "reference": reference}, status=403)
    response["Cache-Control"] = "no-store"
    return response


def _too_many_starts(request: HttpRequest) -> bool:
    """Each login start writes flow state (Redis) and a nonce (database): a loop from one address
    must not fill them. Counted per client address and tenant (the cache is per schema)."""
    from django.conf import settings
    from django.core.cache import cache

    key = f"sso:starts:{audit.client_ip(request) or 'unknown'}"
    cache.add(key, 0, 60)
    try:
        return int(cache.incr(key)) > settings.SSO_LOGIN_STARTS_PER_MINUTE
    except ValueError:  # expired between add and incr
        return False


def _primary_host_redirect(request: HttpRequest) -> HttpResponse | None:
    """Logins start on the tenant's primary host: the IdP returns to the primary host's ACS or
    callback, and the flow cookie only exists on the host that set it."""
    from urllib.parse import urlsplit

    from tenants.hosts import base_url_for

    base = base_url_for(tenant_connection().tenant)
    primary = urlsplit(base).netloc.lower()
    current = request.get_host().lower()
    if current == primary or current.split(":")[0] == primary:  # tests and proxies may drop the port
        return None
    return HttpResponseRedirect(f"{base}{request.get_full_path()}")


def _start(request: HttpRequest, slug: str, protocol: str) -> HttpResponse:
    """A login (or connection test) start for either protocol: checks, then the IdP redirect."""
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    primary = _primary_host_redirect(request)
    if primary is not None:
        return primary
    if _too_many_starts(request):
        response = render(
            request,
            "sso/error.html",
            {"message": "Too many sign-in attempts; wait a minute and try again.", "reference": "-"},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    try:
        idp = saml.enabled_provider(slug, protocol)
        mode = "login"
        if request.GET.get("test"):
            if not config.claim_test_code(request.GET["test"], idp):
                raise saml.SSORefused("connection test without a valid one-time code", provider=slug)
            mode = "test"
        elif not idp.enabled:
            raise saml.SSORefused("provider not enabled", "This sign-in option is not available.", provider=slug)
        module = saml if protocol == "saml" else oidc
        start = module.start_login(
            idp, request, next_path=request.GET.get("next"), mode=mode, link=request.GET.get("link")
        )
    except saml.SSORefused as exc:
        return refusal_page(request, exc, protocol)
    return browser.attach(HttpResponseRedirect(start.redirect_url), request)


@require_GET
def saml_login(request: HttpRequest, slug: str) -> HttpResponse:
    return _start(request, slug, "saml")


@csrf_exempt
@require_POST
def saml_acs(request: HttpRequest) -> HttpResponse:
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    with LATENCY.labels("saml").time():
        return _saml_acs(request)


def _saml_acs(request: HttpRequest) -> HttpResponse:
    try:
        identity = saml.consume_response(request)
        external = signin.ExternalIdentity(
            identity.provider, identity.name_id, identity.attributes, invitation_grant=identity.link
        )
        return _finish(
            request,
            "saml",
            external,
            mode=identity.mode,
            next_path=identity.next_path,
            remember=lambda user: slo.remember_session(
                user, identity.provider, identity.name_id, identity.session_index
            ),
        )
    except saml.SSORefused as exc:
        return refusal_page(request, exc, "saml")


def _finish(
    request: HttpRequest,
    protocol: str,
    external: signin.ExternalIdentity,
    *,
    mode: str,
    next_path: str,
    remember: Callable[[Any], None],
) -> HttpResponse:
    """After a verified response of either protocol: the connection-test page, or sign-in, the
    protocol's logout bookkeeping (`remember`) and the redirect with the refresh cookie."""
    if mode == "test":
        audit.record("sso.connection_tested", target=external.provider.slug, request=request)
        return render(
            request,
            "sso/test_result.html",
            {
                "provider": external.provider.name,
                "subject": external.subject,
                "attributes": sorted(external.attributes.items()),
                "mapped": sorted(signin.mapped(external).items()),
            },
        )
    pair = signin.sign_in(external, request)
    remember(pair.user)
    slo.mark_session(pair, signin.provider_key(external.provider))
    LOGINS.labels(protocol, "success").inc()
    return signed_in_redirect(pair, next_path)


@require_GET
def oidc_login(request: HttpRequest, slug: str) -> HttpResponse:
    return _start(request, slug, "oidc")


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    with LATENCY.labels("oidc").time():
        return _oidc_callback(request)


def _oidc_callback(request: HttpRequest) -> HttpResponse:
    try:
        identity = oidc.complete(request)
        external = signin.ExternalIdentity(
            identity.provider, identity.subject, oidc.attributes(identity.claims), invitation_grant=identity.link
        )
        return _finish(
            request,
            "oidc",
            external,
            mode=identity.mode,
            next_path=identity.next_path,
            remember=lambda user: oidc.remember_session(user, identity.provider, identity.id_token),
        )
    except saml.SSORefused as exc:
        return refusal_page(request, exc, "oidc")


def signed_in_redirect(pair: auth.TokenPair, next_path: str) -> HttpResponse:
    """Back to the SPA with the refresh cookie a password login sets; the SPA's silent refresh
    then gets the access token, exactly as after a page reload."""
    from django.conf import settings

    from accounts.api.views import REFRESH_COOKIE_PATH

    response = HttpResponseRedirect(next_path)
    response.status_code = 303
    response.set_cookie(
        settings.REFRESH_COOKIE_NAME,
        pair.refresh,
        max_age=settings.REFRESH_TOKEN_TTL_SECONDS,
        path=REFRESH_COOKIE_PATH,
        secure=settings.REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def saml_logout(request: HttpRequest, slug: str) -> HttpResponse:
    """SP-initiated single logout (the SPA comes here after its own logout, with a one-time code)."""
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    try:
        return HttpResponseRedirect(slo.start_logout(request, slug, request.GET.get("code", "")))
    except saml.SSORefused as exc:
        return refusal_page(request, exc, "saml")


@require_GET
def saml_sls(request: HttpRequest) -> HttpResponse:
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    try:
        return HttpResponseRedirect(slo.handle(request))
    except saml.SSORefused as exc:
        return refusal_page(request, exc, "saml")
