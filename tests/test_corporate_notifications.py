"""Corporate e-mail: assignment notices, reminders, overdue notices, escalations, digests —
exactly once under re-runs and task retries, in the recipient's language, branded, opt-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from lms.corporate.models import Employee, Notification
from lms.corporate.services.assignments import end_of_day
from tests.corporate_fixtures import employee_pk, in_tenant, user_pk

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """An SMTP stand-in that refuses the first message to a given address, then accepts."""

    failures_left: dict[str, int] = {}

    def __init__(self, *args, **kwargs) -> None:
        self.inner = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if FlakyBackend.failures_left.get(address, 0) > 0:
                    FlakyBackend.failures_left[address] -= 1
                    raise OSError(f"421 try again later ({address})")
        return self.inner.send_messages(messages)


def _assign(hr, course, emails, due_in_days: int | None = 10):
    due = (
        {"kind": "date", "date": (timezone.localdate() + timedelta(days=due_in_days)).isoformat()}
        if due_in_days
        else None
    )
    response = hr.post(
        "/api/hr/assignments/",
        {"courses": [course.slug], "users": [user_pk(e) for e in emails], "due": due},
        format="json",
    )
    assert response.status_code == 201, response.content


def _deliver() -> None:
    with in_tenant("acme"):
        from lms.corporate.services.notifications import deliver_pending

        deliver_pending()


def _to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def _schedule(now) -> None:
    call_command("run_corporate_schedule", "--tenant", "acme", "--now", now.isoformat())


def test_assignment_mail_is_sent_once_in_the_learners_language_and_branded(hr, course_a):
    with schema_context("acme"):
        from accounts.models import User

        User.objects.filter(email="boris@acme.test").update(language="en")
    _assign(hr, course_a, ["anna@acme.test", "boris@acme.test"])
    _deliver()
    _deliver()  # a second delivery run finds nothing pending
    anna, boris = _to("anna@acme.test"), _to("boris@acme.test")
    assert len(anna) == 1 and len(boris) == 1
    assert "назначен курс" in anna[0].subject and course_a.title in anna[0].subject
    assert "new course" in boris[0].subject
    assert "Acme Fashion" in anna[0].subject
    html = anna[0].alternatives[0][0]
    assert "#0F766E" in html and "Acme Fashion" in html  # the tenant's colour and name
    assert f"/learn/{course_a.slug}" in anna[0].body


def test_reminder_overdue_and_escalation_follow_the_clock_exactly_once(hr, course_a):
    boris, anna = employee_pk("boris@acme.test"), employee_pk("anna@acme.test")
    hr.patch(f"/api/hr/employees/{anna}/", {"manager_id": boris}, format="json")
    _assign(hr, course_a, ["anna@acme.test"], due_in_days=10)
    due = end_of_day(timezone.localdate() + timedelta(days=10))
    _deliver()
    mail.outbox.clear()

    _schedule(due - timedelta(days=5))  # too early for the 3-day reminder
    assert _to("anna@acme.test") == []
    _schedule(due - timedelta(days=2))
    _schedule(due - timedelta(days=1))  # hourly runs: no second reminder
    reminders = _to("anna@acme.test")
    assert [m.subject.startswith("Напоминание") for m in reminders] == [True]

    _schedule(due + timedelta(hours=1))  # overdue, escalation waits one day
    assert len(_to("anna@acme.test")) == 2 and "Просрочен" in _to("anna@acme.test")[1].subject
    assert _to("boris@acme.test") == []
    _schedule(due + timedelta(days=1, hours=2))
    _schedule(due + timedelta(days=2))
    escalations = _to("boris@acme.test")
    assert len(escalations) == 1 and "Иванова" in escalations[0].subject
    assert len(_to("anna@acme.test")) == 2  # no repeated overdue notice
    with schema_context("acme"):
        assert Notification.objects.filter(kind="escalation").count() == 1


def test_completed_courses_and_opted_out_people_get_no_reminders(hr, course_a, course_b):
    with schema_context("acme"):
        Employee.objects.filter(user__email="boris@acme.test").update(email_reminders=False)
    _assign(hr, course_a, ["anna@acme.test", "boris@acme.test"], due_in_days=2)
    from tests.corporate_fixtures import complete_course

    complete_course("anna@acme.test", course_a)
    _deliver()
    mail.outbox.clear()
    _schedule(timezone.now() + timedelta(hours=1))
    assert _to("anna@acme.test") == []  # completed: nothing to remind
    assert _to("boris@acme.test") == []  # opted out of reminders
    _schedule(timezone.now() + timedelta(days=5))
    assert len(_to("boris@acme.test")) == 1  # the overdue notice is not optional


def test_weekly_digest_once_per_week_for_hr(hr, course_a):
    _assign(hr, course_a, ["anna@acme.test"])
    _deliver()
    mail.outbox.clear()
    today = timezone.localtime()
    # midnight of this week's Monday: "now - weekday days + 5 h" would be Tuesday after 19:00
    monday = (today - timedelta(days=today.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    _schedule(monday + timedelta(hours=1))
    _schedule(monday + timedelta(hours=5))
    digests = [m for m in mail.outbox if "сводка" in m.subject or "digest" in m.subject]
    assert sorted(m.to[0] for m in digests) == ["admin@acme.test", "hr@acme.test"]
    assert "Назначений всего: 1" in _to("hr@acme.test")[0].body
    _schedule(monday + timedelta(days=7, hours=1))
    assert len([m for m in mail.outbox if m.to == ["hr@acme.test"]]) == 2  # next week's digest


def test_failed_delivery_is_retried_by_the_task_and_nothing_is_sent_twice(hr, course_a, course_b):
    """The delivery task fails on one message (SMTP 421); Celery retries the task; the messages
    sent before the failure are not sent again, the failed one is sent once on the retry."""
    _assign(hr, course_a, ["anna@acme.test", "boris@acme.test"])
    _assign(hr, course_b, ["anna@acme.test"])
    FlakyBackend.failures_left = {"boris@acme.test": 1}
    with override_settings(EMAIL_BACKEND="tests.test_corporate_notifications.FlakyBackend"), in_tenant("acme"):
        from lms.corporate.tasks import deliver_notifications

        # eager apply() runs the retry that autoretry_for requests (a worker would after the back-off)
        result = deliver_notifications.apply(throw=False)
    assert result.successful() and result.get() == 1  # the retry sent just the one that had failed
    assert len(_to("anna@acme.test")) == 2 and len(_to("boris@acme.test")) == 1
    with schema_context("acme"):
        boris_row = Notification.objects.get(user__email="boris@acme.test")
        assert boris_row.sent_at is not None and boris_row.attempts == 2 and "421" in boris_row.last_error
        assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_retried_scheduling_task_queues_nothing_twice(hr, course_a):
    _assign(hr, course_a, ["anna@acme.test"], due_in_days=1)
    with in_tenant("acme"):
        from lms.corporate.tasks import schedule_tenant

        moment = (timezone.now() + timedelta(days=3)).isoformat()
        first = schedule_tenant.apply(kwargs={"now": moment}).get()
        second = schedule_tenant.apply(kwargs={"now": moment}).get()  # e.g. redelivered after a worker crash
    assert first["overdue"] == 1 and second == {"reminder": 0, "overdue": 0, "escalation": 0, "digest": 0}
    with schema_context("acme"):
        assert Notification.objects.filter(kind="overdue").count() == 1
