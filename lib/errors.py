"""One JSON error shape for the whole API: `{"error": {"code", "message", "fields"?}}`.

Domain code raises `DomainError` subclasses with a stable machine-readable `code`; the handler
below turns those and DRF's own exceptions into the shape, and logs every 4xx so bad input is
visible in operations without being a server error.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("ffs.api.errors")


class DomainError(Exception):
    """Base for expected, user-facing failures raised by services."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.fields = fields
        self.headers = headers or {}
        self.details = details


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class FileTooLarge(DomainError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "file_too_large"


class Forbidden(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


def error_body(
    code: str, message: str, fields: dict[str, Any] | None = None, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`fields` maps input fields to messages; `details` carries machine-readable facts about the
    refusal (e.g. seats used and the limit) so a client need not parse the message."""
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    if details:
        body["details"] = details
    return {"error": body}


def json_error(status_code: int, code: str, message: str, fields: dict[str, Any] | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status_code)


def _flatten_fields(detail: Any) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub_key, sub_value in _flatten_fields(value).items():
                    fields[f"{key}.{sub_key}"] = sub_value
            elif isinstance(value, list):
                fields[str(key)] = [str(item) for item in value if not isinstance(item, dict)] or [str(value)]
            else:
                fields[str(key)] = [str(value)]
    return fields


_CODE_BY_CLASS: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_request",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler producing the project's error shape."""
    request = context.get("request")
    path = getattr(request, "path", "?")
    if isinstance(exc, DomainError):
        response = Response(
            error_body(exc.code, exc.message, exc.fields, exc.details), status=exc.status_code, headers=exc.headers
        )
        logger.warning("api error %s %s on %s: %s", exc.status_code, exc.code, path, exc.message)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    drf_response = drf_exception_handler(exc, context)
    if drf_response is None:
        return None
    response = drf_response
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_fields(exc.detail) if isinstance(exc.detail, dict) else {}
        non_field = fields.pop("non_field_errors", None)
        message = non_field[0] if non_field else "Invalid input."
        if isinstance(exc.detail, list) and exc.detail:
            message = str(exc.detail[0])
        response.data = error_body("validation_error", message, fields or None)
    else:
        code = _CODE_BY_CLASS.get(type(exc))
        if code is None:
            detail_code = getattr(exc.detail, "code", None)
            code = str(detail_code) if detail_code else exc.default_code
        response.data = error_body(code, str(exc.detail))
    logger.warning("api error %s on %s: %s", response.status_code, path, response.data["error"]["code"])
    return response
