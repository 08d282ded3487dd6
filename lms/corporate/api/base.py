"""Scoping shared by every corporate endpoint: corporate hosts only, HR roles unless stated."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from rest_framework.request import Request

from accounts.roles import Role
from lib.api import CORPORATE_KIND, ScopedAPIView
from lib.errors import DomainError
from lib.pagination import Pagination

HR_ROLES = frozenset({Role.HR_MANAGER, Role.TENANT_ADMIN})


class HRView(ScopedAPIView):
    tenant_kinds: ClassVar[Collection[str]] = frozenset({CORPORATE_KIND})
    allowed_roles: ClassVar[Collection[str] | None] = HR_ROLES


class CorporateMemberView(ScopedAPIView):
    """Any signed-in person of a corporate tenant (learners included)."""

    tenant_kinds: ClassVar[Collection[str]] = frozenset({CORPORATE_KIND})


def paginate(request: Request, view: Any, items: Any) -> tuple[Pagination, list[Any]]:
    paginator = Pagination()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator, list(page or [])


def id_list(data: Any, name: str) -> list[int]:
    value = data.get(name, []) if hasattr(data, "get") else []
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise DomainError(f"{name} must be a list of ids.", code="validation_error", fields={name: ["List of ids."]})
    return value
