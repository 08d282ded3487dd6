"""`/metrics`, answered before tenant routing (like `/healthz`, lib/health.py).

Prometheus scrapes pods by IP, so the Host header names no tenant; routing the scrape would turn it
into an "unknown host" 404. The request is also kept out of the HTTP metrics themselves (this
middleware sits before django-prometheus'), so scrapes do not show up as traffic.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client.registry import Collector

from lib.errors import json_error

from . import access, registry

PATH = "/metrics"


def web_collectors() -> list[Collector]:
    """Values computed when the web process is scraped (not by Celery workers: once is enough)."""
    from .business import ActiveLearnersCollector, BusinessCollector
    from .celery import QueueDepthCollector

    return [registry.ScrapeTimeCollector([QueueDepthCollector(), BusinessCollector(), ActiveLearnersCollector()])]


def metrics_response(request: HttpRequest) -> HttpResponse:
    verdict = access.check(request.headers.get("Authorization"), request.META.get("REMOTE_ADDR"), request.META)
    if not verdict.allowed:
        return json_error(verdict.status, verdict.code, verdict.message)
    if request.method not in {"GET", "HEAD"}:
        refusal = json_error(405, "method_not_allowed", f'Method "{request.method}" not allowed.')
        refusal["Allow"] = "GET, HEAD"
        return refusal
    response = HttpResponse(registry.render(web_collectors()), content_type=registry.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


class MetricsEndpointMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        access.configured_networks()  # a malformed METRICS_ALLOWED_CIDRS fails at start, not on a scrape

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == PATH:
            return metrics_response(request)
        return self.get_response(request)
