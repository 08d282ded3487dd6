"""Which courses a host may show: the storefront shows every published course; a corporate tenant
only the published courses licensed to it (one licence row per course, or one for the whole catalogue)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Course, CourseLicense, CourseStatus


def visible_courses(tenant: Any) -> QuerySet[Course]:
    published = Course.objects.filter(status=CourseStatus.PUBLISHED)
    if tenant is None or getattr(tenant, "kind", "public") == "public":
        return published
    licensed = CourseLicense.objects.filter(tenant_id=tenant.pk).filter(
        Q(course__isnull=True) | Q(course=OuterRef("pk"))
    )
    return published.filter(Exists(licensed))


def learnable_courses(tenant: Any) -> QuerySet[Course]:
    """Courses whose lessons enrolled learners may still open here: published ones and archived
    ones (an archived course leaves the catalogue, but nobody loses a course they were learning)."""
    statuses = [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED]
    courses = Course.objects.filter(status__in=statuses)
    if tenant is None or getattr(tenant, "kind", "public") == "public":
        return courses
    licensed = CourseLicense.objects.filter(tenant_id=tenant.pk).filter(
        Q(course__isnull=True) | Q(course=OuterRef("pk"))
    )
    return courses.filter(Exists(licensed))


def is_author(user: Any, course: Course) -> bool:
    """Authors are public-schema users: on a tenant host a user id means a different person."""
    from lib.db import tenant_connection

    if tenant_connection().schema_name != "public":
        return False
    role = getattr(user, "role", None)
    if role == "platform_admin":
        return True
    return role == "content_author" and course.authors.filter(pk=user.pk).exists()
