"""Plain Django views of the tenants app (outside DRF on purpose, see `branding`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from lib.errors import json_error

from . import routing


def branding(request: HttpRequest) -> HttpResponse:
    """`GET /api/branding/`: the public branding of the current host (the login page needs it).

    A plain view returning pre-encoded JSON from the routing cache rather than a DRF view: every
    page load of every tenant calls it, and DRF's negotiation/rendering cost more than the rest of
    the request (docs/performance.md). Documented in the OpenAPI schema by `lib.openapi`."""
    if request.method not in ("GET", "HEAD"):
        refused = json_error(405, "method_not_allowed", f'Method "{request.method}" not allowed.')
        refused["Allow"] = "GET, HEAD"
        return refused
    response = HttpResponse(routing.branding_json(request.tenant), content_type="application/json")  # type: ignore[attr-defined]
    response["Cache-Control"] = "public, max-age=60"
    return response
