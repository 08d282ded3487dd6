"""Issue #4 journey in real Chromium: HR imports employees from a CSV, creates a group, assigns a
course with a due date; the employee accepts the invitation, signs in and completes the course; HR
sees 100 % and downloads the CSV report; a moved clock produces the reminder, the overdue notice
and the escalation to the manager in the mail files.

The set-up (a course, a tenant, its licence, the HR account) goes through the public API, as a
platform admin and an author would; everything HR and the employee do is in the browser."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.test_onboarding_journey import _shot

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-password-2026"
HR_PASSWORD = "Corp-HR-passw0rd-2026"


def _mail_texts(mail_dir: Path, recipient: str) -> list[str]:
    """The plain-text parts of every message to `recipient`, oldest first."""
    texts = []
    for path in sorted(mail_dir.glob(f"*{recipient}*.eml")) if mail_dir.exists() else []:
        message = message_from_bytes(path.read_bytes())
        parts = message.walk() if message.is_multipart() else [message]
        for part in parts:
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                texts.append(payload.decode(part.get_content_charset() or "utf-8"))
                break
    return texts


def _wait_mail(mail_dir: Path, recipient: str, needle: str, timeout: float = 30) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for text in _mail_texts(mail_dir, recipient):
            if needle in text:
                return text
        time.sleep(0.25)
    raise AssertionError(f"no mail with {needle!r} for {recipient}: {_mail_texts(mail_dir, recipient)}")


def _token(origin: str, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = requests.post(f"{origin}/api/auth/token/", json={"email": email, "password": password}, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


def _article_course(base: str, slug: str, title: str) -> None:
    author = _token(base, "author@ffs.local")
    api = f"{base}/api/authoring"
    assert requests.post(f"{api}/courses/", json={"slug": slug, "title": title}, headers=author, timeout=10).ok
    module = requests.post(f"{api}/courses/{slug}/modules/", json={"title": "Основы"}, headers=author, timeout=10)
    lesson = requests.post(
        f"{api}/modules/{module.json()['id']}/lessons/",
        json={"title": "Правила", "kind": "article"},
        headers=author,
        timeout=10,
    )
    lesson_id = lesson.json()["id"]
    assert requests.patch(
        f"{api}/lessons/{lesson_id}/", json={"body_md": "Прочитайте правила."}, headers=author, timeout=10
    ).ok
    published = requests.post(f"{api}/courses/{slug}/publish/", headers=author, timeout=10)
    assert published.ok, published.text


def _tenant_with_hr(live_stack: dict[str, Any]) -> str:
    base, port, mail_dir = live_stack["base"], live_stack["port"], live_stack["mail_dir"]
    admin = _token(base, "admin@ffs.local")
    created = requests.post(
        f"{base}/api/platform/tenants/",
        json={"slug": "modahaus", "name": "Moda Haus", "admin_email": "hr@modahaus.test", "seats": 20},
        headers=admin,
        timeout=10,
    )
    assert created.status_code == 202, created.text
    for _ in range(120):
        state = requests.get(f"{base}/api/platform/tenants/modahaus/", headers=admin, timeout=10).json()
        if state["status"] == "active":
            break
        time.sleep(0.5)
    else:
        raise AssertionError(state)
    for slug in ("e2e-dress-code", "e2e-fire-safety"):
        licence = requests.post(
            f"{base}/api/platform/tenants/modahaus/licenses/",
            json={"course_slug": slug, "all": False},
            headers=admin,
            timeout=10,
        )
        assert licence.status_code in (200, 201), licence.text
    origin = f"http://modahaus.localhost:{port}"
    invitation = _wait_mail(mail_dir, "hr@modahaus.test", "/invite/")
    token = re.search(r"/invite/(\S+)", invitation).group(1)  # type: ignore[union-attr]
    # `*.localhost` resolves in browsers, not in Python: address the server and name the host
    accepted = requests.post(
        f"http://127.0.0.1:{port}/api/auth/invitations/{token}/accept/",
        json={"password": HR_PASSWORD, "first_name": "Hanna", "last_name": "Rot"},
        headers={"Host": f"modahaus.localhost:{port}"},
        timeout=10,
    )
    assert accepted.ok, accepted.text
    return origin


def _sign_in(page: Page, origin: str, email: str, password: str) -> None:
    page.goto(f"{origin}/login")
    page.evaluate("localStorage.setItem('ffs.lang', 'en')")
    page.goto(f"{origin}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _schedule(live_stack: dict[str, Any], moment: datetime) -> str:
    run = subprocess.run(
        [sys.executable, "manage.py", "run_corporate_schedule", "--tenant", "modahaus", "--now", moment.isoformat()],
        cwd=ROOT,
        env=live_stack["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_hr_imports_assigns_and_reports_and_reminders_follow_the_clock(page, browser, live_stack, tmp_path):
    base, mail_dir = live_stack["base"], live_stack["mail_dir"]
    _article_course(base, "e2e-dress-code", "Dress code")
    _article_course(base, "e2e-fire-safety", "Fire safety")
    origin = _tenant_with_hr(live_stack)

    # HR imports two employees (Oleg reports to Mila), with invitations
    csv_path = tmp_path / "people.csv"
    csv_path.write_text(
        "Email,First name,Last name,Employee ID,Department,Manager email,Hire date\n"
        "mila@modahaus.test,Mila,Stone,M-1,Studio/Paris,,2026-01-10\n"
        "oleg@modahaus.test,Oleg,Frost,M-2,Studio/Paris,mila@modahaus.test,2026-02-01\n",
        encoding="utf-8",
    )
    _sign_in(page, origin, "hr@modahaus.test", HR_PASSWORD)
    page.goto(f"{origin}/hr/import")
    page.get_by_label("File").set_input_files(str(csv_path))
    page.get_by_label("Send invitations").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-status")).to_have_text("done", timeout=30_000)
    expect(page.get_by_text(re.compile(r"Created\D*2"))).to_be_visible()
    _shot(page, "hr-import")

    # a group with Mila in it
    page.goto(f"{origin}/hr/groups")
    page.get_by_label("Group name").fill("Stylists")
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("link", name="Stylists").click()
    page.get_by_label("Find employee").fill("mila")
    page.get_by_role("option", name=re.compile("mila@modahaus.test")).or_(
        page.get_by_role("button", name=re.compile("mila@modahaus.test"))
    ).first.click()
    page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_role("cell", name="mila@modahaus.test")).to_be_visible()

    # the course assigned to the group with a due date
    due = date.today() + timedelta(days=10)
    page.goto(f"{origin}/hr/assignments")
    page.get_by_label("Dress code").check()
    page.get_by_label("Stylists").check()
    page.get_by_label("By date").check()
    page.get_by_label("Due date", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned: 1")).to_be_visible()
    _shot(page, "hr-assignments")

    # Mila accepts her invitation, signs in, finds the course assigned and completes it
    invitation = _wait_mail(mail_dir, "mila@modahaus.test", "/invite/")
    assert _wait_mail(mail_dir, "mila@modahaus.test", "Dress code")  # the "course assigned" e-mail
    link = re.search(r"http://\S+/invite/\S+", invitation).group(0)  # type: ignore[union-attr]
    employee = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}).new_page()
    employee.goto(link)
    employee.evaluate("localStorage.setItem('ffs.lang', 'en')")
    employee.reload()
    employee.get_by_label("Password", exact=True).fill("Mila-passw0rd-2026")
    employee.get_by_label("Confirm password").fill("Mila-passw0rd-2026")
    employee.get_by_role("button", name="Accept invitation").click()
    expect(employee.get_by_role("button", name="Log out")).to_be_visible()
    employee.goto(f"{origin}/learning")
    expect(employee.get_by_text("Dress code")).to_be_visible()
    employee.get_by_role("link", name=re.compile("Dress code")).first.click()
    employee.get_by_role("link", name=re.compile("Правила")).first.click()
    expect(employee.get_by_text("Прочитайте правила.")).to_be_visible()
    employee.goto(f"{origin}/learn/e2e-dress-code")
    expect(employee.get_by_text(re.compile(r"100\s*%"))).to_be_visible(timeout=15_000)
    employee.context.close()

    # HR sees 100 % and downloads the CSV
    page.goto(f"{origin}/hr")
    expect(page.get_by_test_id("completion-rate")).to_have_text(re.compile(r"^100\s*%$"), timeout=15_000)
    _shot(page, "hr-dashboard")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    report = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "mila@modahaus.test" in report and "completed" in report

    # Oleg gets Fire safety due in 10 days and does nothing; the clock moves
    page.goto(f"{origin}/hr/assignments")
    page.get_by_label("Fire safety").check()
    page.get_by_label("Find employee").fill("oleg")
    page.get_by_role("option", name=re.compile("oleg@modahaus.test")).or_(
        page.get_by_role("button", name=re.compile("oleg@modahaus.test"))
    ).first.click()
    page.get_by_label("By date").check()
    page.get_by_label("Due date", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned: 1")).to_be_visible()
    due_end = datetime.combine(due, datetime.max.time()).astimezone()
    _schedule(live_stack, due_end - timedelta(days=2))
    assert _wait_mail(mail_dir, "oleg@modahaus.test", "Fire safety")
    reminder = _wait_mail(mail_dir, "oleg@modahaus.test", "Срок прохождения курса")
    assert "Fire safety" in reminder
    _schedule(live_stack, due_end + timedelta(days=2))
    overdue = _wait_mail(mail_dir, "oleg@modahaus.test", "истёк")
    escalation = _wait_mail(mail_dir, "mila@modahaus.test", "oleg@modahaus.test")
    assert "Fire safety" in overdue and "Oleg Frost" in escalation
    _schedule(live_stack, due_end + timedelta(days=2, hours=1))  # again: nothing new
    assert len([t for t in _mail_texts(mail_dir, "oleg@modahaus.test") if "истёк" in t]) == 1
