"""Typed access to the tenant-aware database connection (django-tenants ships no type hints)."""

from __future__ import annotations

from typing import Any, Protocol, cast

from django.db import connection


class TenantConnection(Protocol):
    schema_name: str
    tenant: Any

    def set_schema_to_public(self) -> None: ...

    def set_schema(self, schema_name: str, include_public: bool = True, tenant_type: str | None = None) -> None: ...

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...


def tenant_connection() -> TenantConnection:
    return cast(TenantConnection, connection)
