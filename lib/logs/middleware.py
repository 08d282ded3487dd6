"""Request ids and the access log line.

First in MIDDLEWARE, so it wraps everything: `/healthz` and `/readyz`, `/metrics`, tenant routing
refusals (unknown host 404, suspended 403) and every view. It takes `X-Request-ID` from the request
when it is a sane token (a proxy or the ingress set it) or generates one, echoes it in the response
and binds it for every line logged during the request; Celery tasks queued meanwhile carry it too
(`lib.logs.celery`).

The access line (logger `ffs.access`) has method, path, status and duration_ms. Never the query
string and never headers: both carry secrets (one-time codes, OIDC `code`, cookies, bearer tokens).
Sensitive URL arguments in the path itself (an invitation or reset token) are redacted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from . import context
from .redaction import sanitized_path

access_logger = logging.getLogger("ffs.access")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
# Probes and scrapes arrive every few seconds from every pod: logged at DEBUG unless they fail.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = context.sanitize_request_id(request.META.get(context.REQUEST_ID_META)) or context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        bound = context.bind_request(request, request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[context.REQUEST_ID_HEADER] = request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            context.unbind(bound)

    @staticmethod
    def _log(request: HttpRequest, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        if status >= 500:
            level = logging.ERROR
        elif request.path in QUIET_PATHS:
            level = logging.DEBUG
        else:
            level = logging.INFO
        if not access_logger.isEnabledFor(level):
            return
        method = request.method if request.method in METHODS else "OTHER"
        path = sanitized_path(request)
        access_logger.log(
            level,
            "%s %s %s %sms",
            method,
            path,
            status,
            duration_ms,
            # every part is already clean (the path was scrubbed just above): the redaction filter
            # may skip this line, the most frequent one (`_ffs_redacted`)
            extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms, "_ffs_redacted": True},
        )
