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
