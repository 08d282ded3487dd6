"""HR reports: the dashboard, per-course and per-employee views, and the rows behind exports.

The dashboard is answered with one SQL statement whatever the company's size: one scan with
GROUPING SETS gives the totals, the per-department, per-course and per-week figures together
(docs/performance.md has the timings at 200,000 assignments). Status is derived, never stored: completed (the enrolment's `completed_at`),
overdue (due date passed), in progress (some progress), not started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lib.errors import DomainError
from lms.catalog.models import Course
from lms.learning.models import Enrolment

from ..models import Assignment, Department, Employee, Membership
from .people import get_department, get_group

A = Assignment._meta.db_table
E = Enrolment._meta.db_table
EMP = Employee._meta.db_table
DEPT = Department._meta.db_table
MEM = Membership._meta.db_table
STATUSES = ("completed", "overdue", "in_progress", "not_started")

STATUS_SQL = """CASE WHEN e.completed_at IS NOT NULL THEN 'completed'
    WHEN a.due_at IS NOT NULL AND a.due_at < %(now)s THEN 'overdue'
    WHEN e.progress_percent > 0 THEN 'in_progress' ELSE 'not_started' END"""


@dataclass
class Filters:
    """Report filters, validated once and turned into SQL with bound parameters only."""

    where: list[str] = field(default_factory=lambda: ["a.cancelled_at IS NULL", "a.superseded_at IS NULL"])
    params: dict[str, Any] = field(default_factory=dict)
    uses_enrolment: bool = False  # only the status filter reads the enrolment

    @classmethod
    def parse(cls, query: Any, *, now: datetime | None = None) -> Filters:
        f = cls()
        f.params["now"] = now or timezone.now()
        f.params["tz"] = str(timezone.get_current_timezone())
        if query.get("department"):
            department = get_department(query.get("department"))
            f.where.append(
                f"emp.department_id IN (SELECT id FROM {DEPT} WHERE path = %(dpath)s OR path LIKE %(dprefix)s)"  # noqa: S608
            )
            f.params["dpath"] = department.path
            f.params["dprefix"] = department.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
        if query.get("group"):
            f.where.append(f"EXISTS (SELECT 1 FROM {MEM} m WHERE m.employee_id = emp.id AND m.group_id = %(group)s)")  # noqa: S608
            f.params["group"] = get_group(query.get("group")).pk
        if query.get("course"):
            course_id = Course.objects.filter(slug=str(query.get("course"))).values_list("pk", flat=True).first()
            if course_id is None:
                raise DomainError("Unknown course.", code="invalid_filter", fields={"course": ["Unknown course."]})
            f.where.append("a.course_id = %(course)s")
            f.params["course"] = course_id
        if query.get("manager"):
            f.where.append("emp.manager_id = %(manager)s")
            f.params["manager"] = _int(query.get("manager"), "manager")
        if query.get("status"):
            status = str(query.get("status"))
            if status not in STATUSES:
                raise DomainError("Unknown status.", code="invalid_filter", fields={"status": [", ".join(STATUSES)]})
            f.where.append(f"({STATUS_SQL}) = %(status)s")
            f.uses_enrolment = True
            f.params["status"] = status
        if query.get("required") in ("true", "1", True):
            f.where.append("a.required")
        if query.get("include_deactivated") not in ("true", "1", True):
            f.where.append("emp.deactivated_at IS NULL")
        return f

    @property
    def sql(self) -> str:
        return " AND ".join(self.where)


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("Expected a number.", code="invalid_filter", fields={name: ["Expected a number."]}) from None


FROM = f"""FROM {A} a JOIN {E} e ON e.id = a.enrolment_id JOIN {EMP} emp ON emp.user_id = a.user_id"""
FROM_PEOPLE = f"""FROM {A} a JOIN {EMP} emp ON emp.user_id = a.user_id"""


def _rate(completed: int, assigned: int) -> float:
    return round(100.0 * completed / assigned, 1) if assigned else 0.0


_PAIRS, _WEEKS = 3, 12  # GROUPING(department, course, assigned week, completed week) of each grouping set
_FIGURES = ("assigned", "completed", "overdue", "in_progress")


def dashboard(query: Any, *, now: datetime | None = None, weeks: int = 12) -> dict[str, Any]:
    """Everything on the HR dashboard from one scan of the assignments.

    One statement groups the filtered assignments two ways at once (GROUPING SETS): by
    (department, course) pair, from which the totals, the per-department and the per-course
    figures are summed here, and by (week assigned, week completed) bucket for the trend. Weeks are
    `width_bucket` positions among the week boundaries (cheaper than date_trunc per row and exact
    in the school's time zone). A second, index-friendly statement counts distinct learners.
    Timings at 200,000 assignments are in docs/performance.md."""
    f = Filters.parse(query, now=now)
    local_now = timezone.localtime(f.params["now"])
    start_day = local_now.date() - timedelta(days=local_now.weekday() + 7 * (weeks - 1))
    bounds = [
        datetime.combine(start_day + timedelta(days=7 * i), time.min, tzinfo=local_now.tzinfo) for i in range(weeks + 1)
    ]
    sql = f"""
        SELECT GROUPING(s.department_id, s.course_id, s.aw, s.cw), s.department_id, s.course_id, s.aw, s.cw,
               count(*), count(*) FILTER (WHERE s.done), count(*) FILTER (WHERE s.late),
               count(*) FILTER (WHERE s.started)
        FROM (
            SELECT emp.department_id, a.course_id,
                   width_bucket(a.assigned_at, %(bounds)s::timestamptz[]) AS aw,
                   width_bucket(e.completed_at, %(bounds)s::timestamptz[]) AS cw,
                   e.completed_at IS NOT NULL AS done,
                   e.completed_at IS NULL AND a.due_at < %(now)s AS late,
                   e.completed_at IS NULL AND e.progress_percent > 0 AND (a.due_at IS NULL OR a.due_at >= %(now)s)
                       AS started
            {FROM} WHERE {f.sql}
        ) s
        GROUP BY GROUPING SETS ((s.department_id, s.course_id), (s.aw, s.cw))
    """  # noqa: S608 - composed only of our table names and filter clauses; values are bound
    with transaction.atomic(), connection.cursor() as cursor:
        # enough memory for the hash aggregates of this statement only (SET LOCAL)
        cursor.execute(f"SET LOCAL work_mem = '{int(settings.REPORTS_WORK_MEM_MB)}MB'")
        cursor.execute(sql, {**f.params, "bounds": bounds})
        rows = cursor.fetchall()
        people_from = FROM if f.uses_enrolment else FROM_PEOPLE
        cursor.execute(f"SELECT count(DISTINCT a.user_id) {people_from} WHERE {f.sql}", f.params)
        learners = int(cursor.fetchone()[0])
    totals = dict.fromkeys(_FIGURES, 0)
    departments: dict[int | None, dict[str, int]] = {}
    per_course: dict[int, dict[str, int]] = {}
    assigned_weeks = [0] * (weeks + 2)
    completed_weeks = [0] * (weeks + 2)
    for level, department_id, course_id, aw, cw, *counts in rows:
        if level == _PAIRS:
            for target in (
                totals,
                departments.setdefault(department_id, dict.fromkeys(_FIGURES, 0)),
                per_course.setdefault(course_id, dict.fromkeys(_FIGURES, 0)),
            ):
                for name, value in zip(_FIGURES, counts, strict=True):
                    target[name] += value
        elif level == _WEEKS:
            if aw is not None:
                assigned_weeks[aw] += counts[0]
            if cw is not None:
                completed_weeks[cw] += counts[0]
    paths = dict(Department.objects.filter(pk__in=[k for k in departments if k]).values_list("pk", "path"))
    courses = {c.pk: c for c in Course.objects.filter(pk__in=list(per_course)).only("slug", "title")}
    by_department = sorted(
        ({"id": k, "path": paths.get(k, "") if k else "", **_with_rates(v)} for k, v in departments.items()),
        key=lambda d: d["path"],
    )
    by_course = sorted(
        (
            {
                "slug": courses[k].slug if k in courses else "",
                "title": courses[k].title if k in courses else "",
                **_with_rates(v),
            }
            for k, v in per_course.items()
        ),
        key=lambda c: (-c["assigned"], c["title"]),
    )
    trend = [
        {
            "week": (start_day + timedelta(days=7 * i)).isoformat(),
            "assigned": assigned_weeks[i + 1],  # bucket i + 1 is [bounds[i], bounds[i + 1])
            "completed": completed_weeks[i + 1],
        }
        for i in range(weeks)
    ]
    return {
        "generated_at": f.params["now"],
        "totals": {**_with_rates(totals), "learners": learners},
        "by_department": by_department,
        "by_course": by_course,
        "trend": trend,
    }


def _with_rates(figures: dict[str, int]) -> dict[str, Any]:
    done = figures["completed"] + figures["overdue"] + figures["in_progress"]
    return {
        **figures,
        "not_started": figures["assigned"] - done,
        "completion_rate": _rate(figures["completed"], figures["assigned"]),
    }


ROW_COLUMNS = (
    "assignment_id",
    "email",
    "last_name",
    "first_name",
    "employee_id",
    "department",
    "manager_email",
    "course_slug",
    "course_title",
    "cycle",
    "required",
    "assigned_at",
    "due_at",
    "status",
    "progress_percent",
    "completed_at",
)


def rows_sql(f: Filters, *, safe: bool = False, order: str = "u.email, c.title, a.id") -> str:
    """The assignment rows behind the course report and every export. With `safe`, text cells that
    a spreadsheet would execute as a formula (=, +, -, @) get a leading apostrophe."""
    from accounts.models import User

    def text(expr: str) -> str:
        if not safe:
            return expr
        return f"CASE WHEN {expr} ~ '^[=+@\\t\\r-]' THEN '''' || {expr} ELSE {expr} END"

    def moment(expr: str) -> str:
        # text in the school's time zone for files; timestamps for the JSON API
        return f"to_char({expr} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')" if safe else expr

    U = User._meta.db_table
    C = Course._meta.db_table
    return f"""
        SELECT a.id, {text("u.email")}, {text("u.last_name")}, {text("u.first_name")}, {text("emp.employee_id")},
               {text("coalesce(d.path, '')")}, {text("coalesce(mu.email, '')")}, {text("c.slug")}, {text("c.title")}, a.cycle,
               a.required, {moment("a.assigned_at")}, {moment("a.due_at")}, {STATUS_SQL}, e.progress_percent,
               {moment("e.completed_at")}
        {FROM}
        JOIN {U} u ON u.id = a.user_id
        JOIN {C} c ON c.id = a.course_id
        LEFT JOIN {DEPT} d ON d.id = emp.department_id
        LEFT JOIN {EMP} memp ON memp.id = emp.manager_id
        LEFT JOIN {U} mu ON mu.id = memp.user_id
        WHERE {f.sql}
        ORDER BY {order}
    """


def assignment_rows(query: Any, *, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    f = Filters.parse(query)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {FROM} WHERE {f.sql}", f.params)
        total = int(cursor.fetchone()[0])
        cursor.execute(
            rows_sql(f) + " LIMIT %(limit)s OFFSET %(offset)s", {**f.params, "limit": limit, "offset": offset}
        )
        rows = [dict(zip(ROW_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    return total, rows


def transcript(employee: Employee) -> dict[str, Any]:
    """Everything one person was asked to learn and did, every cycle included."""
    assignments = (
        Assignment.objects.filter(user_id=employee.user_id)
        .select_related("course", "enrolment")
        .order_by("-assigned_at", "-id")
    )
    from lms.learning.models import Certificate

    certificates = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment__user_id=employee.user_id)}
    now = timezone.now()
    items = []
    assigned_enrolments = set()
    for a in assignments:
        assigned_enrolments.add(a.enrolment_id)
        cert = certificates.get(a.enrolment_id)
        items.append(
            {
                "assignment_id": a.pk,
                "course": {"slug": a.course.slug, "title": a.course.title},
                "cycle": a.cycle,
                "source": a.source,
                "required": a.required,
                "assigned_at": a.assigned_at,
                "due_at": a.due_at,
                "state": "cancelled" if a.cancelled_at else "superseded" if a.superseded_at else "current",
                "status": status_of(a, now),
                "progress_percent": a.enrolment.progress_percent,
                "completed_at": a.enrolment.completed_at,
                "certificate": cert.code if cert and not cert.revoked_at else None,
            }
        )
    other = (
        Enrolment.objects.filter(user_id=employee.user_id).exclude(pk__in=assigned_enrolments).select_related("course")
    )
    self_directed = [
        {
            "course": {"slug": e.course.slug, "title": e.course.title},
            "enrolled_at": e.enrolled_at,
            "progress_percent": e.progress_percent,
            "completed_at": e.completed_at,
            "certificate": certificates[e.pk].code if e.pk in certificates else None,
        }
        for e in other
    ]
    return {"assignments": items, "self_directed": self_directed}


def status_of(assignment: Assignment, now: datetime) -> str:
    if assignment.enrolment.completed_at is not None:
        return "completed"
    if assignment.due_at is not None and assignment.due_at < now:
        return "overdue"
    return "in_progress" if assignment.enrolment.progress_percent > 0 else "not_started"


def team_summary(members: list[Employee]) -> list[dict[str, Any]]:
    """For a manager: each report with their current assignments (what a manager may see)."""
    now = timezone.now()
    by_user: dict[int, list[Assignment]] = {}
    for a in (
        Assignment.objects.filter(
            user_id__in=[m.user_id for m in members], cancelled_at__isnull=True, superseded_at__isnull=True
        )
        .select_related("course", "enrolment")
        .order_by("due_at", "id")
    ):
        by_user.setdefault(a.user_id, []).append(a)
    result = []
    for member in members:
        items = [
            {
                "course": {"slug": a.course.slug, "title": a.course.title},
                "due_at": a.due_at,
                "required": a.required,
                "status": status_of(a, now),
                "progress_percent": a.enrolment.progress_percent,
                "completed_at": a.enrolment.completed_at,
            }
            for a in by_user.get(member.user_id, [])
        ]
        result.append(
            {
                "id": member.pk,
                "email": member.user.email,
                "name": member.user.full_name,
                "department": member.department.path if member.department else "",
                "manager_id": member.manager_id,
                "assigned": len(items),
                "completed": sum(1 for i in items if i["status"] == "completed"),
                "overdue": sum(1 for i in items if i["status"] == "overdue"),
                "assignments": items,
            }
        )
    return result
