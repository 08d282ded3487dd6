"""Employee imports from CSV/XLSX: mapping, dry run, idempotency, row errors, broken files, seats."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django_tenants.utils import schema_context
from openpyxl import Workbook

from accounts.models import User
from lms.corporate.models import Assignment, Department, Employee, Group, ImportJob
from tenants.models import Tenant
from tests.conftest import error_code

pytestmark = pytest.mark.django_db

HEADER = "E-mail,Имя,Фамилия,Табельный номер,Подразделение,Руководитель,Группы,Дата приёма,Должность\n"
GOOD = (
    "ivan@acme.test,Иван,Орлов,E-1,Розница/Москва,olga@acme.test,Продавцы;Новички,01.09.2026,Продавец\n"
    "olga@acme.test,Ольга,Соколова,E-2,Розница,,Руководители,2024-03-15,Директор магазина\n"
)


def _upload(hr, content: bytes, name: str = "people.csv", **options):
    data = {"file": SimpleUploadedFile(name, content), **{k: str(v).lower() for k, v in options.items()}}
    with TestCase.captureOnCommitCallbacks(execute=True):  # the Celery task runs (eagerly) after commit
        response = hr.post("/api/hr/imports/", data, format="multipart")
    assert response.status_code == 202, response.content
    job = hr.get(f"/api/hr/imports/{response.json()['id']}/").json()
    return job


def test_csv_import_creates_structure_and_links_managers(hr):
    job = _upload(hr, (HEADER + GOOD).encode())
    assert job["status"] == "done", job
    assert (job["created"], job["updated"], job["failed"], job["progress_percent"]) == (2, 0, 0, 100)
    with schema_context("acme"):
        ivan = Employee.objects.select_related("user", "department", "manager__user").get(user__email="ivan@acme.test")
        assert ivan.user.first_name == "Иван" and ivan.employee_id == "E-1" and ivan.title == "Продавец"
        assert ivan.department.path == "Розница/Москва" and ivan.hire_date.isoformat() == "2026-09-01"
        assert ivan.manager.user.email == "olga@acme.test"  # the manager came later in the file
        assert sorted(ivan.groups.values_list("name", flat=True)) == ["Новички", "Продавцы"]
        assert ivan.user.is_active is False  # invited state until SSO or an invitation
        assert Department.objects.get(path="Розница/Москва").parent.path == "Розница"


def test_dry_run_reports_and_imports_nothing(hr):
    job = _upload(hr, (HEADER + GOOD + "broken-email,X,Y,,,,,,\n").encode(), dry_run=True)
    assert job["status"] == "done" and job["dry_run"]
    assert (job["created"], job["failed"]) == (2, 1)
    assert job["errors"] == [{"row": 4, "column": "email", "message": "Not a valid e-mail: 'broken-email'."}]
    with schema_context("acme"):
        assert not User.objects.filter(email__in=["ivan@acme.test", "olga@acme.test"]).exists()
        assert not Department.objects.exists() and not Group.objects.exists()


def test_reimport_is_idempotent_and_updates_by_employee_id(hr):
    _upload(hr, (HEADER + GOOD).encode())
    again = _upload(hr, (HEADER + GOOD).encode())
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    changed = GOOD.replace("ivan@acme.test,Иван", "ivan.orlov@acme.test,Иван").replace("Продавцы;Новички", "Продавцы")
    # the manager column refers to the new address of nobody: keep Olga as manager
    third = _upload(hr, (HEADER + changed).encode())
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 1), third
    with schema_context("acme"):
        assert Employee.objects.filter(employee_id="E-1").count() == 1
        ivan = Employee.objects.get(employee_id="E-1")
        assert ivan.user.email == "ivan.orlov@acme.test"
        assert list(ivan.groups.values_list("name", flat=True)) == ["Продавцы"]
        assert User.objects.filter(email__startswith="ivan").count() == 1


def test_bad_rows_are_reported_and_import_nothing_while_good_rows_go_in(hr):
    rows = (
        HEADER
        + "good@acme.test,Good,Row,G-1,,,,,\n"
        + "=cmd|' /C calc'!A0,X,Y,,,,,,\n"
        + 'formula@acme.test,=HYPERLINK("x"),Y,,,,,,\n'
        + "good@acme.test,Dup,Row,,,,,,\n"
        + "date@acme.test,D,D,,,,,31.02.2026,\n"
        + "boss@acme.test,B,B,,,nobody@acme.test,,,\n"
        + "self@acme.test,S,S,,,self@acme.test,,,\n"
        + "idclash@acme.test,I,I,G-1,,,,,\n"
    )
    job = _upload(hr, rows.encode())
    assert job["status"] == "done" and job["created"] == 1 and job["failed"] == 7
    by_row = {e["row"]: (e["column"], e["message"]) for e in job["errors"]}
    assert by_row[3][0] == "email"
    assert by_row[4] == ("first_name", "Formulas are not accepted: paste values instead.")
    assert by_row[5] == ("email", "Duplicate of row 2.")
    assert by_row[6][0] == "hire_date"
    assert by_row[7][0] == "manager_email" and "neither in the file" in by_row[7][1]
    assert by_row[8][0] == "manager_email"
    assert by_row[9] == ("employee_id", "Duplicate of row 2.")
    with schema_context("acme"):
        assert list(
            User.objects.filter(
                email__in=[
                    "good@acme.test",
                    "formula@acme.test",
                    "date@acme.test",
                    "boss@acme.test",
                    "self@acme.test",
                    "idclash@acme.test",
                ]
            ).values_list("email", flat=True)
        ) == ["good@acme.test"]


@pytest.mark.parametrize(
    "content, name, code",
    [
        (b"\x00\x01\x02binary\x00garbage", "x.csv", "bad_encoding"),
        ("email;имя\n".encode() + bytes(range(0x80, 0xC0)), "x.csv", "bad_encoding"),
        ("Имя,Фамилия\nИван,Орлов\n".encode(), "x.csv", "missing_columns"),
        (b"PK\x03\x04 this is not really a zip", "x.xlsx", "broken_xlsx"),
        (b"not a workbook at all", "people.xlsx", "broken_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "unsupported_format"),
        (b"   \n", "x.csv", "empty_file"),
    ],
)
def test_broken_files_fail_with_a_clear_reason_and_import_nothing(hr, content, name, code):
    with schema_context("acme"):
        before = User.objects.count()
    job = _upload(hr, content, name=name)
    assert job["status"] == "failed" and job["file_error"]["code"] == code, job
    assert job["file_error"]["message"]
    with schema_context("acme"):
        assert Department.objects.count() == 0
        assert User.objects.count() == before


def test_windows_1251_semicolon_csv_from_russian_excel(hr):
    text = "Почта;Имя;Фамилия;Отдел\r\nvera@acme.test;Вера;Ёлкина;Склад\r\n"
    job = _upload(hr, text.encode("cp1251"))
    assert job["status"] == "done" and job["encoding"] == "cp1251" and job["created"] == 1, job
    with schema_context("acme"):
        assert User.objects.get(email="vera@acme.test").last_name == "Ёлкина"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import_with_dates_and_formula_cells(hr):
    import datetime

    content = _xlsx(
        [
            ["Email", "First name", "Last name", "Employee ID", "Hire date", "Groups"],
            ["x1@acme.test", "Xenia", "One", 1001, datetime.datetime(2026, 1, 15), "Design"],
            ["x2@acme.test", "=1+1", "Two", 1002, None, ""],
        ]
    )
    job = _upload(hr, content, name="people.xlsx")
    assert job["status"] == "done" and job["file_format"] == "xlsx" and job["created"] == 1, job
    assert job["errors"][0]["row"] == 3 and "Formulas" in job["errors"][0]["message"]
    with schema_context("acme"):
        x1 = Employee.objects.get(user__email="x1@acme.test")
        assert x1.employee_id == "1001" and x1.hire_date.isoformat() == "2026-01-15"


def test_seat_limit_refuses_the_rows_beyond_it(hr, acme):
    used = hr.get("/api/hr/seats/").json()["used"]
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used + 1)
    job = _upload(hr, (HEADER + GOOD).encode())
    # Ivan (row 2) takes the last seat; Olga (row 3) is refused, so Ivan's manager link is reported too
    assert job["created"] == 1 and job["failed"] == 2
    assert job["errors"][0]["row"] == 3 and f"No free seat: {used} of {used + 1}" in job["errors"][0]["message"]
    assert job["errors"][1] == {
        "row": 2,
        "column": "manager_email",
        "message": "Manager olga@acme.test was not imported.",
    }
    assert hr.get("/api/hr/seats/").json() == {"used": used + 1, "limit": used + 1, "available": 0}


def test_imported_group_members_get_rule_assignments(hr, course_a):
    group = hr.post("/api/hr/groups/", {"name": "Продавцы"}, format="json").json()["id"]
    hr.post(
        "/api/hr/rules/",
        {"name": "Sales", "course": course_a.slug, "target": {"kind": "group", "id": group}},
        format="json",
    )
    _upload(hr, (HEADER + GOOD).encode())
    with schema_context("acme"):
        assert list(Assignment.objects.values_list("user__email", flat=True)) == ["ivan@acme.test"]


def test_upload_validation(hr):
    missing = hr.post("/api/hr/imports/", {}, format="multipart")
    assert missing.status_code == 400 and error_code(missing) == "validation_error"
    big = SimpleUploadedFile("big.csv", b"email\n" + b"a" * (10 * 1024 * 1024 + 10))
    too_big = hr.post("/api/hr/imports/", {"file": big}, format="multipart")
    assert too_big.status_code == 413 and error_code(too_big) == "file_too_large"
    with schema_context("acme"):
        assert ImportJob.objects.count() == 0
    assert hr.get("/api/hr/imports/424242/").status_code == 404


def test_ten_thousand_rows_import(hr, acme):
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=20_000)
    lines = [HEADER.rstrip("\n")]
    for i in range(10_000):
        manager = "" if i < 100 else f"p{i % 100}@acme.test"
        lines.append(
            f"p{i}@acme.test,Имя{i},Фамилия{i},T{i},Розница/Магазин {i % 40},{manager},Группа {i % 50},"
            f"2025-01-01,Продавец"
        )
    job = _upload(hr, ("\n".join(lines) + "\n").encode(), send_invitations=False)
    assert job["status"] == "done" and job["created"] == 10_000 and job["failed"] == 0, job["errors"][:3]
    with schema_context("acme"):
        assert Employee.objects.filter(employee_id__startswith="T").count() == 10_000
        assert Group.objects.filter(name__startswith="Группа").count() == 50
        assert Employee.objects.filter(manager__isnull=False, employee_id__startswith="T").count() == 9_900
    again = _upload(hr, ("\n".join(lines) + "\n").encode())
    assert (again["created"], again["unchanged"]) == (0, 10_000)


def test_import_cannot_change_an_admins_login_or_update_one_person_twice(hr, acme_admin):
    admin_pk = acme_admin.get("/api/hr/employees/", {"search": "admin@acme.test"}).json()["results"][0]["id"]
    acme_admin.patch(f"/api/hr/employees/{admin_pk}/", {"employee_id": "ADM1"}, format="json")
    hostile = "email,employee id\nme@attacker.test,ADM1\n"
    job = _upload(hr, hostile.encode())
    assert job["failed"] == 1 and "cannot be changed by an import" in job["errors"][0]["message"]
    with schema_context("acme"):
        assert User.objects.filter(email="admin@acme.test", role="tenant_admin").exists()
    _upload(hr, b"email,employee id\nold@acme.test,E7\n")
    both = _upload(hr, b"email,employee id\nnew@acme.test,E7\nold@acme.test,\n")
    assert (both["updated"], both["failed"]) == (1, 1) and both["errors"][0]["row"] == 3
    with schema_context("acme"):
        assert Employee.objects.get(employee_id="E7").user.email == "new@acme.test"


def test_import_refuses_manager_cycles(hr):
    job = _upload(
        hr, b"email,manager email\na@acme.test,b@acme.test\nb@acme.test,c@acme.test\nc@acme.test,a@acme.test\n"
    )
    assert job["created"] == 3 and job["failed"] == 1
    assert job["errors"] == [
        {"row": 4, "column": "manager_email", "message": "This manager reports (directly or not) to this employee."}
    ]
    with schema_context("acme"):
        c = Employee.objects.get(user__email="c@acme.test")
        assert c.manager_id is None


def test_reimport_with_a_manual_membership_is_unchanged(hr):
    _upload(hr, (HEADER + GOOD).encode())
    with schema_context("acme"):
        from lms.corporate.models import Membership

        ivan = Employee.objects.get(user__email="ivan@acme.test")
        Membership.objects.filter(employee=ivan).delete()
        group = Group.objects.get(name="Продавцы")
        Membership.objects.create(employee=ivan, group=group, source="manual")
    first = _upload(hr, (HEADER + GOOD).encode())
    assert first["updated"] == 1  # Новички comes back
    again = _upload(hr, (HEADER + GOOD).encode())
    assert (again["updated"], again["unchanged"]) == (0, 2)


def test_xlsx_blank_rows_keep_the_sheets_row_numbers(hr):
    content = _xlsx([["Email"], ["ok@acme.test"], [None], [None], ["not-an-email"]])
    job = _upload(hr, content, name="gaps.xlsx")
    assert job["created"] == 1 and job["errors"][0]["row"] == 5
