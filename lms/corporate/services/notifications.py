"""Corporate e-mail: what to send (scheduling) and sending it (delivery), kept apart.

Scheduling writes rows to the outbox (`Notification`) under deterministic keys such as
`reminder:<assignment>:<due date>`; the unique key makes a re-run (a retried beat task, two beat
processes, a moved clock replayed) a no-op. Delivery sends each pending row while holding its
row lock and marks it sent in the same transaction, so a retried delivery task never sends a
message twice. (The one window left, the SMTP server accepting a message and the database commit
then failing, is inherent to SMTP; it would resend that single message.)

Rendering: Russian or English by the recipient's language, branded with the tenant's name,
colour and logo; a plain-text body and an HTML alternative.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from lib.db import tenant_connection
from lib.localcache import TTLCache
from lib.metrics import mail as mail_metrics

from ..models import Assignment, Employee, Notification, NotificationKind, NotificationSettings

logger = logging.getLogger("ffs.corporate.notifications")
MAX_ATTEMPTS = 8
OVERDUE_WINDOW = timedelta(days=30)


# branding and the tenant's base URL for a batch of messages: looked up once per tenant per minute,
# not once per message (assigning a course to 5,000 people renders 5,000 e-mails)
_brand_cache: TTLCache[dict[str, Any]] = TTLCache(ttl=60)


def tenant_branding() -> dict[str, Any]:
    from tenants.hosts import base_url_for
    from tenants.routing import branding_for

    tenant = tenant_connection().tenant
    if getattr(tenant, "pk", None) is None or not hasattr(tenant, "slug"):
        return {"display_name": "Fashion Factory School", "primary_color": "#1f2937", "logo_url": None, "base": ""}
    return _brand_cache.get_or_set(tenant.pk, lambda: {**branding_for(tenant), "base": base_url_for(tenant)})


def render(kind: str, *, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) for one message."""
    brand = tenant_branding()
    full = {**context, "school": brand["display_name"], "brand": brand, "base_url": brand["base"]}
    with translation.override(language if language in {"ru", "en"} else "ru"):
        subject = render_to_string(f"email/corporate/{kind}.subject.txt", full).strip()
        text = render_to_string(f"email/corporate/{kind}.body.txt", full).strip() + "\n"
        html = render_to_string(
            "email/corporate/layout.html",
            {**full, "subject": subject, "paragraphs": [p for p in text.split("\n\n") if p.strip()]},
        )
    return subject, text, html


def _wants(kind: str, employee: Employee | None) -> bool:
    if employee is not None and employee.deactivated_at is not None:
        return False
    if kind == NotificationKind.REMINDER:
        return employee is None or employee.email_reminders
    if kind == NotificationKind.DIGEST:
        return employee is None or employee.email_digest
    return True


@dataclass(frozen=True)
class Outgoing:
    key: str
    kind: str
    user: User
    context: dict[str, Any]


def store(messages: Iterable[Outgoing]) -> int:
    """Insert the messages whose key is new; returns how many were new."""
    batch = list(messages)
    if not batch:
        return 0
    known = set(Notification.objects.filter(key__in=[m.key for m in batch]).values_list("key", flat=True))
    rows = []
    for message in batch:
        if message.key in known:
            continue
        subject, text, html = render(message.kind, language=message.user.language, context=message.context)
        rows.append(
            Notification(
                key=message.key,
                kind=message.kind,
                user=message.user,
                to_email=message.user.email,
                subject=subject[:300],
                body_text=text,
                body_html=html,
            )
        )
        known.add(message.key)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(_kick_delivery)
    return len(rows)


def _kick_delivery() -> None:
    from ..tasks import deliver_notifications

    deliver_notifications.delay()


def _course_url(assignment: Assignment) -> str:
    return f"{tenant_branding()['base']}/learn/{assignment.course.slug}"


def _assignment_context(assignment: Assignment) -> dict[str, Any]:
    return {
        "name": assignment.user.first_name or assignment.user.email,
        "course": assignment.course.title,
        "due_at": assignment.due_at,
        "required": assignment.required,
        "cycle": assignment.cycle,
        "url": _course_url(assignment),
    }


def queue_assigned(assignments: list[Assignment]) -> int:
    """The "course assigned" e-mail of each new assignment (mandatory: not switchable off)."""
    employees = {e.user_id: e for e in Employee.objects.filter(user_id__in=[a.user_id for a in assignments])}
    return store(
        Outgoing(f"assigned:{a.pk}", NotificationKind.ASSIGNED, a.user, _assignment_context(a))
        for a in assignments
        if _wants(NotificationKind.ASSIGNED, employees.get(a.user_id))
    )


def _open_assignments() -> Any:
    return Assignment.objects.filter(
        cancelled_at__isnull=True,
        superseded_at__isnull=True,
        due_at__isnull=False,
        enrolment__completed_at__isnull=True,
        user__employee__deactivated_at__isnull=True,
    ).select_related("user", "course", "user__employee__manager__user")


def schedule(now: datetime | None = None) -> dict[str, int]:
    """Queue every reminder, overdue notice, escalation and digest that is due at `now`.

    `now` is a parameter (the scheduling command's `--now`) so tests and operators can move the
    clock; re-running for the same moment queues nothing new."""
    now = now or timezone.now()
    config = NotificationSettings.current()
    counts = {"reminder": 0, "overdue": 0, "escalation": 0, "digest": 0}

    def due_key(a: Assignment) -> str:
        assert a.due_at is not None
        return timezone.localtime(a.due_at).strftime("%Y%m%d")

    soon = _open_assignments().filter(due_at__gt=now, due_at__lte=now + timedelta(days=config.reminder_days_before))
    counts["reminder"] = store(
        Outgoing(f"reminder:{a.pk}:{due_key(a)}", NotificationKind.REMINDER, a.user, _assignment_context(a))
        for a in soon.iterator(chunk_size=1000)
        if _wants(NotificationKind.REMINDER, a.user.employee)
    )
    # overdue notices look back OVERDUE_WINDOW only: an outage longer than that does not flood
    # people with notices about deadlines long gone (HR sees them on the dashboard)
    overdue = list(_open_assignments().filter(due_at__lte=now, due_at__gt=now - OVERDUE_WINDOW))
    counts["overdue"] = store(
        Outgoing(f"overdue:{a.pk}:{due_key(a)}", NotificationKind.OVERDUE, a.user, _assignment_context(a))
        for a in overdue
    )
    escalate_before = now - timedelta(days=config.escalation_days_after)
    escalations = []
    for a in overdue:
        manager = a.user.employee.manager
        assert a.due_at is not None
        if a.due_at > escalate_before or manager is None or not _wants(NotificationKind.ESCALATION, manager):
            continue
        escalations.append(
            Outgoing(
                f"escalation:{a.pk}:{due_key(a)}",
                NotificationKind.ESCALATION,
                manager.user,
                {
                    **_assignment_context(a),
                    "name": manager.user.first_name or manager.user.email,
                    "learner": a.user.full_name or a.user.email,
                    "learner_email": a.user.email,
                    "url": f"{tenant_branding()['base']}/team",
                },
            )
        )
    counts["escalation"] = store(escalations)
    if timezone.localtime(now).weekday() == config.digest_weekday:
        counts["digest"] = _queue_digests(now)
    return counts


def _queue_digests(now: datetime) -> int:
    year, week, _ = timezone.localtime(now).isocalendar()
    current = Assignment.objects.filter(cancelled_at__isnull=True, superseded_at__isnull=True)
    stats = current.aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(enrolment__completed_at__isnull=False)),
        overdue=Count("id", filter=Q(enrolment__completed_at__isnull=True, due_at__lt=now)),
        completed_week=Count("id", filter=Q(enrolment__completed_at__gte=now - timedelta(days=7))),
    )
    rate = round(100 * stats["completed"] / stats["total"]) if stats["total"] else 0
    recipients = User.objects.filter(
        role__in=[Role.HR_MANAGER, Role.TENANT_ADMIN], is_active=True, employee__deactivated_at__isnull=True
    ).select_related("employee")
    return store(
        Outgoing(
            f"digest:{user.pk}:{year}-W{week:02d}",
            NotificationKind.DIGEST,
            user,
            {**stats, "rate": rate, "name": user.first_name or user.email, "url": f"{tenant_branding()['base']}/hr"},
        )
        for user in recipients
        if _wants(NotificationKind.DIGEST, user.employee)
    )


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def _send(row: Notification) -> None:
    message = EmailMultiAlternatives(row.subject, row.body_text, None, [row.to_email])
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    message.send()


def deliver_pending(limit: int = 500) -> DeliveryResult:
    """Send pending messages one by one, each under its row lock (SKIP LOCKED lets several workers
    share the outbox). A failure is recorded on the row and retried by the next delivery."""
    result = DeliveryResult()
    tried: set[int] = set()
    for _ in range(limit):
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                .exclude(pk__in=tried)
                .order_by("id")
                .first()
            )
            if row is None:
                break
            tried.add(row.pk)
            row.attempts += 1
            try:
                _send(row)
            except Exception as exc:  # any transport failure is recorded and retried
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                row.save(update_fields=["attempts", "last_error"])
                result.failed += 1
                mail_metrics.FAILED.labels("corporate").inc()
                logger.warning("notification %s not sent (attempt %s): %s", row.key, row.attempts, row.last_error)
                continue
            row.sent_at = timezone.now()
            row.save(update_fields=["attempts", "sent_at"])
            result.sent += 1
            mail_metrics.SENT.labels("corporate").inc()
    return result
