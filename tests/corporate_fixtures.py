"""Fixtures for corporate-learning tests: article courses licensed to acme, a tenant context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from lib.db import tenant_connection
from lms.catalog.models import Course, CourseLicense
from lms.catalog.services import authoring
from tenants.models import Tenant


def article_course(slug: str, *, lessons: int = 1, license_to: str | None = "acme") -> Course:
    """A published course of article lessons (opening an article completes it), licensed."""
    with schema_context("public"):
        author = User.objects.get(email="author@ffs.local")
        course = authoring.create_course(user=author, data={"slug": slug, "title": f"Курс {slug}"})
        module = authoring.add_module(course, user=author, title="Basics")
        for index in range(lessons):
            lesson = authoring.add_lesson(module, user=author, data={"title": f"Read {index}", "kind": "article"})
            authoring.update_lesson(lesson, user=author, data={"body_md": "Text"})
        authoring.publish(course, user=author)
        if license_to:
            CourseLicense.objects.create(tenant=Tenant.objects.get(slug=license_to), course=course)
        return Course.objects.get(pk=course.pk)


@contextmanager
def in_tenant(slug: str) -> Iterator[Tenant]:
    """Run service code as a request on that tenant's host would: schema and tenant set."""
    tenant = Tenant.objects.get(slug=slug)
    previous = tenant_connection().tenant
    tenant_connection().set_tenant(tenant)
    try:
        yield tenant
    finally:
        if getattr(previous, "schema_name", "public") == "public":
            tenant_connection().set_schema_to_public()
        else:
            tenant_connection().set_tenant(previous)


def complete_course(email: str, course: Course, tenant: str = "acme") -> None:
    """The learner opens every lesson (articles complete on opening)."""
    from lms.learning.services import progress
    from lms.learning.services.enrolment import live_lessons

    with in_tenant(tenant):
        user = User.objects.get(email=email)
        for lesson in live_lessons(course.pk):
            access = progress.lesson_access(user, lesson.pk, require_enrolment=True)
            assert access.enrolment is not None
            progress.touch(access.enrolment, lesson)


@pytest.fixture
def course_a(db) -> Course:
    return article_course("compliance-a")


@pytest.fixture
def course_b(db) -> Course:
    return article_course("compliance-b", lessons=2)


@pytest.fixture
def hr(acme_client):
    return acme_client.as_user("hr@acme.test")


@pytest.fixture
def acme_admin(db):
    from tests.conftest import HostClient

    return HostClient("acme.localhost").as_user("admin@acme.test")


def employee_pk(email: str, tenant: str = "acme") -> int:
    from lms.corporate.models import Employee

    with schema_context(tenant):
        return Employee.objects.get(user__email=email).pk


def user_pk(email: str, tenant: str = "acme") -> int:
    with schema_context(tenant):
        return User.objects.get(email=email).pk
