"""Lesson access and progress heartbeats.

Plausibility rules (a heartbeat that breaks one is refused with 400 and changes nothing):
- positions are within [0, duration];
- the client's watched-seconds counter never grows faster than wall time allows
  (elapsed since the previous heartbeat × the fastest playback rate, plus a small tolerance);
- completion is monotonic.
The stored `watched_seconds` is the server's own count: seconds of the video covered by continuous
playback between two heartbeats (a per-second bitmap), so seeking or replaying adds nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lib.db import tenant_connection
from lib.errors import DomainError, Forbidden, NotFound
from lms.catalog.models import Lesson, LessonKind
from lms.catalog.services.visibility import visible_courses

from ..models import Enrolment, EnrolmentStatus, LessonProgress
from .enrolment import recompute

MAX_PLAYBACK_RATE = 2.0
TOLERANCE_SECONDS = 3.0
COMPLETION_RATIO = 0.9


class ImplausibleProgress(DomainError):
    code = "implausible_progress"


@dataclass(frozen=True)
class LessonAccess:
    lesson: Lesson
    enrolment: Enrolment | None


def lesson_access(user: Any, lesson_id: Any, *, require_enrolment: bool = False) -> LessonAccess:
    try:
        pk = int(lesson_id)
    except (TypeError, ValueError):
        raise NotFound("Lesson not found.") from None
    lesson = (
        Lesson.objects.select_related("course", "module", "media")
        .filter(pk=pk, deleted_at__isnull=True, module__deleted_at__isnull=True)
        .first()
    )
    if lesson is None or not visible_courses(tenant_connection().tenant).filter(pk=lesson.course_id).exists():
        raise NotFound("Lesson not found.")
    enrolment = None
    if user is not None and getattr(user, "is_authenticated", False):
        enrolment = (
            Enrolment.objects.filter(user=user, course_id=lesson.course_id)
            .exclude(status=EnrolmentStatus.REVOKED)
            .first()
        )
    if enrolment is None and (require_enrolment or not lesson.is_free_preview):
        raise Forbidden("Enrol in the course to open this lesson.", code="not_enrolled")
    return LessonAccess(lesson=lesson, enrolment=enrolment)


def _bits(duration: float) -> int:
    return max(1, math.ceil(duration))


def _mark(coverage: bytearray, start: float, end: float) -> None:
    for second in range(int(start), min(math.ceil(end), len(coverage) * 8)):
        coverage[second // 8] |= 1 << (second % 8)


def _count(coverage: bytes | bytearray, duration: float) -> float:
    covered = sum(bin(byte).count("1") for byte in coverage)
    return float(min(covered, _bits(duration)))


def touch(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """Open a lesson: creates the progress row (the wall-time baseline) and completes articles/files."""
    progress, _ = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"last_heartbeat_at": timezone.now()}
    )
    if lesson.kind in (LessonKind.ARTICLE, LessonKind.FILE) and progress.completed_at is None:
        with transaction.atomic():
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at"])
            recompute(enrolment)
    return progress


@transaction.atomic
def heartbeat(user: Any, lesson_id: Any, *, position: float, watched: float) -> tuple[LessonProgress, Enrolment]:
    access = lesson_access(user, lesson_id, require_enrolment=True)
    lesson, enrolment = access.lesson, access.enrolment
    assert enrolment is not None
    if lesson.kind != LessonKind.VIDEO or not lesson.duration_seconds:
        raise DomainError("Only video lessons report playback progress.", code="not_a_video")
    duration = float(lesson.duration_seconds)
    if not (math.isfinite(position) and math.isfinite(watched)) or position < 0 or watched < 0:
        raise ImplausibleProgress("Positions and watched time cannot be negative.")
    if position > duration + 1:
        raise ImplausibleProgress("The position is past the end of the video.")
    now = timezone.now()
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"last_heartbeat_at": now}
    )
    baseline = progress.last_heartbeat_at or now
    elapsed = max(0.0, (now - baseline).total_seconds())
    allowed = progress.reported_watched_seconds + elapsed * MAX_PLAYBACK_RATE + TOLERANCE_SECONDS
    if watched > allowed:
        raise ImplausibleProgress("Watched time grows faster than the video can play.")
    position = min(position, duration)
    coverage = bytearray(progress.coverage or b"")
    needed = (_bits(duration) + 7) // 8
    if len(coverage) < needed:
        coverage.extend(b"\x00" * (needed - len(coverage)))
    advanced = position - progress.position_seconds
    if 0 < advanced <= elapsed * MAX_PLAYBACK_RATE + TOLERANCE_SECONDS:
        _mark(coverage, progress.position_seconds, position)  # continuous playback since the last beat
    progress.coverage = bytes(coverage)
    progress.watched_seconds = max(progress.watched_seconds, _count(coverage, duration))
    progress.position_seconds = position
    progress.reported_watched_seconds = watched
    progress.last_heartbeat_at = now
    completed_now = progress.completed_at is None and progress.watched_seconds >= COMPLETION_RATIO * duration
    if completed_now:
        progress.completed_at = now
    progress.save()
    if completed_now:
        recompute(enrolment)
    return progress, enrolment
