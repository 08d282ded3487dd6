"""Authoring actions on courses, modules, lessons and quizzes (public schema, content authors).

Identity is stable: lessons and modules are soft-deleted and reordering only changes `position`
(and `module` when a lesson moves), so progress recorded against a lesson survives every edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from accounts.services import audit
from lib.errors import Conflict, DomainError, Forbidden, NotFound

from ..models import (
    Category,
    Course,
    CourseStatus,
    Lesson,
    LessonKind,
    MediaAsset,
    MediaStatus,
    Module,
    QuestionKind,
    QuizOption,
    QuizQuestion,
)
from .visibility import is_author

COURSE_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
MAX_QUESTIONS = 100
MAX_OPTIONS = 12


def _invalid(field: str, message: str, code: str = "validation_error") -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def courses_for(user: Any) -> QuerySet[Course]:
    qs = Course.objects.select_related("category").order_by("-updated_at")
    if getattr(user, "role", None) == "platform_admin":
        return qs
    return qs.filter(authors=user)


def get_course_for_author(user: Any, slug: str, *, lock: bool = False) -> Course:
    qs = Course.objects.select_for_update() if lock else Course.objects.all()
    course = qs.filter(slug=slug).first()
    if course is None or not is_author(user, course):
        raise NotFound("Course not found.")
    return course


def _apply_course_fields(course: Course, data: dict[str, Any]) -> list[str]:
    changed: list[str] = []
    for field in ("title", "subtitle", "description_md", "level", "language"):
        if field in data:
            value = str(data[field]).strip() if field != "description_md" else str(data[field])
            if field == "title" and not value:
                raise _invalid("title", "Title is required.")
            setattr(course, field, value)
            changed.append(field)
    if "estimated_minutes" in data:
        course.estimated_minutes = int(data["estimated_minutes"])
        changed.append("estimated_minutes")
    if "price_amount" in data:
        course.price_amount = int(data["price_amount"])
        changed.append("price_amount")
    if "currency" in data:
        currency = str(data["currency"]).upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise _invalid("currency", "Use an ISO 4217 code such as RUB.")
        course.currency = currency
        changed.append("currency")
    if "tags" in data:
        tags = [str(t).strip().lower()[:40] for t in data["tags"] if str(t).strip()]
        course.tags = sorted(set(tags))[:20]
        changed.append("tags")
    if "category_slug" in data:
        slug = data["category_slug"]
        if slug:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                raise _invalid("category_slug", "Unknown category.")
            course.category = category
        else:
            course.category = None
        changed.append("category")
    return changed


@transaction.atomic
def create_course(*, user: Any, request: HttpRequest | None = None, data: dict[str, Any]) -> Course:
    slug = str(data.get("slug") or slugify(str(data.get("title", ""))))[:80]
    if not COURSE_SLUG_RE.match(slug):
        raise _invalid("slug", "Use lowercase Latin letters, digits and hyphens (3–80).", "invalid_slug")
    if Course.objects.filter(slug=slug).exists():
        raise Conflict("A course with this address exists.", code="slug_taken", fields={"slug": ["Taken."]})
    course = Course(slug=slug, title="")
    _apply_course_fields(course, {"title": data.get("title", ""), **{k: v for k, v in data.items() if k != "slug"}})
    course.author_names = [user.full_name or user.email.split("@")[0]]
    course.save()
    course.authors.add(user)
    audit.record("course.created", actor=user, target=slug, request=request)
    return course


@transaction.atomic
def update_course(course: Course, *, user: Any, request: HttpRequest | None = None, data: dict[str, Any]) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = _apply_course_fields(course, data)
    course.save()
    audit.record("course.updated", actor=user, target=course.slug, request=request, fields=changed)
    return course


@transaction.atomic
def delete_course(course: Course, *, user: Any, request: HttpRequest | None = None) -> None:
    if course.published_at is not None:
        raise Conflict("A course that was ever published is archived, not deleted.", code="course_was_published")
    slug = course.slug
    course.delete()
    audit.record("course.deleted", actor=user, target=slug, request=request)


def _next_position(qs: QuerySet[Any]) -> int:
    value = qs.aggregate(m=Max("position"))["m"]
    return 0 if value is None else int(value) + 1


@transaction.atomic
def add_module(course: Course, *, user: Any, title: str) -> Module:
    title = title.strip()
    if not title:
        raise _invalid("title", "Title is required.")
    module = Module.objects.create(
        course=course, title=title[:200], position=_next_position(course.modules.filter(deleted_at__isnull=True))
    )
    audit.record("course.module_added", actor=user, target=course.slug, module=module.pk)
    return module


def get_module(user: Any, module_id: int) -> Module:
    module = Module.objects.select_related("course").filter(pk=module_id, deleted_at__isnull=True).first()
    if module is None or not is_author(user, module.course):
        raise NotFound("Module not found.")
    return module


def get_lesson(user: Any, lesson_id: int) -> Lesson:
    lesson = Lesson.objects.select_related("course", "media").filter(pk=lesson_id, deleted_at__isnull=True).first()
    if lesson is None or not is_author(user, lesson.course):
        raise NotFound("Lesson not found.")
    return lesson


@transaction.atomic
def update_module(module: Module, *, user: Any, title: str) -> Module:
    if not title.strip():
        raise _invalid("title", "Title is required.")
    module.title = title.strip()[:200]
    module.save(update_fields=["title"])
    return module


@transaction.atomic
def delete_module(module: Module, *, user: Any) -> None:
    now = timezone.now()
    Lesson.objects.filter(module=module, deleted_at__isnull=True).update(deleted_at=now)
    module.deleted_at = now
    module.save(update_fields=["deleted_at"])
    audit.record("course.module_removed", actor=user, target=module.course.slug, module=module.pk)


@transaction.atomic
def add_lesson(module: Module, *, user: Any, data: dict[str, Any]) -> Lesson:
    title = str(data.get("title", "")).strip()
    if not title:
        raise _invalid("title", "Title is required.")
    kind = data.get("kind")
    if kind not in LessonKind.values:
        raise _invalid("kind", "Lesson type must be video, article, file or quiz.")
    lesson = Lesson.objects.create(
        course=module.course,
        module=module,
        title=title[:200],
        kind=kind,
        position=_next_position(module.lessons.filter(deleted_at__isnull=True)),
        is_free_preview=bool(data.get("is_free_preview", False)),
        is_required=bool(data.get("is_required", True)),
    )
    audit.record("course.lesson_added", actor=user, target=module.course.slug, lesson=lesson.pk)
    return lesson


def _replace_quiz(lesson: Lesson, quiz: dict[str, Any]) -> None:
    pass_mark = int(quiz.get("pass_mark", lesson.quiz_pass_mark))
    attempt_limit = int(quiz.get("attempt_limit", lesson.quiz_attempt_limit))
    if not 0 <= pass_mark <= 100:
        raise _invalid("quiz.pass_mark", "Pass mark is a percentage from 0 to 100.")
    if not 0 <= attempt_limit <= 100:
        raise _invalid("quiz.attempt_limit", "Attempt limit is from 0 (unlimited) to 100.")
    questions = quiz.get("questions", [])
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise _invalid("quiz.questions", f"Up to {MAX_QUESTIONS} questions.")
    for index, question in enumerate(questions):
        options = question.get("options", []) if isinstance(question, dict) else []
        text = str(question.get("text", "")).strip() if isinstance(question, dict) else ""
        kind = question.get("kind", "single") if isinstance(question, dict) else None
        correct = [o for o in options if isinstance(o, dict) and o.get("is_correct")]
        if not text or kind not in QuestionKind.values:
            raise _invalid(f"quiz.questions.{index}", "Each question needs text and a kind (single or multiple).")
        if not 2 <= len(options) <= MAX_OPTIONS or any(not str(o.get("text", "")).strip() for o in options):
            raise _invalid(f"quiz.questions.{index}", f"Each question needs 2–{MAX_OPTIONS} options with text.")
        if not correct or (kind == "single" and len(correct) != 1):
            raise _invalid(f"quiz.questions.{index}", "Mark the correct answer (exactly one for single choice).")
    lesson.quiz_pass_mark = pass_mark
    lesson.quiz_attempt_limit = attempt_limit
    lesson.quiz_shuffle = bool(quiz.get("shuffle", lesson.quiz_shuffle))
    lesson.questions.all().delete()  # attempts keep their own snapshot, so replacing is safe
    for q_pos, question in enumerate(questions):
        row = QuizQuestion.objects.create(
            lesson=lesson, position=q_pos, text=str(question["text"]).strip(), kind=question["kind"]
        )
        QuizOption.objects.bulk_create(
            QuizOption(
                question=row, position=o_pos, text=str(o["text"]).strip()[:500], is_correct=bool(o.get("is_correct"))
            )
            for o_pos, o in enumerate(question["options"])
        )


@transaction.atomic
def update_lesson(lesson: Lesson, *, user: Any, request: HttpRequest | None = None, data: dict[str, Any]) -> Lesson:
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if "title" in data:
        if not str(data["title"]).strip():
            raise _invalid("title", "Title is required.")
        lesson.title = str(data["title"]).strip()[:200]
    for flag in ("is_free_preview", "is_required"):
        if flag in data:
            setattr(lesson, flag, bool(data[flag]))
    if "body_md" in data:
        if lesson.kind != LessonKind.ARTICLE:
            raise _invalid("body_md", "Only article lessons have text.")
        lesson.body_md = str(data["body_md"])
    if "media_asset_id" in data:
        if lesson.kind not in (LessonKind.VIDEO, LessonKind.FILE):
            raise _invalid("media_asset_id", "Only video and file lessons have media.")
        asset = MediaAsset.objects.filter(pk=data["media_asset_id"], status=MediaStatus.READY).first()
        if asset is None or (asset.kind != lesson.kind):
            raise _invalid("media_asset_id", "Upload a ready file of the right kind first.")
        lesson.media = asset
        lesson.duration_seconds = asset.duration_seconds
    if "quiz" in data:
        if lesson.kind != LessonKind.QUIZ:
            raise _invalid("quiz", "Only quiz lessons have questions.")
        if not isinstance(data["quiz"], dict):
            raise _invalid("quiz", "Quiz must be an object.")
        _replace_quiz(lesson, data["quiz"])
    lesson.save()
    audit.record(
        "course.lesson_updated",
        actor=user,
        target=lesson.course.slug,
        request=request,
        lesson=lesson.pk,
        fields=sorted(data),
    )
    return lesson


@transaction.atomic
def delete_lesson(lesson: Lesson, *, user: Any) -> None:
    lesson.deleted_at = timezone.now()
    lesson.save(update_fields=["deleted_at"])
    audit.record("course.lesson_removed", actor=user, target=lesson.course.slug, lesson=lesson.pk)


@transaction.atomic
def reorder(course: Course, *, user: Any, layout: list[dict[str, Any]]) -> None:
    """Apply a full order: `[{id: module_id, lessons: [lesson_id, …]}, …]`. Every live module and
    lesson of the course must appear exactly once; lessons may move between modules."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    modules = {m.pk: m for m in course.modules.filter(deleted_at__isnull=True)}
    lessons = {lesson.pk: lesson for lesson in course.lessons.filter(deleted_at__isnull=True)}
    try:
        module_ids = [int(entry["id"]) for entry in layout]
        lesson_ids = [int(lid) for entry in layout for lid in entry.get("lessons", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise _invalid("modules", "Send [{id, lessons: [ids]}] for every module.") from exc
    if sorted(module_ids) != sorted(modules) or sorted(lesson_ids) != sorted(lessons):
        raise _invalid(
            "modules", "The order must list every module and lesson of this course exactly once.", "incomplete_order"
        )
    for m_pos, entry in enumerate(layout):
        module = modules[int(entry["id"])]
        if module.position != m_pos:
            module.position = m_pos
            module.save(update_fields=["position"])
        for l_pos, lesson_id in enumerate(entry.get("lessons", [])):
            lesson = lessons[int(lesson_id)]
            if lesson.position != l_pos or lesson.module_id != module.pk:
                lesson.position = l_pos
                lesson.module = module
                lesson.save(update_fields=["position", "module"])
    audit.record("course.reordered", actor=user, target=course.slug)


def publication_problems(course: Course, lessons: Iterable[Lesson] | None = None) -> list[str]:
    """Why the course cannot be published yet. `lessons`: its live lessons with `media` selected and
    `questions` prefetched, when the caller has them already."""
    if lessons is None:
        lessons = (
            course.lessons.filter(deleted_at__isnull=True, module__deleted_at__isnull=True)
            .select_related("media")
            .prefetch_related("questions")
        )
    lessons = list(lessons)
    problems: list[str] = []
    if not lessons:
        problems.append("Add at least one lesson.")
    for lesson in lessons:
        if lesson.kind in (LessonKind.VIDEO, LessonKind.FILE) and (
            lesson.media is None or lesson.media.status != MediaStatus.READY
        ):
            problems.append(f"Lesson “{lesson.title}” has no uploaded {lesson.kind}.")
        if lesson.kind == LessonKind.QUIZ and not lesson.questions.all():
            problems.append(f"Quiz “{lesson.title}” has no questions.")
        if lesson.kind == LessonKind.ARTICLE and not lesson.body_md.strip():
            problems.append(f"Article “{lesson.title}” is empty.")
    return problems


@transaction.atomic
def publish(course: Course, *, user: Any, request: HttpRequest | None = None) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    problems = publication_problems(course)
    if problems:
        raise DomainError("The course is not ready to publish.", code="not_publishable", fields={"course": problems})
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or timezone.now()
    course.save()
    audit.record("course.published", actor=user, target=course.slug, request=request)
    return course


@transaction.atomic
def unpublish(course: Course, *, user: Any, request: HttpRequest | None = None) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.PUBLISHED:
        raise Conflict("The course is not published.", code="not_published")
    course.status = CourseStatus.DRAFT
    course.save(update_fields=["status", "updated_at"])
    audit.record("course.unpublished", actor=user, target=course.slug, request=request)
    return course


@transaction.atomic
def archive(course: Course, *, user: Any, request: HttpRequest | None = None) -> Course:
    """Take a course out of the catalogue for good; enrolled learners keep their access."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status == CourseStatus.ARCHIVED:
        raise Conflict("The course is already archived.", code="already_archived")
    course.status = CourseStatus.ARCHIVED
    course.save(update_fields=["status", "updated_at"])
    audit.record("course.archived", actor=user, target=course.slug, request=request)
    return course


def require_author_role(user: Any) -> None:
    if getattr(user, "role", None) not in ("content_author", "platform_admin"):
        raise Forbidden("Only content authors can do this.")
