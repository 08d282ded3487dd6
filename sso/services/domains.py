"""Verified e-mail domains for home-realm discovery, and the discovery itself.

A tenant admin claims `acme.com`; the platform shows a TXT record to publish; once DNS answers with
it (through the same injectable resolver as custom host names), `someone@acme.com` typing their
address on the base domain's login page is sent to Acme's host and identity provider.
"""

from __future__ import annotations

import re
from typing import Any

import dns.exception
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User, normalize_email
from accounts.services import audit
from lib.db import tenant_connection
from lib.errors import Conflict, DomainError, NotFound
from tenants.dns import get_resolver
from tenants.models import LoginDomain, Tenant

from ..models import IdentityProvider

_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
PUBLIC_MAIL = frozenset({"gmail.com", "yandex.ru", "mail.ru", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com"})


def _tenant() -> Tenant:
    return tenant_connection().tenant  # type: ignore[no-any-return]


def normalise_domain(raw: Any) -> str | None:
    domain = str(raw or "").strip().lower().rstrip(".")
    return domain if _DOMAIN.match(domain) else None


def verified_domains() -> set[str]:
    """The e-mail domains this company proved it owns (DNS TXT)."""
    return set(LoginDomain.objects.filter(tenant_id=_tenant().pk, verified=True).values_list("domain", flat=True))


def domains() -> list[LoginDomain]:
    return list(LoginDomain.objects.filter(tenant_id=_tenant().pk))


def add_domain(raw: str, *, actor: User, request: HttpRequest | None = None) -> LoginDomain:
    domain = normalise_domain(raw) or ""
    if not domain:
        raise DomainError("Enter a domain such as acme.com.", code="invalid_domain", fields={"domain": ["Invalid."]})
    if domain in PUBLIC_MAIL:
        raise DomainError(
            "A public mail domain cannot belong to one company.",
            code="invalid_domain",
            fields={"domain": ["Public mail domain."]},
        )
    try:
        with transaction.atomic():
            item = LoginDomain.objects.create(tenant_id=_tenant().pk, domain=domain)
    except IntegrityError:
        raise Conflict("This domain is already claimed.", code="domain_taken", fields={"domain": ["Taken."]}) from None
    audit.record("sso.domain_added", actor=actor, target=domain, request=request)
    return item


def get_domain(pk: Any) -> LoginDomain:
    try:
        item = LoginDomain.objects.filter(tenant_id=_tenant().pk, pk=int(pk)).first()
    except (TypeError, ValueError):
        item = None
    if item is None:
        raise NotFound("Domain not found.", code="domain_not_found")
    return item


def verify_domain(item: LoginDomain, *, actor: User, request: HttpRequest | None = None) -> LoginDomain:
    if item.verified:
        return item
    try:
        records = [r.strip() for r in get_resolver().txt_records(item.txt_record_name)]
    except dns.exception.DNSException as exc:
        raise DomainError("DNS did not answer; try again in a minute.", code="dns_unavailable") from exc
    if item.txt_record_value not in records:
        raise DomainError(
            f"TXT record {item.txt_record_name} with value {item.txt_record_value} was not found.",
            code="verification_failed",
        )
    item.verified, item.verified_at = True, timezone.now()
    item.save(update_fields=["verified", "verified_at"])
    audit.record("sso.domain_verified", actor=actor, target=item.domain, request=request)
    return item


def remove_domain(item: LoginDomain, *, actor: User, request: HttpRequest | None = None) -> None:
    audit.record("sso.domain_removed", actor=actor, target=item.domain, request=request)
    item.delete()


def discover(email: str) -> str | None:
    """Where to send this address to sign in: its company's SSO login URL, or None."""
    from django_tenants.utils import tenant_context

    from tenants.hosts import base_url_for

    address = normalize_email(email)
    if "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1]
    item = (
        LoginDomain.objects.select_related("tenant")
        .filter(domain=domain, verified=True, tenant__status="active")
        .first()
    )
    if item is None:
        return None
    with tenant_context(item.tenant):
        idp = IdentityProvider.objects.filter(enabled=True).order_by("id").first()
        base = base_url_for(item.tenant)
        if idp is None:
            return f"{base}/login"
        return f"{base}/sso/{idp.protocol}/{idp.slug}/login/?next=/learning"
