"""Assignments with due dates, auto-assignment rules (retroactive), re-certification cycles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from lms.corporate.models import Assignment, Employee
from lms.corporate.services.assignments import add_months, end_of_day
from lms.learning.models import Certificate, Enrolment
from tests.conftest import HostClient, error_code
from tests.corporate_fixtures import article_course, complete_course, employee_pk, in_tenant, user_pk

pytestmark = pytest.mark.django_db


def _current(email: str, slug: str) -> Assignment | None:
    with schema_context("acme"):
        return (
            Assignment.objects.filter(
                user__email=email, course__slug=slug, cancelled_at__isnull=True, superseded_at__isnull=True
            )
            .select_related("enrolment")
            .first()
        )


def test_assign_courses_to_people_groups_and_departments(hr, course_a, course_b):
    group = hr.post("/api/hr/groups/", {"name": "Sales"}, format="json").json()["id"]
    hr.post(f"/api/hr/groups/{group}/members/", {"add": [employee_pk("boris@acme.test")]}, format="json")
    dept = hr.post("/api/hr/departments/", {"name": "HR"}, format="json").json()["id"]
    hr.patch(f"/api/hr/employees/{employee_pk('hr@acme.test')}/", {"department_id": dept}, format="json")
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = hr.post(
        "/api/hr/assignments/",
        {
            "courses": [course_a.slug, course_b.slug],
            "users": [user_pk("anna@acme.test")],
            "groups": [group],
            "departments": [dept],
            "due": {"kind": "date", "date": due},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 6, "already_assigned": 0, "people": 3}
    a = _current("anna@acme.test", course_a.slug)
    assert a is not None and a.required and a.due_at == end_of_day(date.fromisoformat(due))
    assert a.enrolment.source == "assignment"
    again = hr.post(
        "/api/hr/assignments/", {"courses": [course_a.slug], "users": [user_pk("anna@acme.test")]}, format="json"
    )
    assert again.json() == {"created": 0, "already_assigned": 1, "people": 1}  # idempotent
    listed = hr.get("/api/hr/assignments/", {"course": course_a.slug}).json()
    assert listed["count"] == 3
    assert {r["status"] for r in listed["results"]} == {"not_started"}
    # the learner sees the due date in "My learning"
    anna = HostClient("acme.localhost").as_user("anna@acme.test")
    assigned = anna.get("/api/learning/my/").json()["assigned"]
    assert {c["slug"] for c in assigned} == {course_a.slug, course_b.slug}
    assert all(c["due_at"] for c in assigned) and all(c["required"] for c in assigned)


def test_relative_due_dates(hr, course_a):
    boris = employee_pk("boris@acme.test")
    hire = timezone.localdate() - timedelta(days=3)
    hr.patch(f"/api/hr/employees/{boris}/", {"hire_date": hire.isoformat()}, format="json")
    hr.post(
        "/api/hr/assignments/",
        {"courses": [course_a.slug], "users": [user_pk("boris@acme.test")], "due": {"kind": "after_hire", "days": 10}},
        format="json",
    )
    assert _current("boris@acme.test", course_a.slug).due_at == end_of_day(hire + timedelta(days=10))
    hr.post(
        "/api/hr/assignments/",
        {
            "courses": [course_a.slug],
            "users": [user_pk("anna@acme.test")],
            "due": {"kind": "after_assignment", "days": 14},
            "required": False,
        },
        format="json",
    )
    anna = _current("anna@acme.test", course_a.slug)
    assert anna.due_at == end_of_day(timezone.localdate() + timedelta(days=14)) and not anna.required


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"courses": ["no-such-course"], "users": [1]}, "course_not_available"),
        ({"courses": ["compliance-a"]}, "invalid_assignment"),
        ({"courses": ["compliance-a"], "users": [999999]}, "invalid_assignee"),
        (
            {"courses": ["compliance-a"], "users": [1], "due": {"kind": "date", "date": "2001-01-01"}},
            "invalid_due_date",
        ),
        ({"courses": ["compliance-a"], "users": [1], "due": {"kind": "after_hire", "days": 0}}, "invalid_due_date"),
        ({"courses": ["compliance-a"], "users": [1], "due": "tomorrow"}, "invalid_due_date"),
        ({"courses": [], "users": [1]}, "validation_error"),
    ],
)
def test_bad_assignments_are_refused(hr, course_a, payload, code):
    response = hr.post("/api/hr/assignments/", payload, format="json")
    assert response.status_code == 400, response.content
    assert error_code(response) == code
    with schema_context("acme"):
        assert not Assignment.objects.exists()


def test_unlicensed_course_and_deactivated_people_cannot_be_assigned(hr):
    article_course("globex-only", license_to="globex")
    refused = hr.post(
        "/api/hr/assignments/", {"courses": ["globex-only"], "users": [user_pk("anna@acme.test")]}, format="json"
    )
    assert refused.status_code == 400 and error_code(refused) == "course_not_available"
    article_course("acme-ok")
    hr.post(f"/api/hr/employees/{employee_pk('boris@acme.test')}/deactivate/")
    gone = hr.post(
        "/api/hr/assignments/", {"courses": ["acme-ok"], "users": [user_pk("boris@acme.test")]}, format="json"
    )
    assert gone.status_code == 400 and error_code(gone) == "invalid_assignee"


def test_unassign_and_bulk_due_change(hr, course_a, course_b):
    users = [user_pk("anna@acme.test"), user_pk("boris@acme.test")]
    hr.post("/api/hr/assignments/", {"courses": [course_a.slug, course_b.slug], "users": users}, format="json")
    ids = [r["id"] for r in hr.get("/api/hr/assignments/").json()["results"]]
    assert len(ids) == 4
    new_due = (timezone.localdate() + timedelta(days=45)).isoformat()
    changed = hr.post(
        "/api/hr/assignments/bulk/",
        {"ids": ids[:3], "action": "set_due", "due": {"kind": "date", "date": new_due}},
        format="json",
    )
    assert changed.json() == {"updated": 3}
    with schema_context("acme"):
        dues = sorted(Assignment.objects.filter(pk__in=ids).values_list("due_at", flat=True), key=str)
        assert dues.count(end_of_day(date.fromisoformat(new_due))) == 3
    assert hr.delete(f"/api/hr/assignments/{ids[0]}/").status_code == 204
    assert hr.delete(f"/api/hr/assignments/{ids[0]}/").status_code == 409
    cancelled = hr.post("/api/hr/assignments/bulk/", {"ids": ids[1:], "action": "unassign"}, format="json")
    assert cancelled.json() == {"cancelled": 3}
    assert hr.get("/api/hr/assignments/").json()["count"] == 0
    with schema_context("acme"):
        assert Enrolment.objects.filter(course__in=[course_a, course_b]).count() == 4  # learning records stay
    bad = hr.post("/api/hr/assignments/bulk/", {"ids": "all", "action": "unassign"}, format="json")
    assert bad.status_code == 400


def test_rule_applies_retroactively_on_save(hr, course_a):
    group = hr.post("/api/hr/groups/", {"name": "Store staff"}, format="json").json()["id"]
    hr.post(f"/api/hr/groups/{group}/members/", {"add": [employee_pk("anna@acme.test")]}, format="json")
    rule = hr.post(
        "/api/hr/rules/",
        {"name": "Store onboarding", "course": course_a.slug, "target": {"kind": "group", "id": group}, "due_days": 7},
        format="json",
    )
    assert rule.status_code == 201, rule.content
    assert rule.json()["assigned_now"] == 1  # Anna was already a member: assigned at once
    a = _current("anna@acme.test", course_a.slug)
    assert a.source == "rule" and a.due_at == end_of_day(timezone.localdate() + timedelta(days=7))


def test_rule_applies_when_membership_or_department_changes(hr, course_a, course_b):
    group = hr.post("/api/hr/groups/", {"name": "Cashiers"}, format="json").json()["id"]
    hr.post(
        "/api/hr/rules/",
        {"name": "Cash", "course": course_a.slug, "target": {"kind": "group", "id": group}},
        format="json",
    )
    assert _current("boris@acme.test", course_a.slug) is None
    hr.post(f"/api/hr/groups/{group}/members/", {"add": [employee_pk("boris@acme.test")]}, format="json")
    assert _current("boris@acme.test", course_a.slug) is not None  # joined → assigned
    retail = hr.post("/api/hr/departments/", {"name": "Retail"}, format="json").json()["id"]
    store = hr.post("/api/hr/departments/", {"name": "Store", "parent_id": retail}, format="json").json()["id"]
    hr.post(
        "/api/hr/rules/",
        {"name": "Retail safety", "course": course_b.slug, "target": {"kind": "department", "id": retail}},
        format="json",
    )
    hr.patch(f"/api/hr/employees/{employee_pk('anna@acme.test')}/", {"department_id": store}, format="json")
    assert _current("anna@acme.test", course_b.slug) is not None  # moved into a sub-department → assigned
    # an employee added through the API is covered too
    hr.post("/api/hr/employees/", {"email": "new@acme.test", "group_ids": [group]}, format="json")
    assert _current("new@acme.test", course_a.slug) is not None


def test_nightly_run_catches_changes_made_elsewhere(hr, course_a, acme):
    hr.post(
        "/api/hr/rules/",
        {
            "name": "Designers",
            "course": course_a.slug,
            "target": {"kind": "attribute", "attribute": "title", "value": "Designer"},
        },
        format="json",
    )
    with schema_context("acme"):
        # a change that bypassed the API (e.g. a script or the database)
        Employee.objects.filter(user__email="boris@acme.test").update(title="designer")
    assert _current("boris@acme.test", course_a.slug) is None
    call_command("run_corporate_schedule", "--tenant", "acme", "--nightly", "--no-send")
    assert _current("boris@acme.test", course_a.slug) is not None
    call_command("run_corporate_schedule", "--tenant", "acme", "--nightly", "--no-send")
    with schema_context("acme"):
        assert Assignment.objects.filter(user__email="boris@acme.test").count() == 1  # idempotent


def test_rule_validation(hr, course_a):
    cases = [
        ({"name": "x", "course": course_a.slug}, "invalid_rule"),
        ({"name": "x", "course": course_a.slug, "target": {"kind": "group", "id": 999999}}, "group_not_found"),
        (
            {
                "name": "x",
                "course": course_a.slug,
                "target": {"kind": "attribute", "attribute": "salary", "value": "1"},
            },
            "invalid_rule",
        ),
        (
            {
                "name": "x",
                "course": course_a.slug,
                "target": {"kind": "attribute", "attribute": "title", "value": "a"},
                "due_days": -3,
            },
            "invalid_rule",
        ),
        (
            {"name": "", "course": course_a.slug, "target": {"kind": "attribute", "attribute": "title", "value": "a"}},
            "invalid_rule",
        ),
    ]
    for payload, code in cases:
        response = hr.post("/api/hr/rules/", payload, format="json")
        assert response.status_code in (400, 404), (payload, response.content)
        assert error_code(response) == code, payload
    assert hr.get("/api/hr/rules/").json()["results"] == []


def test_recertification_opens_a_new_cycle_and_keeps_history(hr, course_a):
    anna = user_pk("anna@acme.test")
    hr.post(
        "/api/hr/assignments/", {"courses": [course_a.slug], "users": [anna], "recertify_months": 12}, format="json"
    )
    complete_course("anna@acme.test", course_a)
    first = _current("anna@acme.test", course_a.slug)
    assert first.enrolment.completed_at is not None
    with schema_context("acme"):
        assert Certificate.objects.filter(enrolment=first.enrolment).exists()
    expires = add_months(first.enrolment.completed_at, 12)
    # 31 days before expiry: nothing yet (lead time is 30 days)
    call_command(
        "run_corporate_schedule",
        "--tenant",
        "acme",
        "--nightly",
        "--no-send",
        "--now",
        (expires - timedelta(days=31)).isoformat(),
    )
    assert _current("anna@acme.test", course_a.slug).pk == first.pk
    call_command(
        "run_corporate_schedule",
        "--tenant",
        "acme",
        "--nightly",
        "--no-send",
        "--now",
        (expires - timedelta(days=29)).isoformat(),
    )
    second = _current("anna@acme.test", course_a.slug)
    assert second.pk != first.pk and second.cycle == 2 and second.source == "recertification"
    assert second.due_at == expires and second.enrolment.completed_at is None
    with schema_context("acme"):
        old = Enrolment.objects.get(pk=first.enrolment_id)
        assert old.archived_at is not None and old.completed_at is not None
        assert Certificate.objects.filter(enrolment=old).exists()  # the old certificate stays
    transcript = hr.get(f"/api/hr/employees/{employee_pk('anna@acme.test')}/transcript/").json()
    states = sorted((a["cycle"], a["state"], a["status"]) for a in transcript["assignments"])
    assert states == [(1, "superseded", "completed"), (2, "current", "not_started")]
    # the learner starts over in the new cycle
    complete_course("anna@acme.test", course_a)
    assert _current("anna@acme.test", course_a.slug).enrolment.completed_at is not None


def test_unassigning_exempts_from_the_rule(hr, course_a):
    group = hr.post("/api/hr/groups/", {"name": "Exempt"}, format="json").json()["id"]
    hr.post(f"/api/hr/groups/{group}/members/", {"add": [employee_pk("anna@acme.test")]}, format="json")
    hr.post(
        "/api/hr/rules/",
        {"name": "R", "course": course_a.slug, "target": {"kind": "group", "id": group}},
        format="json",
    )
    assignment = _current("anna@acme.test", course_a.slug)
    assert hr.delete(f"/api/hr/assignments/{assignment.pk}/").status_code == 204
    call_command("run_corporate_schedule", "--tenant", "acme", "--nightly", "--no-send")
    hr.patch(f"/api/hr/employees/{employee_pk('anna@acme.test')}/", {"title": "changed"}, format="json")
    assert _current("anna@acme.test", course_a.slug) is None


def test_quiz_attempt_from_a_closed_cycle_does_not_count(video_bytes):
    from lms.learning.models import QuizAttempt
    from lms.learning.services import quizzes
    from lms.learning.services.enrolment import enrol
    from tests.learning_fixtures import build_course, license_to

    course = build_course("recert-quiz", video=video_bytes)
    license_to("acme", course)
    with in_tenant("acme"):
        from accounts.models import User

        anna = User.objects.get(email="anna@acme.test")
        enrolment, _ = enrol(anna, course, source="assignment")
        attempt, _ = quizzes.start_attempt(anna, course.lessons.get(title="Check").pk)
        Enrolment.objects.filter(pk=enrolment.pk).update(archived_at=timezone.now())  # the cycle rolled over
        enrol(anna, course, source="assignment")
        with pytest.raises(Exception) as refused:
            quizzes.submit(anna, attempt.pk, {})
        assert getattr(refused.value, "code", "") == "attempt_expired"
        assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None
