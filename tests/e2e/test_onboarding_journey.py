"""The onboarding journey in real Chromium against the live stack.

Platform admin signs in, creates tenant `acme`, waits for `active`; the invited admin accepts the
invitation from the mail file, signs in at the acme host and sees Acme's branding.
"""

from __future__ import annotations

import re
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _wait_for_mail(mail_dir: Path, recipient: str, timeout: float = 30) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(mail_dir.glob(f"*{recipient}*.eml")) if mail_dir.exists() else []:
            message = message_from_bytes(path.read_bytes())
            payload = message.get_payload(decode=True)
            return (
                payload.decode(message.get_content_charset() or "utf-8") if isinstance(payload, bytes) else str(payload)
            )
        time.sleep(0.25)
    raise AssertionError(f"no mail for {recipient} in {mail_dir}")


def test_platform_admin_onboards_acme_and_its_admin_signs_in(page, live_stack):
    base, port = live_stack["base"], live_stack["port"]
    page.goto(f"{base}/login")
    page.evaluate("localStorage.setItem('ffs.lang', 'en')")
    page.goto(f"{base}/login")
    _shot(page, "login")
    page.get_by_label("Email").fill("admin@ffs.local")
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/platform/tenants"))

    page.goto(f"{base}/platform/tenants/new")
    page.get_by_label("Slug").fill("acme")
    page.get_by_label("Name").fill("Acme Fashion")
    page.get_by_label("Admin e-mail").fill("owner@acme.test")
    page.get_by_label("Seats").fill("50")
    page.get_by_role("button", name="Create tenant").click()
    status = page.get_by_test_id("provisioning-status")
    expect(status).to_contain_text("active", timeout=60_000)
    _shot(page, "tenant-provisioned")

    body = _wait_for_mail(live_stack["mail_dir"], "owner@acme.test")
    match = re.search(rf"http://acme\.localhost:{port}/invite/\S+", body)
    assert match, body
    page.goto(match.group(0))
    page.evaluate("localStorage.setItem('ffs.lang', 'en')")
    page.reload()
    page.get_by_label("Password", exact=True).fill("acme-Owner-passw0rd")
    page.get_by_label("Confirm password").fill("acme-Owner-passw0rd")
    page.get_by_role("button", name="Accept invitation").click()
    expect(page.get_by_test_id("brand-name")).to_have_text("Acme Fashion")

    # sign out and sign in again on the tenant's own host
    page.get_by_role("button", name="Log out").click()
    page.goto(f"http://acme.localhost:{port}/login")
    page.get_by_label("Email").fill("owner@acme.test")
    page.get_by_label("Password").fill("acme-Owner-passw0rd")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"acme\.localhost:\d+/admin"))
    expect(page.get_by_test_id("brand-name")).to_have_text("Acme Fashion")
    assert page.title().startswith("Acme Fashion") or "Acme" in page.title()
    _shot(page, "tenant-admin")
