"""Roles. Public-schema roles and tenant-schema roles never mix (DESIGN.md §4)."""

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "Platform admin"
    CONTENT_AUTHOR = "content_author", "Content author"
    STUDENT = "student", "Student"
    TENANT_ADMIN = "tenant_admin", "Tenant admin"
    HR_MANAGER = "hr_manager", "HR manager"
    LEARNER = "learner", "Learner"


PUBLIC_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.CONTENT_AUTHOR, Role.STUDENT})
TENANT_ROLES = frozenset({Role.TENANT_ADMIN, Role.HR_MANAGER, Role.LEARNER})
STAFF_ADMIN_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.TENANT_ADMIN})


def roles_for_kind(kind: str) -> frozenset[str]:
    return PUBLIC_ROLES if kind == "public" else TENANT_ROLES
