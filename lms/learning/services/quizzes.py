"""Quizzes: attempts are scored on the server only; correct answers never reach the browser
before submission. Each attempt keeps a snapshot of the questions it showed, so editing a quiz
never changes a past result."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from lib.errors import Conflict, DomainError, NotFound
from lms.catalog.models import LessonKind

from ..models import QuizAttempt
from .enrolment import recompute
from .progress import LessonAccess, lesson_access


def _public_questions(snapshot: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": q["id"],
            "text": q["text"],
            "kind": q["kind"],
            "options": [{"id": o["id"], "text": o["text"]} for o in q["options"]],
        }
        for q in snapshot
    ]


def quiz_summary(access: LessonAccess) -> dict[str, Any]:
    lesson = access.lesson
    attempts = (
        list(QuizAttempt.objects.filter(enrolment=access.enrolment, lesson=lesson, submitted_at__isnull=False))
        if access.enrolment
        else []
    )
    scores = [a.score_percent or 0 for a in attempts]
    return {
        "pass_mark": lesson.quiz_pass_mark,
        "attempt_limit": lesson.quiz_attempt_limit,
        "attempts_used": len(attempts),
        "best_score": max(scores) if scores else None,
        "passed": any(a.passed for a in attempts),
        "question_count": lesson.questions.count(),
    }


@transaction.atomic
def start_attempt(user: Any, lesson_id: Any) -> tuple[QuizAttempt, list[dict[str, Any]]]:
    access = lesson_access(user, lesson_id, require_enrolment=True)
    lesson, enrolment = access.lesson, access.enrolment
    assert enrolment is not None  # require_enrolment=True
    if lesson.kind != LessonKind.QUIZ:
        raise DomainError("This lesson is not a quiz.", code="not_a_quiz")
    open_attempt = (
        QuizAttempt.objects.select_for_update()
        .filter(enrolment=enrolment, lesson=lesson, submitted_at__isnull=True)
        .first()
    )
    if open_attempt is not None:  # idempotent start: a reload shows the same attempt
        return open_attempt, _public_questions(open_attempt.questions)
    used = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, submitted_at__isnull=False).count()
    if lesson.quiz_attempt_limit and used >= lesson.quiz_attempt_limit:
        raise Conflict("No attempts left for this quiz.", code="attempt_limit_reached")
    rng = random.SystemRandom()
    questions = list(lesson.questions.prefetch_related("options"))
    if lesson.quiz_shuffle:
        rng.shuffle(questions)
    snapshot = []
    for question in questions:
        options = list(question.options.all())
        if lesson.quiz_shuffle:
            rng.shuffle(options)
        snapshot.append(
            {
                "id": question.pk,
                "text": question.text,
                "kind": question.kind,
                "options": [{"id": o.pk, "text": o.text} for o in options],
                "correct": sorted(o.pk for o in options if o.is_correct),
            }
        )
    attempt = QuizAttempt.objects.create(enrolment=enrolment, lesson=lesson, questions=snapshot)
    return attempt, _public_questions(snapshot)


def attempt_history(user: Any, lesson_id: Any) -> list[dict[str, Any]]:
    access = lesson_access(user, lesson_id, require_enrolment=True)
    attempts = QuizAttempt.objects.filter(enrolment=access.enrolment, lesson=access.lesson).order_by("-started_at")
    return [
        {
            "attempt_id": a.pk,
            "started_at": a.started_at,
            "submitted_at": a.submitted_at,
            "score_percent": a.score_percent,
            "passed": a.passed,
        }
        for a in attempts
    ]


def result_of(attempt: QuizAttempt) -> dict[str, Any]:
    answers = attempt.answers or {}
    return {
        "attempt_id": attempt.pk,
        "score_percent": attempt.score_percent,
        "passed": attempt.passed,
        "pass_mark": attempt.lesson.quiz_pass_mark,
        "results": [
            {
                "question_id": q["id"],
                "correct": sorted(answers.get(str(q["id"]), [])) == q["correct"],
                "correct_option_ids": q["correct"],
            }
            for q in attempt.questions
        ],
    }


def _parse_answers(snapshot: list[dict[str, Any]], answers: Any) -> dict[str, list[int]]:
    if not isinstance(answers, dict):
        raise DomainError(
            "Answers must map question ids to option ids.",
            code="validation_error",
            fields={"answers": ["Expected an object."]},
        )
    by_id = {str(q["id"]): q for q in snapshot}
    parsed: dict[str, list[int]] = {}
    for key, chosen in answers.items():
        question = by_id.get(str(key))
        if question is None or not isinstance(chosen, list):
            raise DomainError(
                "Unknown question in answers.",
                code="validation_error",
                fields={f"answers.{key}": ["Unknown question."]},
            )
        valid = {o["id"] for o in question["options"]}
        try:
            ids = sorted({int(c) for c in chosen})
        except (TypeError, ValueError):
            raise DomainError(
                "Option ids are numbers.", code="validation_error", fields={f"answers.{key}": ["Invalid option."]}
            ) from None
        if not set(ids) <= valid or (question["kind"] == "single" and len(ids) > 1):
            raise DomainError(
                "Invalid options for this question.",
                code="validation_error",
                fields={f"answers.{key}": ["Invalid option."]},
            )
        parsed[str(key)] = ids
    return parsed


@transaction.atomic
def submit(user: Any, attempt_id: Any, answers: Any) -> tuple[QuizAttempt, bool]:
    """Score an attempt. Submitting the same attempt again returns the stored result (safe retry)."""
    try:
        pk = int(attempt_id)
    except (TypeError, ValueError):
        raise NotFound("Attempt not found.") from None
    attempt = (
        QuizAttempt.objects.select_for_update()
        .select_related("lesson", "enrolment")
        .filter(pk=pk, enrolment__user=user)
        .first()
    )
    if attempt is None:
        raise NotFound("Attempt not found.")
    access = lesson_access(user, attempt.lesson_id, require_enrolment=True)  # still enrolled, course visible
    if attempt.submitted_at is not None:
        return attempt, False
    if access.enrolment is None or access.enrolment.pk != attempt.enrolment_id:
        # a re-certification cycle started after this attempt: it must not count for the new cycle
        raise Conflict(
            "This attempt belongs to a finished learning cycle; start the quiz again.", code="attempt_expired"
        )
    parsed = _parse_answers(attempt.questions, answers)
    correct = sum(1 for q in attempt.questions if parsed.get(str(q["id"]), []) == q["correct"])
    total = len(attempt.questions)
    attempt.answers = parsed
    attempt.score_percent = round(100 * correct / total) if total else 0
    attempt.passed = attempt.score_percent >= attempt.lesson.quiz_pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save()
    if attempt.passed:
        from ..models import LessonProgress

        progress, _ = LessonProgress.objects.get_or_create(enrolment=attempt.enrolment, lesson=attempt.lesson)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at"])
        recompute(attempt.enrolment)
    return attempt, True
