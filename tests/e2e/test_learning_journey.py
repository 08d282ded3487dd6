"""Issue #3 journey in real Chromium: an author creates and publishes a course with a video and a
quiz (uploading the video by presigned multipart upload to the real object storage); a student on
the storefront and an employee on a tenant host each watch, reload and resume at the saved position,
pass the quiz and open the certificate verification page."""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.test_onboarding_journey import _shot, _wait_for_mail
from tests.learning_fixtures import make_video

pytestmark = pytest.mark.e2e
PASSWORD = "demo-password-2026"


def sign_in(page: Page, origin: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{origin}/login")
    page.evaluate("localStorage.setItem('ffs.lang', 'en')")
    page.goto(f"{origin}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def video_state(page: Page) -> dict[str, float]:
    return page.get_by_test_id("lesson-video").evaluate(
        "v => ({t: v.currentTime, d: v.duration, paused: v.paused, ended: v.ended})"
    )


def author_publishes_course(page: Page, base: str, video_path: str) -> None:
    sign_in(page, base, "author@ffs.local")
    page.goto(f"{base}/authoring")
    page.get_by_role("link", name="New course").or_(page.get_by_role("button", name="New course")).first.click()
    page.get_by_label("Slug", exact=True).fill("e2e-draping")
    page.get_by_label("Title", exact=True).fill("Draping basics")
    page.get_by_role("button", name="Create course").click()
    expect(page).to_have_url(re.compile(r"/authoring/courses/e2e-draping"))

    page.get_by_label("Module title").fill("Module one")
    page.get_by_role("button", name="Add module").click()
    page.get_by_label("Lesson title").fill("Watch me")
    page.get_by_label("Lesson type").select_option("video")
    page.get_by_role("button", name="Add lesson").click()  # the new lesson's editor opens
    page.get_by_label("Video file").set_input_files(video_path)
    expect(page.get_by_text("File uploaded: lesson.mp4")).to_be_visible(timeout=60_000)

    page.get_by_label("Lesson title").fill("Check")
    page.get_by_label("Lesson type").select_option("quiz")
    page.get_by_role("button", name="Add lesson").click()
    page.get_by_label("Question text").fill("Which fabric drapes softly?")
    page.get_by_label("Option 1", exact=True).fill("Silk")
    page.get_by_label("Option 1 is correct").check()
    page.get_by_label("Option 2", exact=True).fill("Cardboard")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_text("Lesson saved.")).to_be_visible()
    _shot(page, "authoring-editor")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The course is published.")).to_be_visible()


def learner_completes_course(page: Page, origin: str, email: str, password: str, shots: str) -> str:
    sign_in(page, origin, email, password)
    page.goto(f"{origin}/courses/e2e-draping")
    page.get_by_role("button", name="Enrol for free").click()
    expect(page).to_have_url(re.compile(r"/learn/e2e-draping"))
    page.get_by_role("link", name=re.compile("Watch me")).first.click()
    video = page.get_by_test_id("lesson-video")
    expect(video).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=lesson-video]')?.readyState >= 1")
    video.evaluate("v => { v.muted = true; v.play(); }")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=lesson-video]')?.currentTime > 5.5", timeout=20_000
    )
    video.evaluate("v => v.pause()")  # pause sends a heartbeat with the position
    saved = video_state(page)["t"]
    time.sleep(1.0)
    page.reload()
    page.wait_for_function("() => document.querySelector('[data-testid=lesson-video]')?.readyState >= 1")
    page.wait_for_function("() => document.querySelector('[data-testid=lesson-video]')?.currentTime > 4")
    resumed = video_state(page)["t"]
    assert abs(resumed - saved) < 2.5, (saved, resumed)
    _shot(page, f"{shots}-player")
    page.get_by_label("Speed").select_option("2")
    page.get_by_test_id("lesson-video").evaluate("v => { v.muted = true; v.play(); }")
    page.wait_for_function("() => document.querySelector('[data-testid=lesson-video]')?.ended", timeout=30_000)
    expect(page.get_by_text("Completed").first).to_be_visible(timeout=10_000)

    page.get_by_role("link", name=re.compile("Next lesson")).click()
    page.get_by_role("button", name="Start quiz").click()
    page.get_by_label("Silk").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    _shot(page, f"{shots}-quiz")

    page.goto(f"{origin}/learning")
    link = page.get_by_role("link", name="Verification link").first
    expect(link).to_be_visible()
    verify_url = link.get_attribute("href")
    assert verify_url
    return verify_url


def test_author_publishes_student_and_employee_learn(browser, live_stack, tmp_path):
    base, port = live_stack["base"], live_stack["port"]
    video_path = tmp_path / "lesson.mp4"
    make_video(video_path, seconds=12)

    author = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    author_publishes_course(author.new_page(), base, str(video_path))
    author.close()

    student = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = student.new_page()
    verify_url = learner_completes_course(page, base, "student@ffs.local", PASSWORD, "student")
    page.goto(verify_url)
    expect(page.get_by_test_id("certificate-status")).to_contain_text("Valid")
    _shot(page, "certificate-verification")
    student.close()

    # a corporate tenant licensed to the course, with an employee who signs in on its own host
    api = requests.Session()
    token = api.post(f"{base}/api/auth/token/", json={"email": "admin@ffs.local", "password": PASSWORD}).json()[
        "access"
    ]
    api.headers["Authorization"] = f"Bearer {token}"
    created = api.post(
        f"{base}/api/platform/tenants/",
        json={"slug": "atelier", "name": "Atelier", "admin_email": "lead@atelier.test", "seats": 5},
    )
    assert created.status_code == 202, created.text
    for _ in range(120):
        if api.get(f"{base}/api/platform/tenants/atelier/").json()["status"] == "active":
            break
        time.sleep(0.25)
    assert (
        api.post(f"{base}/api/platform/tenants/atelier/licenses/", json={"course_slug": "e2e-draping"}).status_code
        == 201
    )
    body = _wait_for_mail(live_stack["mail_dir"], "lead@atelier.test")
    invite = re.search(r"/invite/(\S+)", body).group(1)
    tenant = f"http://atelier.localhost:{port}"
    accepted = requests.post(  # *.localhost resolves in the browser, not in Python: name the host explicitly
        f"http://127.0.0.1:{port}/api/auth/invitations/{invite}/accept/",
        json={"password": "atelier-Lead-2026"},
        headers={"Host": f"atelier.localhost:{port}"},
    )
    assert accepted.status_code == 200, accepted.text

    employee = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = employee.new_page()
    verify_url = learner_completes_course(page, tenant, "lead@atelier.test", "atelier-Lead-2026", "employee")
    assert verify_url.startswith(tenant)
    page.goto(verify_url)
    expect(page.get_by_test_id("certificate-status")).to_contain_text("Valid")
    employee.close()
