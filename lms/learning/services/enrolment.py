"""Enrolment and course completion."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import audit
from lib.db import tenant_connection
from lib.errors import DomainError, Forbidden, NotFound
from lms.catalog.models import Course, Lesson
from lms.catalog.services.visibility import visible_courses

from ..models import Enrolment, EnrolmentSource, EnrolmentStatus, LessonProgress


class PaymentRequired(DomainError):
    status_code = 402
    code = "payment_required"


def visible_course(slug: str) -> Course:
    course = visible_courses(tenant_connection().tenant).filter(slug=slug).first()
    if course is None:
        raise NotFound("Course not found.")
    return course


def enrol(user: Any, course: Course, *, source: str) -> tuple[Enrolment, bool]:
    """Idempotent: a second call returns the existing enrolment (created=False)."""
    existing = Enrolment.objects.current().filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(user=user, course=course, source=source)
            audit.record("learning.enrolled", actor=user, target=course.slug, source=source)
    except IntegrityError:  # a concurrent request won the race: same result
        return Enrolment.objects.current().get(user=user, course=course), False
    return enrolment, True


def self_enrol(user: Any, slug: str) -> tuple[Enrolment, bool]:
    course = visible_course(slug)
    existing = Enrolment.objects.current().filter(user=user, course=course).first()
    if existing is not None:
        if existing.status == EnrolmentStatus.REVOKED:
            raise Forbidden("Your access to this course was revoked.", code="enrolment_revoked")
        return existing, False
    corporate = getattr(tenant_connection().tenant, "kind", "public") == "corporate"
    if not corporate and course.price_amount > 0:
        raise PaymentRequired("This course is paid: buy it to start learning.")
    return enrol(user, course, source=EnrolmentSource.SELF)


def live_lessons(course_id: int) -> list[Lesson]:
    return list(
        Lesson.objects.filter(course_id=course_id, deleted_at__isnull=True, module__deleted_at__isnull=True)
        .select_related("module")
        .order_by("module__position", "module_id", "position", "id")
    )


def recompute(enrolment: Enrolment) -> Enrolment:
    """Progress % over required lessons; completing every required lesson completes the course
    (and issues the certificate). Completion is monotonic: it is never taken back."""
    required = [lesson.pk for lesson in live_lessons(enrolment.course_id) if lesson.is_required]
    done = set(
        LessonProgress.objects.filter(
            enrolment=enrolment, completed_at__isnull=False, lesson_id__in=required
        ).values_list("lesson_id", flat=True)
    )
    percent = 100 if not required else int(100 * len(done) / len(required))
    fields = ["progress_percent", "last_activity_at"]
    # once completed, the percentage never drops (e.g. when an author adds a lesson later)
    enrolment.progress_percent = percent if enrolment.completed_at is None else max(percent, enrolment.progress_percent)
    enrolment.last_activity_at = timezone.now()
    if required and len(done) == len(required) and enrolment.completed_at is None:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = timezone.now()
        fields += ["status", "completed_at"]
    enrolment.save(update_fields=fields)
    if enrolment.completed_at is not None:
        from .certificates import issue

        issue(enrolment)
    return enrolment
