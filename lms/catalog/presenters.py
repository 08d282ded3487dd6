"""Course documents for the API, built from prefetched rows (query counts stay constant)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from .markdown import render_markdown
from .models import Course, Lesson, Module


def with_card_data(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.select_related("category").annotate(
        live_lesson_count=Count(
            "lessons", filter=Q(lessons__deleted_at__isnull=True, lessons__module__deleted_at__isnull=True)
        )
    )


def with_syllabus(qs: QuerySet[Course]) -> QuerySet[Course]:
    lessons = Lesson.objects.filter(deleted_at__isnull=True).order_by("position", "id")
    modules = (
        Module.objects.filter(deleted_at__isnull=True)
        .order_by("position", "id")
        .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="live_lessons"))
    )
    return with_card_data(qs).prefetch_related(Prefetch("modules", queryset=modules, to_attr="live_modules"))


def money(course: Course) -> dict[str, Any]:
    return {"amount": course.price_amount, "currency": course.currency}


def cover_url(course: Course) -> str | None:
    return course.cover.url if course.cover else None


def course_card(course: Course, enrolment: Any = None, *, include_status: bool = False) -> dict[str, Any]:
    language = translation.get_language() or "ru"
    card: dict[str, Any] = {
        "slug": course.slug,
        "title": course.title,
        "subtitle": course.subtitle,
        "cover_url": cover_url(course),
        "category": {"slug": course.category.slug, "name": course.category.name(language)} if course.category else None,
        "tags": list(course.tags),
        "level": course.level,
        "language": course.language,
        "estimated_minutes": course.estimated_minutes,
        "price": money(course),
        "is_free": course.is_free,
        "lesson_count": getattr(course, "live_lesson_count", None),
        "enrolment": None
        if enrolment is None
        else {"status": enrolment.status, "progress_percent": enrolment.progress_percent},
    }
    if include_status:
        card["status"] = course.status
    return card


def lesson_summary(
    lesson: Lesson, *, completed: AbstractSet[int] = frozenset(), unlocked: bool = False
) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "kind": lesson.kind,
        "position": lesson.position,
        "is_free_preview": lesson.is_free_preview,
        "is_required": lesson.is_required,
        "duration_seconds": lesson.duration_seconds,
        "completed": lesson.pk in completed,
        "locked": not (unlocked or lesson.is_free_preview),
    }


def course_detail(
    course: Course, enrolment: Any = None, completed: Iterable[int] = (), *, include_status: bool = False
) -> dict[str, Any]:
    done = set(completed)
    unlocked = enrolment is not None and enrolment.status != "revoked"
    detail = course_card(course, enrolment, include_status=include_status)
    detail["description_html"] = render_markdown(course.description_md)
    detail["authors"] = [{"name": name} for name in course.author_names]
    detail["modules"] = [
        {
            "id": module.pk,
            "title": module.title,
            "position": module.position,
            "lessons": [lesson_summary(lesson, completed=done, unlocked=unlocked) for lesson in module.live_lessons],
        }
        for module in course.live_modules  # type: ignore[attr-defined]
    ]
    return detail
