"""Log formatters: one JSON object per line (production, Fluent Bit), or a readable line (`make run`).

Written here rather than taken from a package: the format is small, and owning it keeps the field
names stable for the Elasticsearch mapping and the Fluent Bit parser (docs/logging.md).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from typing import Any

from . import context
from .redaction import CONTEXT_ATTRIBUTES, STANDARD_ATTRIBUTES, scrub

# Record attributes never written as extras: Django's `request` (its repr carries the query
# string) and the context fields, which have their fixed place at the start of the line.
_SKIPPED = frozenset({"request"} | CONTEXT_ATTRIBUTES)


class ContextFilter(logging.Filter):
    """Stamps `request_id`, `tenant` and `user_id` on every record (None when unknown), read from the
    context at the moment the line is logged; values a caller passed explicitly are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        values = record.__dict__
        if "request_id" not in values:
            values["request_id"] = context.current_request_id()
        if "tenant" not in values:
            values["tenant"] = context.tenant()
        if "user_id" not in values:
            values["user_id"] = context.user_id()
        return True


def utc_timestamp(created: float) -> str:
    """ISO 8601 in UTC with milliseconds and a `Z`: sortable, and parsed by Fluent Bit's `%L`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(created * 1000) % 1000:03d}Z"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    # Anything else is written as its text, which is scrubbed: a repr may quote secrets.
    return scrub(str(value))


class JsonFormatter(logging.Formatter):
    """`{"timestamp", "level", "logger", "message", "request_id", "tenant", "user_id", …extras}`,
    one line each (newlines inside the message or a traceback are escaped by JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        values = record.__dict__
        document: dict[str, Any] = {
            "timestamp": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": values.get("request_id"),
            "tenant": values.get("tenant"),
            "user_id": values.get("user_id"),
        }
        for key, value in values.items():
            if key not in STANDARD_ATTRIBUTES and key not in _SKIPPED and not key.startswith("_"):
                document.setdefault(key, _jsonable(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            document["exc_info"] = scrub(record.exc_text)
        if record.stack_info:
            document["stack_info"] = scrub(record.stack_info)
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)


class PlainFormatter(logging.Formatter):
    """`12:00:01.234 INFO ffs.access [acme 1a2b3c4d user=5] GET /api/me/ 200 3.1ms`: local time, the
    tenant, the first 8 characters of the request id and the user when known."""

    def format(self, record: logging.LogRecord) -> str:
        values = record.__dict__
        tags = [
            str(values["tenant"]) if values.get("tenant") else "",
            str(values["request_id"])[:8] if values.get("request_id") else "",
            f"user={values['user_id']}" if values.get("user_id") is not None else "",
        ]
        tag = " ".join(part for part in tags if part)
        moment = datetime.fromtimestamp(record.created).astimezone()
        line = f"{moment:%H:%M:%S}.{moment.microsecond // 1000:03d} {record.levelname} {record.name}"
        line += f" [{tag}] " if tag else " "
        line += record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + scrub(record.exc_text)
        if record.stack_info:
            line += "\n" + scrub(record.stack_info)
        return line
