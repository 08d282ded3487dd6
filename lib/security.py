"""Content-Security-Policy (django-csp 4): the platform's base policy and the per-tenant Metrika part.

The base policy fits the SPA as built by Vite: one module script and one stylesheet from the static
URL (a CDN when `STATIC_URL` is absolute), no inline script, no eval. Browsers load media and send
uploads straight to object storage with presigned URLs, so the storage origin is allowed for images,
media and `connect-src`; public assets (logos, covers) come from `MEDIA_URL` (a CDN in production).
Server-rendered pages with a `<style>` block (SSO pages, routing refusals) carry the request's nonce.

Yandex.Metrika is allowed only on the hosts of tenants whose branding has a counter id:
`TenantContentSecurityPolicyMiddleware`, placed after tenant routing, extends the policy of that
tenant's HTML responses. See docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase

# Metrika's tag (script), hits and pixels (connect, img) and Webvisor (frames; Webvisor also frames
# blob: documents its own script creates) on both of Yandex's domains.
METRIKA_ORIGINS = ("https://mc.yandex.ru", "https://mc.yandex.com")
METRIKA_DIRECTIVES: dict[str, list[str]] = {
    "script-src": list(METRIKA_ORIGINS),
    "img-src": list(METRIKA_ORIGINS),
    "connect-src": list(METRIKA_ORIGINS),
    "frame-src": ["blob:", *METRIKA_ORIGINS],
}


def origin_of(url: str | None) -> str | None:
    """`scheme://host[:port]` of an absolute URL; None for a relative one (same origin)."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def storage_origins(
    endpoint_url: str | None, buckets: Iterable[str | None], addressing_style: str, region: str
) -> list[str]:
    """Origins presigned URLs point at. Path-style addressing uses the endpoint itself; virtual
    (and auto) addressing puts the bucket in the host name. Without an endpoint: AWS S3."""
    names = [bucket for bucket in buckets if bucket]
    endpoint = origin_of(endpoint_url)
    if endpoint is None:
        hosts = [f"s3.{region}.amazonaws.com"]
        hosts += [f"{bucket}.s3.amazonaws.com" for bucket in names]
        hosts += [f"{bucket}.s3.{region}.amazonaws.com" for bucket in names]
        return [f"https://{host}" for host in hosts]
    origins = [endpoint]
    if addressing_style in {"virtual", "auto"}:
        scheme, _, host = endpoint.partition("://")
        origins += [f"{scheme}://{bucket}.{host}" for bucket in names]
    return origins


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def base_policy(*, static_url: str, media_url: str, storage: Sequence[str], production: bool) -> dict[str, Any]:
    """The `CONTENT_SECURITY_POLICY` setting (django-csp 4 format)."""
    static = origin_of(static_url)
    media = origin_of(media_url)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": _unique([SELF, static]),
            "style-src": [*_unique([SELF, static]), NONCE],
            # data: for the blank favicon the SPA sets (`data:,`) and small inline images in CSS
            "img-src": _unique([SELF, "data:", static, media, *storage]),
            "media-src": _unique([SELF, *storage]),
            "font-src": _unique([SELF, static]),
            "connect-src": _unique([SELF, *storage]),
            "frame-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "upgrade-insecure-requests": production,
        }
    }


def metrika_enabled(tenant: Any) -> bool:
    """Whether the tenant's branding has a Yandex.Metrika counter id (from the routing cache: no
    query per request)."""
    from tenants.routing import branding_for

    return bool(branding_for(tenant).get("metrika_id"))


def add_to_policy(response: HttpResponseBase, directives: dict[str, list[str]]) -> None:
    """Extend the policy of one response (django-csp 4 reads `response._csp_update`)."""
    update: dict[str, list[str]] = dict(getattr(response, "_csp_update", None) or {})
    for name, sources in directives.items():
        update[name] = _unique([*update.get(name, []), *sources])
    response._csp_update = update  # type: ignore[attr-defined]


API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp for documents; a constant lock-down policy for everything else.

    A policy governs what a *document* may load. JSON, files and images load nothing, so they get
    the fixed `default-src 'none'` (the OWASP advice for APIs) instead of a policy built per
    response — building it cost about a third of a millisecond on every API call (measured with
    bench/routing.py, docs/performance.md)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("text/html"):
            result: HttpResponseBase = super().process_response(request, response)
            return result
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = API_POLICY
        return response


class TenantContentSecurityPolicyMiddleware:
    """Allows Yandex.Metrika on the HTML pages of tenants that enabled it. Only HTML: a policy
    governs documents, and API responses then cost no branding lookup at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        tenant = request.__dict__.get("tenant")
        if tenant is not None and response.get("Content-Type", "").startswith("text/html") and metrika_enabled(tenant):
            add_to_policy(response, METRIKA_DIRECTIVES)
        return response
