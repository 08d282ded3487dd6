"""Catalogue API: the learner-facing catalogue (every host), authoring and licences (storefront)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Q, QuerySet
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Role
from lib.api import PUBLIC_KIND, ScopedAPIView, request_user
from lib.db import tenant_connection
from lib.errors import DomainError, NotFound
from lib.pagination import Pagination
from tenants.models import Tenant, TenantKind
from tenants.validators import validate_image

from .models import Category, Course, CourseLicense, Lesson, LessonKind, Level, MediaAsset
from .presenters import course_card, course_detail, lesson_summary, with_card_data, with_syllabus
from .services import authoring, licensing, uploads
from .services.visibility import is_author, visible_courses

AUTHOR_ROLES = frozenset({Role.CONTENT_AUTHOR, Role.PLATFORM_ADMIN})


def _enrolments_by_course(request: Request, course_ids: list[int]) -> dict[int, Any]:
    from lms.learning.models import Enrolment

    user = request.user
    if not user or not user.is_authenticated or not course_ids:
        return {}
    return {e.course_id: e for e in Enrolment.objects.current().filter(user=user, course_id__in=course_ids)}


class CatalogCourseListView(ScopedAPIView):
    public = True

    @extend_schema(
        parameters=[
            OpenApiParameter(name, str, required=False) for name in ("search", "category", "level", "language", "free")
        ],
        responses={200: dict},
        summary="Published courses visible on this host",
    )
    def get(self, request: Request) -> Response:
        qs = visible_courses(tenant_connection().tenant)
        params = request.query_params
        if search := params.get("search", "").strip()[:100]:
            qs = qs.filter(
                Q(title__icontains=search) | Q(subtitle__icontains=search) | Q(tags__contains=[search.lower()])
            )
        if category := params.get("category"):
            qs = qs.filter(category__slug=category)
        if (level := params.get("level")) and level in Level.values:
            qs = qs.filter(level=level)
        if (language := params.get("language")) in ("ru", "en"):
            qs = qs.filter(language=language)
        if params.get("free") in ("1", "true"):
            qs = qs.filter(price_amount=0)
        qs = with_card_data(qs).order_by("-published_at", "title")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        courses = list(page or [])
        enrolments = _enrolments_by_course(request, [c.pk for c in courses])
        return paginator.get_paginated_response([course_card(c, enrolments.get(c.pk)) for c in courses])


class CategoryListView(ScopedAPIView):
    public = True

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        language = translation.get_language() or "ru"
        return Response([{"slug": c.slug, "name": c.name(language)} for c in Category.objects.all()])


class CatalogCourseDetailView(ScopedAPIView):
    public = True

    @extend_schema(responses={200: dict}, parameters=[OpenApiParameter("preview", str, required=False)])
    def get(self, request: Request, slug: str) -> Response:
        user = request.user
        course = with_syllabus(visible_courses(tenant_connection().tenant)).filter(slug=slug).first()
        if course is None and request.query_params.get("preview") and user.is_authenticated:
            candidate = with_syllabus(Course.objects.all()).filter(slug=slug).first()
            if candidate is not None and is_author(user, candidate):
                course = candidate
        if course is None:
            raise NotFound("Course not found.")
        enrolment = _enrolments_by_course(request, [course.pk]).get(course.pk)
        completed: list[int] = []
        if enrolment is not None:
            from lms.learning.models import LessonProgress

            completed = list(
                LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
                    "lesson_id", flat=True
                )
            )
        return Response(course_detail(course, enrolment, completed))


# --- authoring -----------------------------------------------------------------------------------


class CourseWriteSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(max_length=80, required=False)
    title = serializers.CharField(max_length=200, required=False)
    subtitle = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description_md = serializers.CharField(max_length=100_000, required=False, allow_blank=True, trim_whitespace=False)
    category_slug = serializers.CharField(max_length=60, required=False, allow_blank=True, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    level = serializers.ChoiceField(choices=Level.values, required=False)
    language = serializers.ChoiceField(choices=["ru", "en"], required=False)
    estimated_minutes = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    price_amount = serializers.IntegerField(min_value=0, max_value=100_000_000_00, required=False)
    currency = serializers.CharField(max_length=3, required=False)


class LessonWriteSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=LessonKind.values, required=False)
    is_free_preview = serializers.BooleanField(required=False)
    is_required = serializers.BooleanField(required=False)
    body_md = serializers.CharField(max_length=200_000, required=False, allow_blank=True, trim_whitespace=False)
    media_asset_id = serializers.UUIDField(required=False)
    quiz = serializers.DictField(required=False)


def _author_fields(lesson: Lesson) -> dict[str, Any]:
    """What only the editor sees of a lesson: Markdown source, media state, quiz with answers
    (`lesson` comes with `media` selected and `questions__options` prefetched)."""
    media = lesson.media
    return {
        "body_md": lesson.body_md,
        "media": None
        if media is None
        else {
            "id": str(media.pk),
            "filename": media.filename,
            "status": media.status,
            "size": media.size,
            "content_type": media.content_type,
            "duration_seconds": media.duration_seconds,
        },
        "quiz": None
        if lesson.kind != LessonKind.QUIZ
        else {
            "pass_mark": lesson.quiz_pass_mark,
            "attempt_limit": lesson.quiz_attempt_limit,
            "shuffle": lesson.quiz_shuffle,
            "questions": [
                {
                    "id": q.pk,
                    "text": q.text,
                    "kind": q.kind,
                    "options": [{"id": o.pk, "text": o.text, "is_correct": o.is_correct} for o in q.options.all()],
                }
                for q in lesson.questions.all()
            ],
        },
    }


def _editor_lessons() -> QuerySet[Lesson]:
    return Lesson.objects.filter(deleted_at__isnull=True).select_related("media").prefetch_related("questions__options")


def author_tree(course: Course) -> dict[str, Any]:
    """The editor's document: everything, including drafts, Markdown sources and correct answers."""
    course = with_syllabus(Course.objects.filter(pk=course.pk)).get()
    lessons = {lesson.pk: lesson for lesson in _editor_lessons().filter(course=course)}
    doc = course_detail(course, include_status=True)
    doc.update(
        {
            "description_md": course.description_md,
            "category_slug": course.category.slug if course.category else None,
            "published_at": course.published_at,
            "publication_problems": authoring.publication_problems(course, lessons.values()),
        }
    )
    for module in doc["modules"]:
        for item in module["lessons"]:
            item.update(_author_fields(lessons[item["id"]]))
    return doc


def author_lesson(lesson: Lesson) -> dict[str, Any]:
    """One lesson as the editor's document shows it (without building the whole course)."""
    lesson = _editor_lessons().get(pk=lesson.pk)
    return {**lesson_summary(lesson), **_author_fields(lesson)}


class AuthoringBase(ScopedAPIView):
    tenant_kinds = frozenset({PUBLIC_KIND})
    allowed_roles = AUTHOR_ROLES


class AuthoringCourseListView(AuthoringBase):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        qs: QuerySet[Course] = with_card_data(authoring.courses_for(request_user(request)))
        return Response([course_card(c, include_status=True) for c in qs])

    @extend_schema(request=CourseWriteSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = authoring.create_course(user=request_user(request), request=request._request, data=data.validated_data)
        return Response(author_tree(course), status=status.HTTP_201_CREATED)


class AuthoringCourseDetailView(AuthoringBase):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        return Response(author_tree(authoring.get_course_for_author(request_user(request), slug)))

    @extend_schema(request=CourseWriteSerializer, responses={200: dict})
    def patch(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = authoring.get_course_for_author(user, slug)
        data = CourseWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "slug"}
        course = authoring.update_course(course, user=user, request=request._request, data=values)
        return Response(author_tree(course))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        authoring.delete_course(authoring.get_course_for_author(user, slug), user=user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthoringCoverView(AuthoringBase):
    @extend_schema(request={"multipart/form-data": dict}, responses={200: dict})
    def post(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = authoring.get_course_for_author(user, slug)
        upload = request.FILES.get("cover")
        if upload is None:
            raise DomainError("Attach an image as `cover`.", code="validation_error", fields={"cover": ["Required."]})
        ext = validate_image(upload, "cover", {"PNG", "JPEG", "WEBP"})
        course.cover.save(f"{course.slug}-{upload.size}.{ext}", upload, save=True)
        return Response(author_tree(course))


class AuthoringStatusView(AuthoringBase):
    """Publish, unpublish or archive (`transition`, set per URL)."""

    transition: ClassVar[str] = "publish"
    TRANSITIONS: ClassVar[dict[str, Callable[..., Course]]] = {
        "publish": authoring.publish,
        "unpublish": authoring.unpublish,
        "archive": authoring.archive,
    }

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = authoring.get_course_for_author(user, slug)
        course = self.TRANSITIONS[self.transition](course, user=user, request=request._request)
        return Response(author_tree(course))


class AuthoringReorderView(AuthoringBase):
    @extend_schema(request=dict, responses={200: dict})
    def post(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = authoring.get_course_for_author(user, slug)
        layout = request.data.get("modules") if isinstance(request.data, dict) else None
        if not isinstance(layout, list):
            raise DomainError(
                "Send {modules: [{id, lessons: [ids]}]}.", code="validation_error", fields={"modules": ["Required."]}
            )
        authoring.reorder(course, user=user, layout=layout)
        return Response(author_tree(course))


class TitleSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)


class AuthoringModuleCreateView(AuthoringBase):
    @extend_schema(request=TitleSerializer, responses={201: dict})
    def post(self, request: Request, slug: str) -> Response:
        user = request_user(request)
        course = authoring.get_course_for_author(user, slug)
        data = TitleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        module = authoring.add_module(course, user=user, title=data.validated_data["title"])
        return Response(
            {"id": module.pk, "title": module.title, "position": module.position, "lessons": []},
            status=status.HTTP_201_CREATED,
        )


class AuthoringModuleView(AuthoringBase):
    @extend_schema(request=TitleSerializer, responses={200: dict})
    def patch(self, request: Request, module_id: int) -> Response:
        user = request_user(request)
        data = TitleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        module = authoring.update_module(
            authoring.get_module(user, module_id), user=user, title=data.validated_data["title"]
        )
        return Response({"id": module.pk, "title": module.title, "position": module.position})

    @extend_schema(responses={204: None})
    def delete(self, request: Request, module_id: int) -> Response:
        user = request_user(request)
        authoring.delete_module(authoring.get_module(user, module_id), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthoringLessonCreateView(AuthoringBase):
    @extend_schema(request=LessonWriteSerializer, responses={201: dict})
    def post(self, request: Request, module_id: int) -> Response:
        user = request_user(request)
        module = authoring.get_module(user, module_id)
        data = LessonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = authoring.add_lesson(module, user=user, data=data.validated_data)
        return Response(author_lesson(lesson), status=status.HTTP_201_CREATED)


class AuthoringLessonView(AuthoringBase):
    @extend_schema(request=LessonWriteSerializer, responses={200: dict})
    def patch(self, request: Request, lesson_id: int) -> Response:
        user = request_user(request)
        lesson = authoring.get_lesson(user, lesson_id)
        data = LessonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("kind", None)  # a lesson's kind is fixed at creation
        lesson = authoring.update_lesson(lesson, user=user, request=request._request, data=values)
        return Response(author_lesson(lesson))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, lesson_id: int) -> Response:
        user = request_user(request)
        authoring.delete_lesson(authoring.get_lesson(user, lesson_id), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- uploads ---------------------------------------------------------------------------------------


class UploadStartSerializer(serializers.Serializer[Any]):
    filename = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=1)
    content_type = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=["video", "file"])


def asset_doc(asset: MediaAsset, *, with_parts: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "asset_id": str(asset.pk),
        "id": str(asset.pk),
        "status": asset.status,
        "filename": asset.filename,
        "size": asset.size,
        "content_type": asset.content_type or None,
        "duration_seconds": asset.duration_seconds,
        "part_size": asset.part_size,
        "part_count": asset.part_count,
    }
    if with_parts:
        doc["uploaded_parts"] = uploads.uploaded_parts(asset)
    return doc


class UploadStartView(AuthoringBase):
    @extend_schema(request=UploadStartSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = UploadStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = uploads.start(user=request_user(request), request=request._request, **data.validated_data)
        return Response(asset_doc(asset), status=status.HTTP_201_CREATED)


class UploadView(AuthoringBase):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, asset_id: str) -> Response:
        return Response(asset_doc(uploads.get_asset(request_user(request), asset_id), with_parts=True))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, asset_id: str) -> Response:
        user = request_user(request)
        uploads.abort(uploads.get_asset(user, asset_id), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartsSerializer(serializers.Serializer[Any]):
    part_numbers = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=100)


class UploadPartsView(AuthoringBase):
    @extend_schema(request=PartsSerializer, responses={200: dict})
    def post(self, request: Request, asset_id: str) -> Response:
        data = PartsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = uploads.get_asset(request_user(request), asset_id)
        return Response({"urls": uploads.presign_parts(asset, data.validated_data["part_numbers"])})


class PartReportSerializer(serializers.Serializer[Any]):
    etag = serializers.CharField(max_length=200)
    size = serializers.IntegerField(min_value=1)


class UploadPartDoneView(AuthoringBase):
    @extend_schema(request=PartReportSerializer, responses={204: None})
    def post(self, request: Request, asset_id: str, part_number: int) -> Response:
        data = PartReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = uploads.get_asset(request_user(request), asset_id)
        uploads.report_part(asset, part_number, data.validated_data["etag"], data.validated_data["size"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompletePartSerializer(serializers.Serializer[Any]):
    part_number = serializers.IntegerField(min_value=1)
    etag = serializers.CharField(max_length=200)


class CompleteSerializer(serializers.Serializer[Any]):
    parts = CompletePartSerializer(many=True)


class UploadCompleteView(AuthoringBase):
    @extend_schema(request=CompleteSerializer, responses={200: dict})
    def post(self, request: Request, asset_id: str) -> Response:
        user = request_user(request)
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = uploads.complete(
            uploads.get_asset(user, asset_id), user=user, request=request._request, parts=data.validated_data["parts"]
        )
        return Response(asset_doc(asset))


# --- licences --------------------------------------------------------------------------------------


class LicenseSerializer(serializers.Serializer[Any]):
    course_slug = serializers.CharField(max_length=80, required=False, allow_null=True)
    all = serializers.BooleanField(required=False, default=False)


def _corporate_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug, kind=TenantKind.CORPORATE).first()
    if tenant is None:
        raise NotFound("Tenant not found.")
    return tenant


def license_doc(license_: CourseLicense) -> dict[str, Any]:
    return {
        "id": license_.pk,
        "course_slug": license_.course.slug if license_.course else None,
        "granted_at": license_.granted_at,
        "granted_by": license_.granted_by_email,
    }


class LicenseListView(ScopedAPIView):
    tenant_kinds = frozenset({PUBLIC_KIND})
    allowed_roles = frozenset({Role.PLATFORM_ADMIN})

    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        tenant = _corporate_tenant(slug)
        return Response(
            [license_doc(lic) for lic in CourseLicense.objects.filter(tenant=tenant).select_related("course")]
        )

    @extend_schema(request=LicenseSerializer, responses={201: dict})
    def post(self, request: Request, slug: str) -> Response:
        tenant = _corporate_tenant(slug)
        data = LicenseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        license_ = licensing.grant(
            tenant,
            actor=request.user,
            request=request._request,
            course_slug=data.validated_data.get("course_slug"),
            whole_catalogue=data.validated_data["all"],
        )
        return Response(license_doc(license_), status=status.HTTP_201_CREATED)


class LicenseView(ScopedAPIView):
    tenant_kinds = frozenset({PUBLIC_KIND})
    allowed_roles = frozenset({Role.PLATFORM_ADMIN})

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, license_id: int) -> Response:
        licensing.revoke(_corporate_tenant(slug), license_id, actor=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
