"""Transactional e-mail, rendered in the recipient's language and sent after commit by Celery."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(*, template: str, to: str, language: str, context: dict[str, object]) -> None:
    """Render now (so the text reflects this transaction's data) and queue after commit."""
    with translation.override(language if language in {"ru", "en"} else "ru"):
        subject = render_to_string(f"email/{template}.subject.txt", context).strip()
        body = render_to_string(f"email/{template}.body.txt", context)

    from ..tasks import send_email

    transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=[to]))
