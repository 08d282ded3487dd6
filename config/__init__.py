"""Django project package (named `config`, not `platform`: see docs/architecture.md)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
