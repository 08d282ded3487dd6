"""Custom domains: add (unverified), verify by DNS TXT, remove. Only verified domains route."""

from __future__ import annotations

import logging
from typing import Any

import dns.exception
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lib.errors import Conflict, DomainError, NotFound

from ..dns import get_resolver
from ..models import Domain, Tenant
from ..validators import validate_host

logger = logging.getLogger("ffs.tenants.domains")
MAX_DOMAINS_PER_TENANT = 20


@transaction.atomic
def add_domain(tenant: Tenant, host: str, *, actor: Any = None, request: HttpRequest | None = None) -> Domain:
    from accounts.services import audit

    host = validate_host(host)
    if Domain.objects.filter(domain=host).exists():
        raise Conflict(
            "This domain is already connected to a school.", code="domain_taken", fields={"host": ["Taken."]}
        )
    if Domain.objects.filter(tenant=tenant).count() >= MAX_DOMAINS_PER_TENANT:
        raise Conflict("Too many domains for one tenant.", code="too_many_domains")
    domain = Domain.objects.create(domain=host, tenant=tenant, is_primary=False, verified=False, is_custom=True)
    audit.record("tenant.domain_added", actor=actor, target=tenant.slug, request=request, host=host)
    return domain


def get_domain(tenant: Tenant, domain_id: Any) -> Domain:
    try:
        pk = int(domain_id)
    except (TypeError, ValueError):
        raise NotFound("Domain not found.") from None
    domain = Domain.objects.filter(tenant=tenant, pk=pk).first()
    if domain is None:
        raise NotFound("Domain not found.")
    return domain


def verify_domain(domain: Domain, *, actor: Any = None, request: HttpRequest | None = None) -> Domain:
    from accounts.services import audit

    if domain.verified:
        return domain
    try:
        records = get_resolver().txt_records(domain.txt_record_name)
    except dns.exception.DNSException as exc:
        logger.warning("DNS lookup for %s failed: %s", domain.txt_record_name, exc)
        raise DomainError(
            "DNS did not answer; try again in a minute.", code="dns_unavailable", status_code=400
        ) from exc
    if domain.txt_record_value not in [r.strip() for r in records]:
        audit.record(
            "tenant.domain_verification_failed",
            actor=actor,
            target=domain.tenant.slug,
            request=request,
            host=domain.domain,
        )
        raise DomainError(
            f"TXT record {domain.txt_record_name} with value {domain.txt_record_value} was not found.",
            code="verification_failed",
        )
    with transaction.atomic():
        domain = Domain.objects.select_for_update().get(pk=domain.pk)
        domain.verified = True
        domain.verified_at = timezone.now()
        domain.save()
        audit.record(
            "tenant.domain_verified", actor=actor, target=domain.tenant.slug, request=request, host=domain.domain
        )
    return domain


@transaction.atomic
def remove_domain(domain: Domain, *, actor: Any = None, request: HttpRequest | None = None) -> None:
    from accounts.services import audit

    if not domain.is_custom:
        raise Conflict("The platform subdomain cannot be removed.", code="domain_protected")
    host, slug = domain.domain, domain.tenant.slug
    domain.delete()
    audit.record("tenant.domain_removed", actor=actor, target=slug, request=request, host=host)
