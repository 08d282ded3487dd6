"""Tenant routing middleware: the host decides the schema, from cache, with clear refusals.

Written as a plain callable middleware (not django-tenants' MiddlewareMixin class): it runs on
every request, and the routing benchmark (docs/performance.md) holds it to a budget.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from lib.db import tenant_connection
from lib.errors import json_error

from . import routing
from .models import TenantStatus

_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
<style{nonce}>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>"""


def refusal(request: HttpRequest, status: int, code: str, message: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(status, code, message)
    # the Content-Security-Policy admits this page's one style block by the request's nonce
    nonce = getattr(request, "csp_nonce", None)
    page = _PAGE.format(title=message, text=text, nonce=f' nonce="{nonce}"' if nonce is not None else "")
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class TenantRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection = tenant_connection()
        connection.set_schema_to_public()
        try:
            hostname, _port = split_domain_port(request.get_host())
        except DisallowedHost:
            return refusal(request, 400, "bad_host", "Bad host", "The Host header is not valid.")
        tenant = routing.resolve_host(hostname)
        if tenant is None:
            return refusal(request, 404, "unknown_host", "Not found", "No school is served at this address.")
        status = tenant.status
        if status != TenantStatus.ACTIVE:
            response = self._inactive(request, status)
            if response is not None:
                return response
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        connection.set_tenant(tenant)
        return self.get_response(request)

    @staticmethod
    def _inactive(request: HttpRequest, status: str) -> HttpResponse | None:
        if status == TenantStatus.SUSPENDED:
            return refusal(
                request,
                403,
                "tenant_suspended",
                "Tenant suspended",
                "This school's access is suspended. Please contact your administrator.",
            )
        if status == TenantStatus.ARCHIVED:
            return refusal(request, 403, "tenant_archived", "Tenant archived", "This school has been archived.")
        if status == TenantStatus.PROVISIONING:
            response = refusal(
                request,
                503,
                "tenant_provisioning",
                "Tenant is being set up",
                "This school is being set up. Try again in a few seconds.",
            )
            response["Retry-After"] = "5"
            return response
        return None
