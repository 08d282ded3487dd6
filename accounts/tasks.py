"""Notification tasks (queue `notifications`)."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self: object, *, subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, None, to)
