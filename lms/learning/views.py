"""Plain Django views for the learner API's hot path (outside DRF on purpose).

`PUT /api/learning/lessons/{id}/progress/` is called every few seconds by every playing video; DRF's
request wrapping, negotiation and rendering cost more than the heartbeat itself (measured in
docs/performance.md). Same authentication (`authenticate_bearer`), same error shape, same service.
"""

from __future__ import annotations

import json
import logging
import math

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from accounts.authentication import authenticate_bearer
from lib.db import tenant_connection
from lib.errors import DomainError, json_error

from . import metrics as learner_metrics
from .services import progress

logger = logging.getLogger("ffs.api.errors")


def _refuse(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    logger.warning("api error %s %s on %s: %s", status, code, request.path, message)
    response = json_error(status, code, message, fields)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@csrf_exempt
def progress_heartbeat(request: HttpRequest, lesson_id: int) -> HttpResponse:
    if request.method != "PUT":
        response = _refuse(request, 405, "method_not_allowed", f'Method "{request.method}" not allowed.')
        response["Allow"] = "PUT"
        return response
    try:
        authenticated = authenticate_bearer(request, cached=True)
    except exceptions.AuthenticationFailed as exc:
        return _refuse(request, 401, "authentication_failed", str(exc.detail))
    if authenticated is None:
        return _refuse(request, 401, "not_authenticated", "Authentication credentials were not provided.")
    user = authenticated[0]
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _refuse(request, 400, "malformed_request", "The body is not valid JSON.")
    values: dict[str, float] = {}
    errors: dict[str, list[str]] = {}
    for field in ("position_seconds", "watched_seconds"):
        raw = body.get(field) if isinstance(body, dict) else None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            errors[field] = ["A number is required."]
        else:
            values[field] = float(raw)
    if errors:
        return _refuse(request, 400, "validation_error", "Invalid input.", errors)
    try:
        result = progress.heartbeat(
            user, lesson_id, position=values["position_seconds"], watched=values["watched_seconds"]
        )
    except DomainError as exc:
        return _refuse(request, exc.status_code, exc.code, exc.message, exc.fields)
    learner_metrics.mark_active(tenant_connection().schema_name, user.pk)
    return JsonResponse(
        {
            "position_seconds": result.position_seconds,
            "watched_seconds": result.watched_seconds,
            "completed": result.completed,
            "course_progress_percent": result.course_progress_percent,
        }
    )
