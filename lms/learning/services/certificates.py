"""Certificates: issued once per completed enrolment, verifiable publicly by code, revocable.

The code is indexed in the public schema (`lms.registry`) in the same transaction, so the public
verification page can find the issuing schema from the code alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.services import audit
from lib.db import tenant_connection
from lib.errors import Conflict, NotFound
from lms.registry.models import CertificateIndex
from tenants.hosts import base_url_for

from ..models import Certificate, Enrolment

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _school_name() -> str:
    from tenants.routing import school_name

    return school_name(tenant_connection().tenant)


def issue(enrolment: Enrolment) -> Certificate:
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    user = enrolment.user
    tenant = tenant_connection().tenant
    for _ in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment,
                    code=code,
                    learner_name=user.full_name or user.email,
                    course_title=enrolment.course.title,
                    school_name=_school_name(),
                )
                CertificateIndex.objects.create(
                    code=code, schema_name=tenant_connection().schema_name, tenant_id=int(getattr(tenant, "pk", 0))
                )
                audit.record("certificate.issued", actor=user, target=code, course=enrolment.course.slug)
                return certificate
        except IntegrityError:
            if Certificate.objects.filter(enrolment=enrolment).exists():
                return Certificate.objects.get(enrolment=enrolment)
    raise RuntimeError("could not allocate a certificate code")


def describe(certificate: Certificate, base_url: str | None = None) -> dict[str, Any]:
    base = base_url if base_url is not None else base_url_for(tenant_connection().tenant)
    return {
        "code": certificate.code,
        "course_slug": certificate.enrolment.course.slug,
        "course_title": certificate.course_title,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "pdf_url": f"/api/learning/certificates/{certificate.code}/pdf/",
        "verify_url": f"{base}/verify/{certificate.code}",
    }


def describe_all(certificates: Iterable[Certificate]) -> list[dict[str, Any]]:
    """Several certificates of this schema: the host's base URL is looked up once, not per row."""
    base = base_url_for(tenant_connection().tenant)
    return [describe(certificate, base) for certificate in certificates]


def verify(code: str) -> dict[str, Any]:
    """Public facts of a certificate, from any host: only what the certificate itself shows."""
    entry = CertificateIndex.objects.filter(code=code.strip().upper()).first()
    if entry is None:
        raise NotFound("Certificate not found.", code="certificate_not_found")
    with schema_context(entry.schema_name):
        certificate = Certificate.objects.filter(code=entry.code).first()
        if certificate is None:
            raise NotFound("Certificate not found.", code="certificate_not_found")
        return {
            "code": certificate.code,
            "learner_name": certificate.learner_name,
            "course_title": certificate.course_title,
            "school_name": certificate.school_name,
            "issued_at": certificate.issued_at,
            "valid": certificate.revoked_at is None,
            "revoked_at": certificate.revoked_at,
        }


def get_for_user(user: Any, code: str) -> Certificate:
    certificate = Certificate.objects.select_related("enrolment__course").filter(code=code).first()
    if certificate is None:
        raise NotFound("Certificate not found.", code="certificate_not_found")
    admin_roles = {"tenant_admin", "platform_admin", "hr_manager"}
    if certificate.enrolment.user_id != user.pk and getattr(user, "role", None) not in admin_roles:
        raise NotFound("Certificate not found.", code="certificate_not_found")
    return certificate


@transaction.atomic
def revoke(code: str, *, actor: Any, reason: str = "") -> Certificate:
    certificate = Certificate.objects.select_for_update().filter(code=code).first()
    if certificate is None:
        raise NotFound("Certificate not found.", code="certificate_not_found")
    if certificate.revoked_at is not None:
        raise Conflict("The certificate is already revoked.", code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record("certificate.revoked", actor=actor, target=code, reason=reason[:300])
    return certificate


def render_pdf(certificate: Certificate) -> bytes:
    """A one-page PDF in the tenant's colours (WeasyPrint, imported lazily: it loads Pango)."""
    from weasyprint import HTML

    from tenants import routing

    branding = routing.branding_for(tenant_connection().tenant)
    html = render_to_string(
        "certificates/certificate.html",
        {"certificate": certificate, "branding": branding, "verify_url": describe(certificate)["verify_url"]},
    )
    return bytes(HTML(string=html).write_pdf())
