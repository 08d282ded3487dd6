"""Celery: the same log format as the web, and request ids carried from a request to its tasks.

- `setup_logging`: connecting any receiver stops Celery from replacing the root logger's handlers
  with its own plain format; the receiver applies Django's LOGGING instead, so worker and beat
  lines are JSON with the same fields.
- `before_task_publish` puts the current request id in the message headers; `task_prerun` binds it
  in the worker (the tenant comes from the schema tenant-schemas-celery switched to), and
  `task_postrun` unbinds it, so a task's lines are found in Kibana by the id of the request that
  queued it.
"""

from __future__ import annotations

import logging.config
from typing import Any

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from . import context

HEADER = "ffs_request_id"
_bound: dict[str, context.Bound] = {}


def configure_logging(loglevel: int | str | None = None, **_: Any) -> None:
    """Django's LOGGING, at the level given on the command line (`--loglevel`) when there is one."""
    import copy

    from django.conf import settings

    config = copy.deepcopy(settings.LOGGING)
    if loglevel:
        config["root"]["level"] = logging.getLevelName(loglevel) if isinstance(loglevel, int) else loglevel.upper()
    logging.config.dictConfig(config)


def add_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = context.current_request_id()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


def _header(task: Any) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    headers = getattr(request, "headers", None) or {}
    value = headers.get(HEADER) if isinstance(headers, dict) else None
    value = value or getattr(request, HEADER, None)
    return context.sanitize_request_id(value) if isinstance(value, str) else None


def bind(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id:
        _bound[task_id] = context.bind_task(_header(task))


def unbind(task_id: str | None = None, **_: Any) -> None:
    bound = _bound.pop(task_id, None) if task_id else None
    if bound is not None:
        context.unbind(bound)


def install() -> None:
    setup_logging.connect(configure_logging, weak=False, dispatch_uid="ffs-logs-setup")
    before_task_publish.connect(add_request_id, weak=False, dispatch_uid="ffs-logs-publish")
    task_prerun.connect(bind, weak=False, dispatch_uid="ffs-logs-prerun")
    task_postrun.connect(unbind, weak=False, dispatch_uid="ffs-logs-postrun")
