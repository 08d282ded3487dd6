"""Platform-admin tenant API (public host only) and the per-host branding endpoints."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django_tenants.utils import schema_context
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import AuditEventSerializer
from accounts.models import AuditEvent
from accounts.roles import Role
from lib.api import PUBLIC_KIND, ScopedAPIView, ScopedGenericViewSet
from lib.errors import NotFound

from .. import routing
from ..branding import update_branding
from ..models import Domain, Tenant, TenantKind
from ..services import domains as domain_service
from ..services import lifecycle, provisioning
from .serializers import (
    BrandingSerializer,
    BrandingUpdateSerializer,
    DomainCreateSerializer,
    DomainSerializer,
    TenantCreateSerializer,
    TenantSerializer,
    TenantUpdateSerializer,
)


class PlatformTenantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Corporate tenants, managed by platform admins on the base domain."""

    tenant_kinds = frozenset({PUBLIC_KIND})
    allowed_roles = frozenset({Role.PLATFORM_ADMIN})
    serializer_class = TenantSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9-]{1,63}"

    def get_queryset(self) -> QuerySet[Tenant]:
        qs = Tenant.objects.filter(kind=TenantKind.CORPORATE).prefetch_related(
            Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
        )
        search = self.request.query_params.get("search", "").strip()
        if search:
            qs = qs.filter(
                Q(slug__icontains=search) | Q(name__icontains=search) | Q(domains__domain__icontains=search)
            ).distinct()
        state = self.request.query_params.get("status")
        if state:
            qs = qs.filter(status=state)
        return qs.order_by("-created_at", "slug")

    def get_object(self) -> Tenant:
        tenant = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if tenant is None:
            raise NotFound("Tenant not found.")
        return tenant

    def _tenant_response(self, slug: str, code: int = 200) -> Response:
        tenant = self.get_queryset().get(slug=slug)
        return Response(TenantSerializer(tenant).data, status=code)

    @extend_schema(request=TenantCreateSerializer, responses={202: TenantSerializer})
    def create(self, request: Request) -> Response:
        data = TenantCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = provisioning.create_tenant(actor=request.user, request=request._request, **data.validated_data)
        return self._tenant_response(tenant.slug, status.HTTP_202_ACCEPTED)

    @extend_schema(request=TenantUpdateSerializer, responses={200: TenantSerializer})
    def partial_update(self, request: Request, slug: str) -> Response:
        data = TenantUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = lifecycle.update_tenant(
            self.get_object(), actor=request.user, request=request._request, **data.validated_data
        )
        return self._tenant_response(tenant.slug)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, slug: str) -> Response:
        """Discard a tenant whose provisioning failed (live tenants are archived, never deleted)."""
        provisioning.discard(self.get_object(), actor=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: TenantSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, slug: str) -> Response:
        tenant = provisioning.retry(self.get_object(), actor=request.user, request=request._request)
        return self._tenant_response(tenant.slug, status.HTTP_202_ACCEPTED)

    @extend_schema(request=DomainCreateSerializer, responses={201: DomainSerializer})
    @action(detail=True, methods=["post"], url_path="domains")
    def add_domain(self, request: Request, slug: str) -> Response:
        data = DomainCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        domain = domain_service.add_domain(
            self.get_object(), data.validated_data["host"], actor=request.user, request=request._request
        )
        return Response(DomainSerializer(domain).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DomainSerializer})
    @action(detail=True, methods=["post"], url_path=r"domains/(?P<domain_id>\d+)/verify")
    def verify_domain(self, request: Request, slug: str, domain_id: str) -> Response:
        domain = domain_service.get_domain(self.get_object(), domain_id)
        domain = domain_service.verify_domain(domain, actor=request.user, request=request._request)
        return Response(DomainSerializer(domain).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"domains/(?P<domain_id>\d+)")
    def remove_domain(self, request: Request, slug: str, domain_id: str) -> Response:
        domain = domain_service.get_domain(self.get_object(), domain_id)
        domain_service.remove_domain(domain, actor=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: AuditEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def audit(self, request: Request, slug: str) -> Response:
        """The tenant's own audit log, read in the tenant's schema."""
        tenant = self.get_object()
        with schema_context(tenant.schema_name):
            page = self.paginate_queryset(AuditEvent.objects.all())  # type: ignore[arg-type]
            data = AuditEventSerializer(page, many=True).data
        return self.get_paginated_response(data)


class TenantBrandingView(ScopedAPIView):
    """The current tenant's branding, edited by its admin (platform admin for the storefront)."""

    allowed_roles = frozenset({Role.TENANT_ADMIN, Role.PLATFORM_ADMIN})

    @extend_schema(request=BrandingUpdateSerializer, responses={200: BrandingSerializer})
    def patch(self, request: Request) -> Response:
        tenant = request._request.tenant  # type: ignore[attr-defined]
        data = BrandingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        logo = values.pop("logo", None)
        favicon = values.pop("favicon", None)
        update_branding(tenant, actor=request.user, request=request._request, fields=values, logo=logo, favicon=favicon)
        routing.invalidate_tenant(tenant.pk)
        return Response(routing.branding_for(tenant))
