"""Tenant routing middleware: the host decides the schema, from cache, with clear refusals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django_tenants.middleware.main import TenantMainMiddleware

from lib.db import tenant_connection
from lib.errors import json_error

from . import routing
from .models import TenantStatus

_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>{title}</h1><p>{text}</p></body></html>"""


def refusal(request: HttpRequest, status: int, code: str, message: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(status, code, message)
    return HttpResponse(_PAGE.format(title=message, text=text), status=status, content_type="text/html; charset=utf-8")


class TenantRoutingMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        tenant_connection().set_schema_to_public()
        try:
            hostname = self.hostname_from_request(request)
        except Exception:
            return refusal(request, 400, "bad_host", "Bad host", "The Host header is not valid.")
        tenant = routing.resolve_host(hostname)
        if tenant is None:
            return refusal(request, 404, "unknown_host", "Not found", "No school is served at this address.")
        if tenant.status == TenantStatus.SUSPENDED:
            return refusal(
                request,
                403,
                "tenant_suspended",
                "Tenant suspended",
                "This school's access is suspended. Please contact your administrator.",
            )
        if tenant.status == TenantStatus.ARCHIVED:
            return refusal(request, 403, "tenant_archived", "Tenant archived", "This school has been archived.")
        if tenant.status == TenantStatus.PROVISIONING:
            response = refusal(
                request,
                503,
                "tenant_provisioning",
                "Tenant is being set up",
                "This school is being set up. Try again in a few seconds.",
            )
            response["Retry-After"] = "5"
            return response
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        tenant_connection().set_tenant(tenant)
        self.setup_url_routing(request)
        return None
