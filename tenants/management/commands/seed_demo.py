"""Idempotent demo data: public storefront, platform staff, tenants acme and globex with users.

Safe to run on every `make run`: existing rows are left alone (passwords included), missing ones
are created, and tenants are provisioned synchronously through the same service as the API.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from lib.db import tenant_connection
from tenants.models import Branding, Domain, Tenant, TenantKind, TenantStatus
from tenants.services.provisioning import create_tenant, provision

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (public demo credentials, printed by make run)

TENANTS: list[dict[str, Any]] = [
    {
        "slug": "acme",
        "name": "Acme Fashion",
        "seats": 50,
        "admin": "admin@acme.test",
        "primary": "#0F766E",
        "accent": "#F59E0B",
        "users": [
            ("hr@acme.test", "hr_manager", "Helen", "Hart"),
            ("anna@acme.test", "learner", "Анна", "Иванова"),
            ("boris@acme.test", "learner", "Борис", "Петров"),
        ],
    },
    {
        "slug": "globex",
        "name": "Globex Retail",
        "seats": 25,
        "admin": "admin@globex.test",
        "primary": "#1D4ED8",
        "accent": "#DC2626",
        "users": [("hr@globex.test", "hr_manager", "Grace", "Hopper"), ("li@globex.test", "learner", "Li", "Wei")],
    },
]
PUBLIC_USERS = [
    ("admin@ffs.local", "platform_admin", "Platform", "Admin"),
    ("author@ffs.local", "content_author", "Вера", "Авторова"),
    ("student@ffs.local", "student", "Мария", "Студентова"),
]


def ensure_user(email: str, role: str, first: str, last: str) -> None:
    user = User.objects.filter(email=email).first()
    if user is None:
        User.objects.create_user(email=email, password=DEMO_PASSWORD, role=role, first_name=first, last_name=last)
    elif not user.is_active or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save()


class Command(BaseCommand):
    help = "Create demo data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--public-only", action="store_true", help="only the storefront and platform staff")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant_connection().set_schema_to_public()
        public = Tenant.objects.filter(schema_name="public").first()
        if public is None:
            public = Tenant.objects.create(
                schema_name="public",
                slug="public",
                name="Fashion Factory School",
                kind=TenantKind.PUBLIC,
                status=TenantStatus.ACTIVE,
                provisioning_state="done",
                provisioning_progress=100,
            )
        for host in [settings.BASE_DOMAIN, *settings.PUBLIC_EXTRA_HOSTS]:
            Domain.objects.get_or_create(
                domain=host, defaults={"tenant": public, "is_primary": host == settings.BASE_DOMAIN, "verified": True}
            )
        Branding.objects.get_or_create(tenant=public, defaults={"display_name": "Fashion Factory School"})
        with transaction.atomic():
            for email, role, first, last in PUBLIC_USERS:
                ensure_user(email, role, first, last)
        for spec in [] if options.get("public_only") else TENANTS:
            tenant = Tenant.objects.filter(slug=spec["slug"]).first()
            if tenant is None:
                tenant = create_tenant(
                    slug=spec["slug"], name=spec["name"], admin_email="", seats=spec["seats"], enqueue=False
                )
            if tenant.status == TenantStatus.PROVISIONING:
                tenant = provision(tenant.pk) or tenant
            Branding.objects.filter(tenant=tenant).update(primary_color=spec["primary"], accent_color=spec["accent"])
            with schema_context(tenant.schema_name), transaction.atomic():
                ensure_user(spec["admin"], "tenant_admin", "Admin", spec["name"])
                for email, role, first, last in spec["users"]:
                    ensure_user(email, role, first, last)
            self.stdout.write(f"tenant {tenant.slug}: {tenant.status}")
        from tenants import routing

        for tenant in Tenant.objects.all():
            routing.invalidate_tenant(tenant.pk)
        self.stdout.write("demo data ready")
