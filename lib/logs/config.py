"""The LOGGING dictionary: one stdout handler with the context and redaction filters.

`LOG_FORMAT=json` (production and tests, for Fluent Bit) or `plain` (the default of `DJANGO_ENV=dev`,
so `make run` stays readable). Celery uses the same configuration (`lib.logs.celery`).
"""

from __future__ import annotations

from typing import Any

FORMATS = ("json", "plain")


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, got {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            # context first: the redaction filter must see the request the line belongs to
            "context": {"()": "lib.logs.formatters.ContextFilter"},
            "redact": {"()": "lib.logs.redaction.RedactionFilter"},
        },
        "formatters": {
            "json": {"()": "lib.logs.formatters.JsonFormatter"},
            "plain": {"()": "lib.logs.formatters.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["context", "redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The platform writes its own access line (lib.logs.middleware); Django's would repeat
            # it and carry the query string.
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
        },
    }
