"""Serve the built SPA's index.html for every non-API path (client-side routing)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from lib.errors import error_body

_cache: dict[str, tuple[float, bytes]] = {}

_NOT_BUILT = b"""<!doctype html><html><head><meta charset="utf-8"><title>Fashion Factory School</title></head>
<body><h1>Fashion Factory School</h1><p>The web app is not built yet: run <code>make run</code>.</p></body></html>"""


def _index() -> bytes:
    path = settings.FRONTEND_DIST / "index.html"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return _NOT_BUILT
    cached = _cache.get("index")
    if cached is None or cached[0] != mtime:
        html = path.read_bytes()
        if settings.STATIC_URL != "/static/":
            # The bundle is built for /static/; a CDN base (STATIC_URL) is substituted when serving.
            html = html.replace(b'"/static/', b'"' + settings.STATIC_URL.encode())
        cached = (mtime, html)
        _cache["index"] = cached
    return cached[1]


def spa_index(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_index(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)
