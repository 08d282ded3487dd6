"""Benchmark data: one tenant with N employees, G groups and C courses all assigned to everyone
(10,000 × 20 = 200,000 enrolments with progress by default).

Rows are generated inside PostgreSQL (`INSERT … SELECT generate_series`) so seeding 200,000
assignments takes seconds; the shapes are the ones the application writes (every assignment has
its enrolment, some completed, some overdue, some in progress).

    manage.py seed_corporate_bench --tenant bigcorp --employees 10000 --groups 50 --courses 20
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from accounts.models import User
from lms.catalog.models import Course, CourseLicense
from lms.catalog.services import authoring
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Seed a large corporate tenant for the reporting benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", default="bigcorp")
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--groups", type=int, default=50)
        parser.add_argument("--courses", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        from tenants.services.provisioning import create_tenant, provision

        started = time.perf_counter()
        slug, employees, groups, course_count = (
            options["tenant"],
            options["employees"],
            options["groups"],
            options["courses"],
        )
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = create_tenant(slug=slug, name=f"{slug} Inc.", admin_email="", seats=employees + 100, enqueue=False)
            tenant = provision(tenant.pk) or tenant
        courses = self._courses(course_count, tenant)
        schema = connection.ops.quote_name(tenant.schema_name)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {schema}.corporate_employee")  # noqa: S608 - quoted schema
            if cursor.fetchone()[0] >= employees:
                self.stdout.write(f"{slug}: already seeded")
                return
            cursor.execute(f"SET LOCAL search_path TO {schema}, public")
            self._people(cursor, employees, groups)
            self._assignments(cursor, [c.pk for c in courses])
            cursor.execute("SELECT count(*) FROM corporate_assignment")
            total = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(
                f"ANALYZE {schema}.corporate_assignment, {schema}.learning_enrolment, {schema}.corporate_employee"
            )
        self.stdout.write(
            f"{slug}: {employees} employees, {groups} groups, {course_count} courses, {total} assignments "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _courses(self, count: int, tenant: Tenant) -> list[Course]:
        author = (
            User.objects.filter(role="content_author").first() or User.objects.filter(role="platform_admin").first()
        )
        courses = []
        for index in range(count):
            slug = f"bench-course-{index + 1:02d}"
            course = Course.objects.filter(slug=slug).first()
            if course is None:
                course = authoring.create_course(user=author, data={"slug": slug, "title": f"Курс {index + 1:02d}"})
                module = authoring.add_module(course, user=author, title="Модуль")
                lesson = authoring.add_lesson(module, user=author, data={"title": "Текст", "kind": "article"})
                authoring.update_lesson(lesson, user=author, data={"body_md": "Текст урока"})
                authoring.publish(course, user=author)
            CourseLicense.objects.get_or_create(tenant=tenant, course=course)
            courses.append(course)
        return courses

    def _people(self, cursor: Any, employees: int, groups: int) -> None:
        cursor.execute(
            """
            INSERT INTO corporate_department (name, parent_id, path, created_at)
            SELECT 'Регион ' || g, NULL, 'Регион ' || g, now() FROM generate_series(1, 5) g
            """
        )
        cursor.execute(
            """
            INSERT INTO corporate_department (name, parent_id, path, created_at)
            SELECT 'Магазин ' || g, p.id, p.path || '/Магазин ' || g, now()
            FROM generate_series(1, 40) g JOIN corporate_department p ON p.path = 'Регион ' || (g % 5 + 1)
            """
        )
        cursor.execute(
            """
            INSERT INTO accounts_user (password, email, first_name, last_name, role, language, is_active,
                                       date_joined)
            SELECT '!', 'e' || g || '@bench.test', 'Имя' || g, 'Фамилия' || g,
                   CASE WHEN g <= 5 THEN 'hr_manager' ELSE 'learner' END, 'ru', true,
                   now() - interval '200 days'
            FROM generate_series(1, %s) g
            """,
            [employees],
        )
        cursor.execute(
            """
            INSERT INTO corporate_employee (user_id, employee_id, department_id, title, location, hire_date,
                                            email_reminders, email_digest, created_at, updated_at)
            SELECT u.id, 'B' || u.id,
                   (SELECT id FROM corporate_department WHERE path LIKE '%/%' ORDER BY id
                    OFFSET (u.id % 40) LIMIT 1),
                   CASE WHEN u.id % 10 = 0 THEN 'Директор магазина' ELSE 'Продавец' END, 'Москва',
                   current_date - (u.id % 700)::int, true, true, now(), now()
            FROM accounts_user u
            WHERE NOT EXISTS (SELECT 1 FROM corporate_employee e WHERE e.user_id = u.id)
            """
        )
        # managers: every tenth employee manages the nine after them
        cursor.execute(
            """
            UPDATE corporate_employee e SET manager_id = m.id
            FROM corporate_employee m
            WHERE m.user_id = e.user_id - (e.user_id % 10) AND e.user_id % 10 <> 0
            """
        )
        cursor.execute(
            "INSERT INTO corporate_group (name, description, created_at) "
            "SELECT 'Группа ' || g, '', now() FROM generate_series(1, %s) g",
            [groups],
        )
        cursor.execute(
            """
            INSERT INTO corporate_membership (employee_id, group_id, source, created_at)
            SELECT e.id, g.id, 'import', now()
            FROM corporate_employee e
            JOIN corporate_group g ON g.name IN ('Группа ' || (e.id %% %s + 1), 'Группа ' || ((e.id * 7) %% %s + 1))
            ON CONFLICT DO NOTHING
            """,
            [groups, groups],
        )

    def _assignments(self, cursor: Any, course_ids: list[int]) -> None:
        # enrolments: ~45 % completed, ~30 % in progress, the rest not started
        cursor.execute(
            """
            INSERT INTO learning_enrolment (user_id, course_id, source, status, progress_percent, enrolled_at,
                                            completed_at, last_activity_at)
            SELECT e.user_id, c.id, 'assignment',
                   CASE WHEN (e.user_id + c.id) %% 20 < 9 THEN 'completed' ELSE 'active' END,
                   CASE WHEN (e.user_id + c.id) %% 20 < 9 THEN 100
                        WHEN (e.user_id + c.id) %% 20 < 15 THEN ((e.user_id * c.id) %% 90) + 5 ELSE 0 END,
                   now() - ((e.user_id + c.id) %% 120) * interval '1 day',
                   CASE WHEN (e.user_id + c.id) %% 20 < 9
                        THEN now() - ((e.user_id * 3 + c.id) %% 84) * interval '1 day' END,
                   now() - ((e.user_id + c.id) %% 30) * interval '1 day'
            FROM corporate_employee e CROSS JOIN unnest(%s::bigint[]) AS c(id)
            """,
            [course_ids],
        )
        cursor.execute(
            """
            INSERT INTO corporate_assignment (user_id, course_id, enrolment_id, cycle, source, required, due_at,
                                              assigned_at, assigned_by_email)
            SELECT en.user_id, en.course_id, en.id, 1, 'manual', en.course_id % 4 <> 0,
                   en.enrolled_at + interval '30 days', en.enrolled_at, 'bench@bench.test'
            FROM learning_enrolment en
            """
        )
