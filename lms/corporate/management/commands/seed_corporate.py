"""Demo corporate data for `make run` (idempotent): Acme's departments, a group, a manager, an
auto-assignment rule and a dated assignment, so the HR dashboard and "My team" have content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from lms.catalog.models import Course
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Seed demo departments, groups, rules and assignments for the acme tenant."

    def handle(self, *args: Any, **options: Any) -> None:
        from lib.db import tenant_connection
        from lms.corporate.models import AssignmentRule, Employee, Group
        from lms.corporate.services import assignments, people, rules

        tenant = Tenant.objects.filter(slug="acme", status="active").first()
        if tenant is None or not Course.objects.filter(slug="sewing-basics").exists():
            self.stdout.write("corporate demo: acme or the demo catalogue missing, skipped")
            return
        tenant_connection().set_tenant(tenant)
        try:
            if AssignmentRule.objects.exists():
                self.stdout.write("corporate demo: already seeded")
                return
            with transaction.atomic():
                admin = User.objects.get(email="admin@acme.test")
                moscow = people.ensure_department_path("Розница/Москва")
                design = people.ensure_department_path("Дизайн")
                staff = {e.user.email: e for e in Employee.objects.select_related("user")}
                staff["anna@acme.test"].department = moscow
                staff["boris@acme.test"].department = moscow
                staff["hr@acme.test"].department = design
                staff["anna@acme.test"].manager = staff["boris@acme.test"]
                staff["anna@acme.test"].title = "Продавец-консультант"
                staff["boris@acme.test"].title = "Директор магазина"
                for employee in staff.values():
                    employee.hire_date = employee.hire_date or timezone.localdate() - timedelta(days=30)
                    employee.save()
                group = Group.objects.get_or_create(name="Новые сотрудники")[0]
                people.set_groups(staff["anna@acme.test"], [group.pk], source="manual")
                people.set_groups(staff["boris@acme.test"], [group.pk], source="manual")
                rules.create_rule(
                    {
                        "name": "Адаптация новых сотрудников",
                        "course": "sewing-basics",
                        "target": {"kind": "group", "id": group.pk},
                        "due_days": 14,
                    },
                    actor=admin,
                )
                assignments.assign(
                    course_slugs=["dress-pattern"],
                    user_ids=[],
                    group_ids=[],
                    department_ids=[moscow.pk],
                    due=assignments.DueSpec(kind="date", on=timezone.localdate() + timedelta(days=30)),
                    required=True,
                    recertify_months=12,
                    actor=admin,
                )
            self.stdout.write("corporate demo: departments, group, rule and assignments created")
        finally:
            tenant_connection().set_schema_to_public()
