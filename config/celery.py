"""Celery application. Tasks carry the schema that queued them (tenant-schemas-celery).

Queues follow DESIGN.md §1: default, payments, notifications, analytics, provisioning.
"""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("ffs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from lib.logs.celery import install as install_log_context  # noqa: E402

install_log_context()  # Django's LOGGING in workers and beat; request ids carried into tasks

from lib.metrics.celery import install as install_task_metrics  # noqa: E402  (after the app exists)

install_task_metrics()  # task runtime/failure/retry metrics, the worker's metrics port
