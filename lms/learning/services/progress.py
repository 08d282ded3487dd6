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

from django.db import connection, transaction
from django.utils import timezone

from lib.db import tenant_connection
from lib.errors import Conflict, DomainError, Forbidden, NotFound
from lib.localcache import TTLCache
from lms.catalog.models import Lesson, LessonKind
from lms.catalog.services.visibility import learnable_courses

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
    tenant = tenant_connection().tenant
    if lesson is None or not learnable_courses(tenant).filter(pk=lesson.course_id).exists():
        raise NotFound("Lesson not found.")
    enrolment = None
    if user is not None and getattr(user, "is_authenticated", False):
        enrolment = (
            Enrolment.objects.current()
            .filter(user=user, course_id=lesson.course_id)
            .exclude(status=EnrolmentStatus.REVOKED)
            .first()
        )
    if enrolment is None and lesson.course.status != "published":
        raise NotFound("Lesson not found.")  # an archived course exists only for its learners
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


@dataclass(frozen=True)
class LessonMeta:
    course_id: int
    kind: str
    duration: float | None


@dataclass(frozen=True)
class HeartbeatResult:
    position_seconds: float
    watched_seconds: float
    completed: bool
    course_progress_percent: int


# Heartbeats arrive every few seconds from every player: their lookups of public catalogue rows are
# cached per process for a few seconds (an author's edit or a licence change applies within that).
_lesson_meta: TTLCache[LessonMeta | None] = TTLCache(ttl=10)
_course_visible: TTLCache[bool] = TTLCache(ttl=10)

# Schema-qualified and run on the raw driver cursor: one round trip each, without the
# `SET search_path` django-tenants issues for every Django cursor. `set_config` makes the update's
# commit asynchronous: a heartbeat is superseded seconds later, so it need not wait for the WAL
# flush (a crash loses at most a fraction of a second of positions, never money).
_READ_PROGRESS = """
SELECT p.id, p.position_seconds, p.watched_seconds, p.reported_watched_seconds, p.coverage, p.completed_at,
       p.last_heartbeat_at, e.id, e.status, e.progress_percent
FROM {schema}.learning_lessonprogress p JOIN {schema}.learning_enrolment e ON e.id = p.enrolment_id
WHERE e.user_id = %s AND e.course_id = %s AND p.lesson_id = %s AND e.archived_at IS NULL
"""
# The RETURNING `set_config` runs inside the statement's own transaction, before its commit.
_UPDATE_PROGRESS = """
UPDATE {schema}.learning_lessonprogress SET position_seconds = %s, watched_seconds = %s,
       reported_watched_seconds = %s, coverage = %s, completed_at = %s, last_heartbeat_at = %s
WHERE id = %s AND last_heartbeat_at IS NOT DISTINCT FROM %s
RETURNING set_config('synchronous_commit', 'off', true)
"""


def _load_meta(lesson_id: int) -> LessonMeta | None:
    row = (
        Lesson.objects.filter(pk=lesson_id, deleted_at__isnull=True, module__deleted_at__isnull=True)
        .values_list("course_id", "kind", "duration_seconds")
        .first()
    )
    return None if row is None else LessonMeta(course_id=row[0], kind=row[1], duration=row[2])


def _visible(course_id: int) -> bool:
    tenant = tenant_connection().tenant
    return _course_visible.get_or_set(
        (tenant_connection().schema_name, course_id),
        lambda: learnable_courses(tenant).filter(pk=course_id).exists(),
    )


def heartbeat(user: Any, lesson_id: Any, *, position: float, watched: float) -> HeartbeatResult:
    """One playback heartbeat: a read and a conditional update, no explicit transaction.

    Optimistic concurrency instead of a row lock: the update only applies if the row still has the
    `last_heartbeat_at` that was read (a concurrent heartbeat of the same learner makes it retry),
    which saves the BEGIN/COMMIT round trips on the hottest endpoint."""
    try:
        pk = int(lesson_id)
    except (TypeError, ValueError):
        raise NotFound("Lesson not found.") from None
    meta = _lesson_meta.get_or_set(pk, lambda: _load_meta(pk))
    if meta is None or not _visible(meta.course_id):
        raise NotFound("Lesson not found.")
    if meta.kind != LessonKind.VIDEO or not meta.duration:
        raise DomainError("Only video lessons report playback progress.", code="not_a_video")
    duration = float(meta.duration)
    if not (math.isfinite(position) and math.isfinite(watched)) or position < 0 or watched < 0:
        raise ImplausibleProgress("Positions and watched time cannot be negative.")
    if position > duration + 1:
        raise ImplausibleProgress("The position is past the end of the video.")
    position = min(position, duration)
    schema = '"' + tenant_connection().schema_name.replace('"', '""') + '"'
    read_sql, update_sql = _READ_PROGRESS.format(schema=schema), _UPDATE_PROGRESS.format(schema=schema)
    connection.ensure_connection()
    for _attempt in range(5):
        with connection.connection.cursor() as cursor:
            cursor.execute(read_sql, [user.pk, meta.course_id, pk])
            row = cursor.fetchone()
        if row is None:
            # First beat without an opened lesson, or not enrolled: the full check gives the right
            # answer (403/404) or creates the row, then the fast path continues.
            access = lesson_access(user, pk, require_enrolment=True)
            LessonProgress.objects.get_or_create(
                enrolment=access.enrolment, lesson_id=pk, defaults={"last_heartbeat_at": timezone.now()}
            )
            continue
        (
            progress_id,
            old_position,
            old_watched,
            reported,
            coverage_raw,
            completed_at,
            last_beat,
            enrolment_id,
            enrolment_status,
            course_percent,
        ) = row
        if enrolment_status == EnrolmentStatus.REVOKED:
            raise Forbidden("Your access to this course was revoked.", code="not_enrolled")
        now = timezone.now()
        elapsed = max(0.0, (now - (last_beat or now)).total_seconds())
        if watched > reported + elapsed * MAX_PLAYBACK_RATE + TOLERANCE_SECONDS:
            raise ImplausibleProgress("Watched time grows faster than the video can play.")
        coverage = bytearray(bytes(coverage_raw or b""))
        needed = (_bits(duration) + 7) // 8
        if len(coverage) < needed:
            coverage.extend(b"\x00" * (needed - len(coverage)))
        advanced = position - old_position
        if 0 < advanced <= elapsed * MAX_PLAYBACK_RATE + TOLERANCE_SECONDS:
            _mark(coverage, old_position, position)  # continuous playback since the last beat
        watched_total = max(old_watched, _count(coverage, duration))
        completed_now = completed_at is None and watched_total >= COMPLETION_RATIO * duration
        if completed_now:
            completed_at = now
        with connection.connection.cursor() as cursor:
            cursor.execute(
                update_sql,
                [position, watched_total, watched, bytes(coverage), completed_at, now, progress_id, last_beat],
            )
            applied = cursor.rowcount == 1
        if applied:
            break
    else:
        raise Conflict("Too many simultaneous heartbeats for this lesson; try again.", code="heartbeat_conflict")
    if completed_now:
        with transaction.atomic():
            course_percent = recompute(
                Enrolment.objects.select_related("course", "user").get(pk=enrolment_id)
            ).progress_percent
    return HeartbeatResult(
        position_seconds=position,
        watched_seconds=watched_total,
        completed=completed_at is not None,
        course_progress_percent=course_percent,
    )
