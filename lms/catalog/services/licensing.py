"""Course licences: which catalogue courses a corporate tenant may use."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from accounts.services import audit
from lib.errors import Conflict, DomainError, NotFound
from tenants.models import Tenant, TenantKind

from ..models import Course, CourseLicense


@transaction.atomic
def grant(
    tenant: Tenant,
    *,
    actor: Any,
    request: HttpRequest | None = None,
    course_slug: str | None = None,
    whole_catalogue: bool = False,
) -> CourseLicense:
    if tenant.kind != TenantKind.CORPORATE:
        raise DomainError("Licences are for corporate tenants.", code="not_corporate")
    if whole_catalogue == bool(course_slug):
        raise DomainError(
            "Give either a course or the whole catalogue.",
            code="validation_error",
            fields={"course_slug": ["Give a course slug or all=true."]},
        )
    course = None
    if course_slug:
        course = Course.objects.filter(slug=course_slug).first()
        if course is None:
            raise DomainError("Unknown course.", code="validation_error", fields={"course_slug": ["Unknown course."]})
    if CourseLicense.objects.filter(tenant=tenant, course=course).exists():
        raise Conflict("This licence already exists.", code="license_exists")
    license_ = CourseLicense.objects.create(tenant=tenant, course=course, granted_by_email=getattr(actor, "email", ""))
    audit.record("license.granted", actor=actor, target=tenant.slug, request=request, course=course_slug or "*")
    return license_


@transaction.atomic
def revoke(tenant: Tenant, license_id: Any, *, actor: Any, request: HttpRequest | None = None) -> None:
    try:
        pk = int(license_id)
    except (TypeError, ValueError):
        raise NotFound("Licence not found.") from None
    license_ = CourseLicense.objects.filter(tenant=tenant, pk=pk).select_related("course").first()
    if license_ is None:
        raise NotFound("Licence not found.")
    course = license_.course.slug if license_.course else "*"
    license_.delete()
    audit.record("license.revoked", actor=actor, target=tenant.slug, request=request, course=course)
