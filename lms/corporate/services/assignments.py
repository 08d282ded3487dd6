"""Assigning courses with due dates, unassigning, bulk due-date changes, re-certification cycles.

Assignments are made in sets (one course × many people) with a constant number of queries, so
"assign a compliance course to a 5,000-person department" is one request. Creating an assignment
also queues its "course assigned" e-mail in the outbox, in the same transaction.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.services import audit
from lib.db import tenant_connection
from lib.errors import DomainError, NotFound
from lms.catalog.models import Course
from lms.catalog.services.visibility import visible_courses
from lms.learning.models import Enrolment, EnrolmentSource, EnrolmentStatus

from ..models import Assignment, AssignmentRule, AssignmentSource, DueFrom, Employee, NotificationSettings
from . import notifications
from .people import department_subtree, get_department, get_group

MAX_DUE_DAYS = 3650


@dataclass(frozen=True)
class DueSpec:
    """A fixed date, N days after assignment, N days after hire, or no due date."""

    kind: str = "none"  # none | date | after_assignment | after_hire
    on: date | None = None
    days: int | None = None

    @classmethod
    def parse(cls, raw: Any) -> DueSpec:
        if raw in (None, "", {}):
            return cls()
        if not isinstance(raw, dict):
            raise _due_error('Expected an object such as {"kind": "date", "date": "2026-12-31"}.')
        kind = raw.get("kind", "none")
        if kind == "none":
            return cls()
        if kind == "date":
            try:
                on = date.fromisoformat(str(raw.get("date")))
            except ValueError:
                raise _due_error("The due date must be YYYY-MM-DD.") from None
            if on < timezone.localdate():
                raise _due_error("The due date is in the past.")
            return cls(kind="date", on=on)
        if kind in ("after_assignment", "after_hire"):
            days = raw.get("days")
            if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= MAX_DUE_DAYS:
                raise _due_error(f"Days must be a whole number from 1 to {MAX_DUE_DAYS}.")
            return cls(kind=kind, days=days)
        raise _due_error("Unknown due date kind.")

    @classmethod
    def from_rule(cls, rule: AssignmentRule) -> DueSpec:
        if not rule.due_days:
            return cls()
        kind = "after_hire" if rule.due_from == DueFrom.HIRE else "after_assignment"
        return cls(kind=kind, days=rule.due_days)

    def due_for(self, assigned_at: datetime, hire_date: date | None) -> datetime | None:
        if self.kind == "date" and self.on is not None:
            return end_of_day(self.on)
        if self.days is None:
            return None
        base = hire_date if self.kind == "after_hire" and hire_date else timezone.localdate(assigned_at)
        due = base + timedelta(days=self.days)
        # hired long ago: "30 days after hire" would be in the past; give the standard window instead
        return end_of_day(max(due, timezone.localdate(assigned_at) + timedelta(days=1)))

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.on.isoformat() if self.on else None, "days": self.days}


def _due_error(message: str) -> DomainError:
    return DomainError(message, code="invalid_due_date", fields={"due": [message]})


def end_of_day(day: date) -> datetime:
    """Due "on 31 December" means until the end of that day in the school's time zone."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def assignable_course(slug: str) -> Course:
    course = visible_courses(tenant_connection().tenant).filter(slug=slug).first()
    if course is None:
        raise DomainError(
            f"Course {slug!r} is not available to this company.",
            code="course_not_available",
            fields={"courses": [f"{slug}: not licensed or not published."]},
        )
    return course


def create_assignments(
    course: Course,
    user_ids: Iterable[int],
    *,
    due: DueSpec,
    required: bool,
    source: str,
    recertify_months: int | None = None,
    rule: AssignmentRule | None = None,
    actor_email: str = "",
    now: datetime | None = None,
) -> list[Assignment]:
    """Assign `course` to every given user who does not hold a current assignment of it.

    Set-based and idempotent: users already assigned are skipped, a concurrent duplicate is
    absorbed by the partial unique constraint. Returns the assignments created."""
    now = now or timezone.now()
    users = set(user_ids)
    if not users:
        return []
    users -= set(
        Assignment.objects.filter(
            course=course, user_id__in=users, cancelled_at__isnull=True, superseded_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    if not users:
        return []
    enrolments = _current_enrolments(course, users)
    hire_dates: dict[int, date | None] = dict(
        Employee.objects.filter(user_id__in=users).values_list("user_id", "hire_date")
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                user_id=user_id,
                course=course,
                enrolment_id=enrolments[user_id],
                source=source,
                rule=rule,
                required=required,
                due_at=due.due_for(now, hire_dates.get(user_id)),
                recertify_months=recertify_months,
                assigned_at=now,
                assigned_by_email=actor_email,
            )
            for user_id in sorted(users)
        ],
        ignore_conflicts=True,
    )
    created = list(
        Assignment.objects.filter(
            course=course, user_id__in=users, assigned_at=now, cancelled_at__isnull=True, superseded_at__isnull=True
        ).select_related("user", "course")
    )
    notifications.queue_assigned(created)
    return created


def _current_enrolments(course: Course, users: set[int]) -> dict[int, int]:
    """The current enrolment of each user in `course`, created where missing; an assignment gives
    back access that was revoked."""
    existing = dict(Enrolment.objects.current().filter(course=course, user_id__in=users).values_list("user_id", "pk"))
    missing = users - set(existing)
    if missing:
        Enrolment.objects.bulk_create(
            [Enrolment(user_id=u, course=course, source=EnrolmentSource.ASSIGNMENT) for u in sorted(missing)],
            ignore_conflicts=True,
        )
        existing.update(
            Enrolment.objects.current().filter(course=course, user_id__in=missing).values_list("user_id", "pk")
        )
    Enrolment.objects.filter(pk__in=existing.values(), status=EnrolmentStatus.REVOKED).update(
        status=EnrolmentStatus.ACTIVE, revoked_at=None
    )
    return existing


def resolve_targets(*, user_ids: list[int], group_ids: list[int], department_ids: list[int]) -> set[int]:
    """People of this schema only: ids are looked up here, so a user of another tenant cannot be
    named (their id does not exist in this schema, or is someone else entirely, who is then checked
    to be an active employee of this company)."""
    found = set(
        Employee.objects.filter(user_id__in=user_ids, deactivated_at__isnull=True).values_list("user_id", flat=True)
    )
    unknown = set(user_ids) - found
    if unknown:
        raise DomainError(
            "Some people are not active employees of this company.",
            code="invalid_assignee",
            fields={"users": [f"Unknown or deactivated: {sorted(unknown)[:20]}"]},
        )
    targets = set(found)
    for group_id in group_ids:
        group = get_group(group_id)
        targets |= set(
            Employee.objects.filter(memberships__group=group, deactivated_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
    for department_id in department_ids:
        department = get_department(department_id)
        targets |= set(
            Employee.objects.filter(department_subtree(department), deactivated_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
    return targets


@transaction.atomic
def assign(
    *,
    course_slugs: list[str],
    user_ids: list[int],
    group_ids: list[int],
    department_ids: list[int],
    due: DueSpec,
    required: bool,
    recertify_months: int | None,
    actor: User,
    request: HttpRequest | None = None,
) -> dict[str, int]:
    if not course_slugs:
        raise DomainError("Choose at least one course.", code="invalid_assignment", fields={"courses": ["Required."]})
    if not (user_ids or group_ids or department_ids):
        raise DomainError(
            "Choose people, groups or departments.", code="invalid_assignment", fields={"users": ["Required."]}
        )
    courses = [assignable_course(slug) for slug in dict.fromkeys(course_slugs)]
    targets = resolve_targets(user_ids=user_ids, group_ids=group_ids, department_ids=department_ids)
    now = timezone.now()
    created = 0
    for course in courses:
        created += len(
            create_assignments(
                course,
                targets,
                due=due,
                required=required,
                source=AssignmentSource.MANUAL,
                recertify_months=recertify_months,
                actor_email=actor.email,
                now=now,
            )
        )
    audit.record(
        "assignment.created",
        actor=actor,
        target=",".join(c.slug for c in courses),
        request=request,
        people=len(targets),
        created=created,
        due=due.as_dict(),
    )
    return {"created": created, "already_assigned": len(targets) * len(courses) - created, "people": len(targets)}


def current_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(cancelled_at__isnull=True, superseded_at__isnull=True)


def get_assignment(pk: Any) -> Assignment:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Assignment not found.", code="assignment_not_found") from None
    assignment = Assignment.objects.select_related("user", "course", "enrolment").filter(pk=key).first()
    if assignment is None:
        raise NotFound("Assignment not found.", code="assignment_not_found")
    return assignment


def _ids(raw: Any) -> list[int]:
    if not isinstance(raw, list) or not raw or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw):
        raise DomainError("Expected a non-empty list of ids.", code="invalid_ids", fields={"ids": ["List of ids."]})
    return raw


@transaction.atomic
def unassign(raw_ids: Any, *, actor: User, request: HttpRequest | None = None) -> int:
    """Cancel current assignments. The enrolment and its progress stay (the learning record);
    only the obligation is withdrawn."""
    ids = _ids(raw_ids)
    count = current_assignments().filter(pk__in=ids).update(cancelled_at=timezone.now())
    audit.record("assignment.cancelled", actor=actor, target=f"{count} assignments", request=request, ids=ids[:100])
    return count


@transaction.atomic
def change_due_dates(raw_ids: Any, due: DueSpec, *, actor: User, request: HttpRequest | None = None) -> int:
    ids = _ids(raw_ids)
    rows = list(current_assignments().filter(pk__in=ids).select_related("user__employee"))
    for row in rows:
        hire = getattr(getattr(row.user, "employee", None), "hire_date", None)
        row.due_at = due.due_for(row.assigned_at, hire)
    Assignment.objects.bulk_update(rows, ["due_at"])
    audit.record(
        "assignment.due_changed", actor=actor, target=f"{len(rows)} assignments", request=request, due=due.as_dict()
    )
    return len(rows)


def start_recertification_cycles(now: datetime | None = None) -> int:
    """Open the next cycle of every completed assignment whose certificate expires within the
    lead time: the old enrolment (progress, certificate) becomes history, a new one starts, due
    on the expiry date. Idempotent: a cycle that was already opened is no longer current."""
    now = now or timezone.now()
    lead = timedelta(days=NotificationSettings.current().recertification_lead_days)
    candidates = (
        current_assignments()
        .filter(recertify_months__isnull=False, enrolment__completed_at__isnull=False)
        .select_related("enrolment", "course")
    )
    opened = 0
    for assignment in candidates.iterator(chunk_size=500):
        completed_at = assignment.enrolment.completed_at
        assert completed_at is not None and assignment.recertify_months is not None
        expires = add_months(completed_at, assignment.recertify_months)
        if expires - lead > now:
            continue
        with transaction.atomic():
            locked = current_assignments().select_for_update().filter(pk=assignment.pk).first()
            if locked is None:
                continue
            locked.superseded_at = now
            locked.save(update_fields=["superseded_at"])
            Enrolment.objects.filter(pk=locked.enrolment_id).update(archived_at=now)
            enrolment = Enrolment.objects.create(
                user_id=locked.user_id, course_id=locked.course_id, source=EnrolmentSource.ASSIGNMENT
            )
            fresh = Assignment.objects.create(
                user_id=locked.user_id,
                course_id=locked.course_id,
                enrolment=enrolment,
                cycle=locked.cycle + 1,
                source=AssignmentSource.RECERTIFICATION,
                rule=locked.rule,
                required=locked.required,
                due_at=max(expires, now + timedelta(days=1)),
                recertify_months=locked.recertify_months,
                assigned_at=now,
            )
            notifications.queue_assigned(list(Assignment.objects.filter(pk=fresh.pk).select_related("user", "course")))
            opened += 1
    return opened
