"""Learner API: my learning, the course player, progress, quizzes, certificates, verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Role
from lib import storage
from lib.api import ScopedAPIView, request_user
from lib.db import tenant_connection
from lib.errors import NotFound
from lms.catalog.markdown import render_markdown
from lms.catalog.models import Course, LessonKind
from lms.catalog.presenters import course_card, course_detail, lesson_summary, with_card_data, with_syllabus
from lms.catalog.services.visibility import learnable_courses

from .models import Certificate, Enrolment, EnrolmentStatus, LessonProgress
from .services import certificates, progress, quizzes
from .services.enrolment import live_lessons, self_enrol


def enrolment_doc(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "course_slug": enrolment.course.slug,
        "status": enrolment.status,
        "source": enrolment.source,
        "progress_percent": enrolment.progress_percent,
        "enrolled_at": enrolment.enrolled_at,
        "completed_at": enrolment.completed_at,
    }


class EnrolView(ScopedAPIView):
    @extend_schema(request=None, responses={200: dict, 201: dict, 402: dict})
    def post(self, request: Request, slug: str) -> Response:
        enrolment, created = self_enrol(request_user(request), slug)
        return Response(enrolment_doc(enrolment), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _assignments_of(user: Any) -> dict[int, Any]:
    """The user's current assignments by course (corporate schemas only: the table lives there)."""
    if getattr(tenant_connection().tenant, "kind", "public") != "corporate":
        return {}
    from lms.corporate.services.assignments import current_assignments

    return {a.course_id: a for a in current_assignments().filter(user=user)}


class MyLearningView(ScopedAPIView):
    """Everything on the "My learning" page in a constant number of queries."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user = request_user(request)
        enrolments = list(
            Enrolment.objects.current()
            .filter(user=user)
            .exclude(status=EnrolmentStatus.REVOKED)
            .order_by("-last_activity_at", "-enrolled_at")
        )
        courses = {c.pk: c for c in with_card_data(Course.objects.filter(pk__in=[e.course_id for e in enrolments]))}
        certs = list(Certificate.objects.filter(enrolment__user=user).select_related("enrolment__course"))
        sections: dict[str, list[dict[str, Any]]] = {"in_progress": [], "assigned": [], "completed": []}
        obligations = _assignments_of(user)
        for enrolment in enrolments:
            card = course_card(courses[enrolment.course_id], enrolment)
            assignment = obligations.get(enrolment.course_id)
            if assignment is not None:
                card = {**card, "due_at": assignment.due_at, "required": assignment.required}
            if enrolment.status == EnrolmentStatus.COMPLETED:
                sections["completed"].append(card)
            elif assignment is not None:
                sections["assigned"].append(card)
            else:
                sections["in_progress"].append(card)
        sections["assigned"].sort(key=lambda c: (c["due_at"] is None, c["due_at"] or 0))
        return Response({**sections, "certificates": certificates.describe_all(certs)})


class LearnerCourseView(ScopedAPIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = with_syllabus(learnable_courses(tenant_connection().tenant)).filter(slug=slug).first()
        if course is None:
            raise NotFound("Course not found.")
        enrolment = (
            Enrolment.objects.current().filter(user=user, course=course).exclude(status=EnrolmentStatus.REVOKED).first()
        )
        if enrolment is None:
            from lib.errors import Forbidden

            raise Forbidden("Enrol in the course first.", code="not_enrolled")
        completed = LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
        return Response(course_detail(course, enrolment, list(completed)))


class LessonView(ScopedAPIView):
    public = True  # free-preview lessons open without an account; others check enrolment inside

    @extend_schema(responses={200: dict})
    def get(self, request: Request, lesson_id: int) -> Response:
        user = request.user if request.user.is_authenticated else None
        access = progress.lesson_access(user, lesson_id)
        lesson, enrolment = access.lesson, access.enrolment
        record = progress.touch(enrolment, lesson) if enrolment is not None else None
        completed = {lesson.pk} if record is not None and record.completed_at else set()
        doc = lesson_summary(lesson, completed=completed, unlocked=enrolment is not None)
        ordered = live_lessons(lesson.course_id)
        ids = [item.pk for item in ordered]
        index = ids.index(lesson.pk)
        doc["course"] = {"slug": lesson.course.slug, "title": lesson.course.title}
        doc["previous_lesson_id"] = ids[index - 1] if index > 0 else None
        doc["next_lesson_id"] = ids[index + 1] if index + 1 < len(ids) else None
        ttl = settings.MEDIA_SIGNED_URL_TTL_SECONDS
        if lesson.kind == LessonKind.VIDEO and lesson.media is not None:
            doc["video"] = {
                "playback_url": storage.signed_get_url(
                    lesson.media.key, ttl=ttl, content_type=lesson.media.content_type
                ),
                "expires_at": timezone.now() + timedelta(seconds=ttl),
                "duration_seconds": lesson.duration_seconds,
                "content_type": lesson.media.content_type,
            }
            doc["progress"] = {
                "position_seconds": record.position_seconds if record else 0,
                "watched_seconds": record.watched_seconds if record else 0,
                "completed": bool(record and record.completed_at),
            }
        elif lesson.kind == LessonKind.ARTICLE:
            doc["body_html"] = render_markdown(lesson.body_md)
        elif lesson.kind == LessonKind.FILE and lesson.media is not None:
            doc["file"] = {
                "download_url": storage.signed_get_url(lesson.media.key, ttl=ttl, filename=lesson.media.filename),
                "filename": lesson.media.filename,
                "size": lesson.media.size,
            }
        elif lesson.kind == LessonKind.QUIZ:
            doc["quiz"] = quizzes.quiz_summary(access)
        return Response(doc)


class AttemptStartView(ScopedAPIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, lesson_id: int) -> Response:
        """The learner's attempt history for this quiz (newest first)."""
        return Response(quizzes.attempt_history(request_user(request), lesson_id))

    @extend_schema(request=None, responses={201: dict})
    def post(self, request: Request, lesson_id: int) -> Response:
        attempt, questions = quizzes.start_attempt(request_user(request), lesson_id)
        return Response({"attempt_id": attempt.pk, "questions": questions}, status=status.HTTP_201_CREATED)


class SubmitSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))


class AttemptSubmitView(ScopedAPIView):
    @extend_schema(request=SubmitSerializer, responses={200: dict})
    def post(self, request: Request, attempt_id: int) -> Response:
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt, _ = quizzes.submit(request_user(request), attempt_id, data.validated_data["answers"])
        enrolment = Enrolment.objects.select_related("course").get(pk=attempt.enrolment_id)
        certificate = Certificate.objects.filter(enrolment=enrolment).first()
        return Response(
            {
                **quizzes.result_of(attempt),
                "course_progress_percent": enrolment.progress_percent,
                "certificate": certificates.describe(certificate) if certificate else None,
            }
        )


class CertificateListView(ScopedAPIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        certs = Certificate.objects.filter(enrolment__user=request_user(request)).select_related("enrolment__course")
        return Response(certificates.describe_all(certs))


class CertificatePdfView(ScopedAPIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, code: str) -> HttpResponse:
        certificate = certificates.get_for_user(request_user(request), code)
        response = HttpResponse(certificates.render_pdf(certificate), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
        return response


class RevokeSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CertificateRevokeView(ScopedAPIView):
    allowed_roles = frozenset({Role.TENANT_ADMIN, Role.PLATFORM_ADMIN})

    @extend_schema(request=RevokeSerializer, responses={200: dict})
    def post(self, request: Request, code: str) -> Response:
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = certificates.revoke(code, actor=request.user, reason=data.validated_data["reason"])
        return Response(certificates.describe(certificate))


class VerifyView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request, code: str) -> Response:
        return Response(certificates.verify(code))
