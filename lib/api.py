"""The scoped base classes every API view inherits (the PostHog habit).

A view states *where* it exists (`tenant_kinds`: public storefront/control plane, corporate
tenants, or both) and *who* may call it (`allowed_roles`, or `public = True`). The permission
below enforces both before any handler code runs, so scoping cannot be forgotten, and
`tests/test_isolation_matrix.py` walks every URL to prove it.

Wrong tenant kind answers 404 (the endpoint does not exist on that host), a missing login 401,
a too-low role 403.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from rest_framework import exceptions, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User

PUBLIC_KIND = "public"
CORPORATE_KIND = "corporate"
ALL_KINDS: frozenset[str] = frozenset({PUBLIC_KIND, CORPORATE_KIND})


class ScopedPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        tenant = getattr(request._request, "tenant", None)
        kinds: Collection[str] = getattr(view, "tenant_kinds", ALL_KINDS)
        if tenant is None or tenant.kind not in kinds:
            raise exceptions.NotFound()
        if getattr(view, "public", False):
            return True
        user = request.user
        if not user or not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        roles: Collection[str] | None = getattr(view, "allowed_roles", None)
        if roles is not None and getattr(user, "role", None) not in roles:
            raise exceptions.PermissionDenied("Your role does not allow this action.")
        return True


class ScopedMixin:
    """Marker + defaults shared by the scoped base classes."""

    tenant_kinds: ClassVar[Collection[str]] = ALL_KINDS
    allowed_roles: ClassVar[Collection[str] | None] = None
    public: ClassVar[bool] = False


class ScopedAPIView(ScopedMixin, APIView):
    permission_classes = [ScopedPermission]


class ScopedGenericViewSet(ScopedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [ScopedPermission]


def request_user(request: Request) -> User:
    """The authenticated user of a scoped view (the permission already refused anonymous calls)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user
