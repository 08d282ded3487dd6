"""HR dashboard, per-course rows, transcripts and the streamed CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accounts.models import User
from lms.corporate.models import Assignment
from tests.conftest import HostClient, error_code
from tests.corporate_fixtures import complete_course, employee_pk, user_pk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(hr, course_a, course_b):
    """Retail/Store: Anna, Boris. HR: Helen. course_a to all three (Anna completes it), course_b
    to Boris with a due date already passed (overdue)."""
    retail = hr.post("/api/hr/departments/", {"name": "Retail"}, format="json").json()["id"]
    store = hr.post("/api/hr/departments/", {"name": "Store", "parent_id": retail}, format="json").json()["id"]
    office = hr.post("/api/hr/departments/", {"name": "Office"}, format="json").json()["id"]
    for email, dept in (("anna@acme.test", store), ("boris@acme.test", store), ("hr@acme.test", office)):
        hr.patch(f"/api/hr/employees/{employee_pk(email)}/", {"department_id": dept}, format="json")
    hr.post("/api/hr/assignments/", {"courses": [course_a.slug], "departments": [retail, office]}, format="json")
    hr.post(
        "/api/hr/assignments/",
        {
            "courses": [course_b.slug],
            "users": [user_pk("boris@acme.test")],
            "due": {"kind": "after_assignment", "days": 1},
        },
        format="json",
    )
    with schema_context("acme"):
        Assignment.objects.filter(course=course_b).update(due_at=timezone.now() - timedelta(days=2))
        User.objects.filter(email="anna@acme.test").update(last_name="=SUM(A1:A9)")  # a hostile cell
    complete_course("anna@acme.test", course_a)
    return {"retail": retail, "store": store, "office": office}


def test_dashboard_figures(hr, scenario, course_a, course_b):
    data = hr.get("/api/hr/reports/dashboard/").json()
    totals = data["totals"]
    assert (totals["assigned"], totals["completed"], totals["overdue"], totals["learners"]) == (4, 1, 1, 3)
    assert totals["completion_rate"] == 25.0 and totals["not_started"] == 2
    by_course = {c["slug"]: c for c in data["by_course"]}
    assert by_course[course_a.slug]["completion_rate"] == pytest.approx(33.3)
    assert by_course[course_b.slug]["overdue"] == 1
    by_dept = {d["path"]: d for d in data["by_department"]}
    assert by_dept["Retail/Store"]["assigned"] == 3 and by_dept["Office"]["assigned"] == 1
    this_week = data["trend"][-1]
    assert len(data["trend"]) == 12 and this_week["assigned"] == 4 and this_week["completed"] == 1
    assert data["seats"]["used"] >= 4
    # filters: a department subtree, a course
    retail = hr.get("/api/hr/reports/dashboard/", {"department": scenario["retail"]}).json()["totals"]
    assert (retail["assigned"], retail["completed"]) == (3, 1)
    only_b = hr.get("/api/hr/reports/dashboard/", {"course": course_b.slug}).json()["totals"]
    assert (only_b["assigned"], only_b["overdue"], only_b["completion_rate"]) == (1, 1, 0.0)
    assert error_code(hr.get("/api/hr/reports/dashboard/", {"course": "nope"})) == "invalid_filter"


def test_course_report_rows_and_filters(hr, scenario, course_a):
    rows = hr.get("/api/hr/reports/assignments/", {"course": course_a.slug}).json()
    assert rows["count"] == 3
    statuses = {r["email"]: r["status"] for r in rows["results"]}
    assert statuses == {"anna@acme.test": "completed", "boris@acme.test": "not_started", "hr@acme.test": "not_started"}
    overdue = hr.get("/api/hr/reports/assignments/", {"status": "overdue"}).json()["results"]
    assert [(r["email"], r["course_slug"]) for r in overdue] == [("boris@acme.test", "compliance-b")]
    paged = hr.get("/api/hr/reports/assignments/", {"page_size": 2, "page": 2}).json()
    assert paged["count"] == 4 and len(paged["results"]) == 2


def test_csv_export_streams_all_rows_safely(hr, scenario):
    response = hr.get("/api/hr/reports/export/", {"file": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.streaming and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel opens Cyrillic correctly
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Assignment ID", "E-mail", "Last name"]
    assert len(rows) == 5
    anna = next(r for r in rows if r[1] == "anna@acme.test")
    assert anna[2] == "'=SUM(A1:A9)"  # a formula is neutralised, not executed by a spreadsheet
    assert anna[13] == "completed" and anna[14] == "100" and anna[5] == "Retail/Store"
    ru = hr.get("/api/hr/reports/export/", {"file": "csv", "status": "overdue"}, HTTP_ACCEPT_LANGUAGE="ru")
    ru_rows = list(csv.reader(io.StringIO(b"".join(ru.streaming_content).decode("utf-8-sig"))))
    assert ru_rows[0][1] == "E-mail" and ru_rows[0][2] == "Фамилия" and len(ru_rows) == 2


def test_xlsx_export_is_a_valid_workbook(hr, scenario):
    response = hr.get("/api/hr/reports/export/", {"file": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][0] == "Assignment ID" and len(rows) == 5
    anna = next(r for r in rows if r[1] == "anna@acme.test")
    assert anna[2] == "'=SUM(A1:A9)" and anna[13] == "completed" and anna[10] is True


def test_export_validates_before_streaming(hr):
    bad = hr.get("/api/hr/reports/export/", {"file": "pdf"})
    assert bad.status_code == 400 and error_code(bad) == "invalid_filter"
    assert error_code(hr.get("/api/hr/reports/export/", {"status": "lost"})) == "invalid_filter"


def test_transcript_and_learner_cannot_see_reports(hr, scenario, course_a):
    anna = employee_pk("anna@acme.test")
    transcript = hr.get(f"/api/hr/employees/{anna}/transcript/").json()
    assert [(a["course"]["slug"], a["status"]) for a in transcript["assignments"]] == [(course_a.slug, "completed")]
    assert transcript["assignments"][0]["certificate"]
    learner = HostClient("acme.localhost").as_user("anna@acme.test")
    for url in ("/api/hr/reports/dashboard/", "/api/hr/reports/export/", f"/api/hr/employees/{anna}/transcript/"):
        assert learner.get(url).status_code == 403


def test_manager_sees_team_progress(hr, scenario, course_a):
    hr.patch(
        f"/api/hr/employees/{employee_pk('anna@acme.test')}/",
        {"manager_id": employee_pk("boris@acme.test")},
        format="json",
    )
    boris = HostClient("acme.localhost").as_user("boris@acme.test")
    team = boris.get("/api/team/").json()["results"]
    assert len(team) == 1 and team[0]["email"] == "anna@acme.test"
    assert (team[0]["assigned"], team[0]["completed"]) == (1, 1)
    assert team[0]["assignments"][0]["course"]["slug"] == course_a.slug
