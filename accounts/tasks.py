"""Notification tasks (queue `notifications`)."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail

from lib.metrics import mail as mail_metrics


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self: object, *, subject: str, body: str, to: list[str]) -> int:
    try:
        sent = send_mail(subject, body, None, to)
    except Exception:
        mail_metrics.FAILED.labels("transactional").inc()
        raise
    mail_metrics.SENT.labels("transactional").inc(sent)
    return sent
