"""Every user of a corporate schema has an employee profile, whoever created the user (an
invitation, single sign-on, the demo seed): the profile is made right after the user row.
Bulk imports create profiles themselves (bulk inserts send no signals)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from lib.db import tenant_connection


def in_tenant_schema() -> bool:
    """The corporate tables exist in tenant schemas only (not public, not the clone template)."""
    schema = tenant_connection().schema_name
    return schema not in (settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA)


@receiver(post_save, sender=User, dispatch_uid="corporate.employee_profile")
def ensure_employee(sender: type[User], instance: User, created: bool, raw: bool = False, **_: Any) -> None:
    if not created or raw or not in_tenant_schema():
        return
    from .models import Employee

    Employee.objects.get_or_create(user=instance)
