"""Catalogue visibility, licensing, enrolment, lesson access, progress heartbeats, quizzes and
certificates — on the storefront (students in public) and on a tenant host (employees)."""

from __future__ import annotations

import time

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from lms.learning.models import Enrolment, LessonProgress
from lms.registry.models import CertificateIndex
from tests.conftest import HostClient, error_code
from tests.learning_fixtures import build_course, license_to
from tests.storage_urls import tamper_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(video_bytes):
    return build_course("silk-basics", video=video_bytes)


def lessons_of(client, slug):
    detail = client.get(f"/api/catalog/courses/{slug}/").json()
    return {lesson["title"]: lesson for module in detail["modules"] for lesson in module["lessons"]}


def test_storefront_lists_published_courses_and_renders_markdown_safely(course, video_bytes):
    build_course("draft-course", video=video_bytes, publish=False)
    client = HostClient("localhost")
    listing = client.get("/api/catalog/courses/").json()
    slugs = [c["slug"] for c in listing["results"]]
    assert "silk-basics" in slugs
    assert "draft-course" not in slugs
    detail = client.get("/api/catalog/courses/silk-basics/").json()
    assert "<strong>Bold</strong>" in detail["description_html"]
    assert "<script" not in detail["description_html"]
    assert detail["authors"] == [{"name": "Вера Авторова"}]
    assert client.get("/api/catalog/courses/draft-course/").status_code == 404
    author = HostClient("localhost").as_user("author@ffs.local")
    assert author.get("/api/catalog/courses/draft-course/?preview=1").status_code == 200
    assert (
        HostClient("localhost")
        .as_user("student@ffs.local")
        .get("/api/catalog/courses/draft-course/?preview=1")
        .status_code
        == 404
    )


def test_tenant_sees_only_licensed_courses(course, video_bytes):
    other = build_course("wool-advanced", video=video_bytes)
    acme = HostClient("acme.localhost").as_user("anna@acme.test")
    assert acme.get("/api/catalog/courses/").json()["count"] == 0
    assert acme.get("/api/catalog/courses/silk-basics/").status_code == 404
    license_to("acme", course)
    slugs = [c["slug"] for c in acme.get("/api/catalog/courses/").json()["results"]]
    assert slugs == ["silk-basics"]
    globex = HostClient("globex.localhost").as_user("li@globex.test")
    assert globex.get("/api/catalog/courses/").json()["count"] == 0
    license_to("globex")  # whole catalogue
    assert {c["slug"] for c in globex.get("/api/catalog/courses/").json()["results"]} == {"silk-basics", other.slug}


def test_search_and_filters(course):
    client = HostClient("localhost")
    assert client.get("/api/catalog/courses/?search=silk").json()["count"] == 1
    assert client.get("/api/catalog/courses/?search=nothing-like-it").json()["count"] == 0
    assert client.get("/api/catalog/courses/?free=true").json()["count"] >= 1
    assert client.get("/api/catalog/courses/?level=advanced").json()["count"] == 0


def test_free_course_enrols_in_one_click_paid_course_needs_payment(course, video_bytes):
    build_course("couture-pro", video=video_bytes, price=990000)
    student = HostClient("localhost").as_user("student@ffs.local")
    first = student.post("/api/catalog/courses/silk-basics/enrol/")
    assert first.status_code == 201
    assert student.post("/api/catalog/courses/silk-basics/enrol/").status_code == 200  # idempotent
    assert Enrolment.objects.filter(course=course).count() == 1
    paid = student.post("/api/catalog/courses/couture-pro/enrol/")
    assert paid.status_code == 402
    assert error_code(paid) == "payment_required"


def test_employee_enrols_in_licensed_course_records_live_in_tenant_schema(course):
    license_to("acme", course)
    anna = HostClient("acme.localhost").as_user("anna@acme.test")
    assert anna.post("/api/catalog/courses/silk-basics/enrol/").status_code == 201
    with schema_context("acme"):
        assert Enrolment.objects.filter(course=course, user__email="anna@acme.test").exists()
    with schema_context("public"):
        assert not Enrolment.objects.filter(course=course).exists()  # public schema untouched
    assert (
        HostClient("globex.localhost")
        .as_user("li@globex.test")
        .post("/api/catalog/courses/silk-basics/enrol/")
        .status_code
        == 404
    )


def test_lesson_access_needs_enrolment_except_free_preview(course):
    client = HostClient("localhost")
    lessons = lessons_of(client, "silk-basics")
    assert lessons["Watch"]["locked"] is True
    assert lessons["Preview"]["locked"] is False
    anonymous_preview = client.get(f"/api/learning/lessons/{lessons['Preview']['id']}/")
    assert anonymous_preview.status_code == 200
    assert "Free preview text" in anonymous_preview.json()["body_html"]
    refused = (
        HostClient("localhost").as_user("student@ffs.local").get(f"/api/learning/lessons/{lessons['Watch']['id']}/")
    )
    assert refused.status_code == 403
    assert error_code(refused) == "not_enrolled"


def test_signed_playback_url_streams_the_video_and_tampering_is_refused(course, video_bytes):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lesson_id = lessons_of(student, "silk-basics")["Watch"]["id"]
    doc = student.get(f"/api/learning/lessons/{lesson_id}/").json()
    url = doc["video"]["playback_url"]
    assert doc["video"]["duration_seconds"] == pytest.approx(12.0)
    ok = requests.get(url, timeout=10)
    assert ok.status_code == 200
    assert ok.content == video_bytes
    assert requests.get(tamper_signature(url), timeout=10).status_code == 403
    assert requests.get(url.replace("clip.mp4", "clip2.mp4"), timeout=10).status_code == 403


def test_article_completes_on_open_and_markdown_is_sanitised(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lesson_id = lessons_of(student, "silk-basics")["Read"]["id"]
    doc = student.get(f"/api/learning/lessons/{lesson_id}/").json()
    assert "javascript:" not in doc["body_html"]
    assert LessonProgress.objects.get(lesson_id=lesson_id).completed_at is not None


def _beat(client, lesson_id, position, watched):
    return client.put(
        f"/api/learning/lessons/{lesson_id}/progress/",
        {"position_seconds": position, "watched_seconds": watched},
        format="json",
    )


def _rewind_clock(lesson_id, seconds):
    progress = LessonProgress.objects.get(lesson_id=lesson_id)
    LessonProgress.objects.filter(pk=progress.pk).update(
        last_heartbeat_at=progress.last_heartbeat_at - __import__("datetime").timedelta(seconds=seconds)
    )


def test_heartbeats_are_idempotent_plausible_and_complete_at_90_percent(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lesson_id = lessons_of(student, "silk-basics")["Watch"]["id"]
    student.get(f"/api/learning/lessons/{lesson_id}/")  # opens the lesson: the wall-time baseline
    for bad in [(-1, 0), (0, -1), (13.5, 1), (1, 60)]:  # negative, past the end, counter faster than time
        response = _beat(student, lesson_id, *bad)
        assert response.status_code == 400, bad
        assert error_code(response) == "implausible_progress"
    assert LessonProgress.objects.get(lesson_id=lesson_id).position_seconds == 0  # refused beats changed nothing
    _rewind_clock(lesson_id, 5)
    first = _beat(student, lesson_id, 5, 5)
    assert first.status_code == 200
    assert first.json()["completed"] is False
    again = _beat(student, lesson_id, 5, 5)  # a retried heartbeat changes nothing
    assert again.json() == first.json()
    # a seek to the end does not count as watching
    _rewind_clock(lesson_id, 1)
    jumped = _beat(student, lesson_id, 11.5, 6).json()
    assert jumped["watched_seconds"] == pytest.approx(5, abs=1)
    assert jumped["completed"] is False
    # back to 5 s and play on to the end
    _beat(student, lesson_id, 5, 6)
    _rewind_clock(lesson_id, 7)
    done = _beat(student, lesson_id, 12, 13).json()
    assert done["completed"] is True
    assert done["course_progress_percent"] > 0
    _rewind_clock(lesson_id, 5)
    later = _beat(student, lesson_id, 1, 14).json()
    assert later["completed"] is True  # completion is monotonic
    resumed = student.get(f"/api/learning/lessons/{lesson_id}/").json()
    assert resumed["progress"]["position_seconds"] == pytest.approx(1)


def test_progress_for_lesson_of_another_course_or_not_enrolled(course, video_bytes):
    other = build_course("other-course", video=video_bytes)
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    other_lesson = lessons_of(student, other.slug)["Watch"]["id"]
    response = _beat(student, other_lesson, 1, 1)
    assert response.status_code == 403
    license_to("acme", course)
    anna = HostClient("acme.localhost").as_user("anna@acme.test")
    assert _beat(anna, other_lesson, 1, 1).status_code == 404  # not licensed to acme: does not exist there


def test_quiz_scoring_is_server_side_with_attempt_limit_and_certificate(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lessons = lessons_of(student, "silk-basics")
    quiz_id = lessons["Check"]["id"]
    started = student.post(f"/api/learning/lessons/{quiz_id}/attempts/")
    assert started.status_code == 201
    body = started.json()
    assert "is_correct" not in str(body) and "correct" not in str(body)
    assert student.post(f"/api/learning/lessons/{quiz_id}/attempts/").json()["attempt_id"] == body["attempt_id"]
    questions = {q["text"]: q for q in body["questions"]}
    wrong = {str(questions["Pick A"]["id"]): [o["id"] for o in questions["Pick A"]["options"] if o["text"] == "B"]}
    result = student.post(
        f"/api/learning/attempts/{body['attempt_id']}/submit/", {"answers": wrong}, format="json"
    ).json()
    assert result["score_percent"] == 0
    assert result["passed"] is False
    retry = student.post(f"/api/learning/attempts/{body['attempt_id']}/submit/", {"answers": {}}, format="json").json()
    assert retry["score_percent"] == 0  # resubmitting returns the stored result
    second = student.post(f"/api/learning/lessons/{quiz_id}/attempts/").json()
    questions = {q["text"]: q for q in second["questions"]}
    right = {
        str(questions["Pick A"]["id"]): [o["id"] for o in questions["Pick A"]["options"] if o["text"] == "A"],
        str(questions["Pick C and D"]["id"]): [
            o["id"] for o in questions["Pick C and D"]["options"] if o["text"] in "CD"
        ],
    }
    passed = student.post(
        f"/api/learning/attempts/{second['attempt_id']}/submit/", {"answers": right}, format="json"
    ).json()
    assert passed["score_percent"] == 100
    assert passed["passed"] is True
    limit = student.post(f"/api/learning/lessons/{quiz_id}/attempts/")
    assert limit.status_code == 409
    assert error_code(limit) == "attempt_limit_reached"
    # complete the remaining required lessons: article opens, video watched
    student.get(f"/api/learning/lessons/{lessons['Read']['id']}/")
    student.get(f"/api/learning/lessons/{lessons['Preview']['id']}/")
    video = lessons["Watch"]["id"]
    student.get(f"/api/learning/lessons/{video}/")
    _rewind_clock(video, 10)
    final = _beat(student, video, 12, 12).json()
    assert final["course_progress_percent"] == 100
    my = student.get("/api/learning/my/").json()
    assert [c["slug"] for c in my["completed"]] == ["silk-basics"]
    assert len(my["certificates"]) == 1
    code = my["certificates"][0]["code"]
    assert CertificateIndex.objects.filter(code=code, schema_name="public").exists()
    verified = HostClient("acme.localhost").get(f"/api/verify/{code}/").json()  # any host, no login
    assert verified["valid"] is True
    assert verified["learner_name"] == "Мария Студентова"
    assert set(verified) == {"code", "learner_name", "course_title", "school_name", "issued_at", "valid", "revoked_at"}
    pdf = student.get(f"/api/learning/certificates/{code}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert (
        HostClient("localhost").as_user("author@ffs.local").get(f"/api/learning/certificates/{code}/pdf/").status_code
        == 404
    )
    admin = HostClient("localhost").as_user("admin@ffs.local")
    assert (
        admin.post(f"/api/learning/certificates/{code}/revoke/", {"reason": "test"}, format="json").status_code == 200
    )
    assert HostClient("localhost").get(f"/api/verify/{code}/").json()["valid"] is False


def test_quiz_answer_for_a_course_not_enrolled_is_403(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    quiz_id = lessons_of(student, "silk-basics")["Check"]["id"]
    response = student.post(f"/api/learning/lessons/{quiz_id}/attempts/")
    assert response.status_code == 403


def test_bad_quiz_answers_are_400_and_change_nothing(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    quiz_id = lessons_of(student, "silk-basics")["Check"]["id"]
    attempt = student.post(f"/api/learning/lessons/{quiz_id}/attempts/").json()
    single = next(q for q in attempt["questions"] if q["kind"] == "single")
    for answers in [
        {"999999": [1]},
        {str(single["id"]): [o["id"] for o in single["options"]]},
        {str(single["id"]): [424242]},
    ]:
        response = student.post(
            f"/api/learning/attempts/{attempt['attempt_id']}/submit/", {"answers": answers}, format="json"
        )
        assert response.status_code == 400, answers
    again = student.post(f"/api/learning/lessons/{quiz_id}/attempts/").json()
    assert again["attempt_id"] == attempt["attempt_id"]  # still open: nothing was recorded
    # another user's attempt is invisible
    other = HostClient("localhost").as_user("admin@ffs.local")
    assert (
        other.post(
            f"/api/learning/attempts/{attempt['attempt_id']}/submit/", {"answers": {}}, format="json"
        ).status_code
        == 404
    )


def test_published_edit_keeps_progress(course):
    from accounts.models import User
    from lms.catalog.services import authoring

    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    read_id = lessons_of(student, "silk-basics")["Read"]["id"]
    student.get(f"/api/learning/lessons/{read_id}/")
    author = User.objects.get(email="author@ffs.local")
    module = authoring.add_module(course, user=author, title="Extra")
    layout = [
        {"id": m["id"], "lessons": [x["id"] for x in m["lessons"]]}
        for m in HostClient("localhost").get("/api/catalog/courses/silk-basics/").json()["modules"]
    ]
    layout[0]["lessons"].remove(read_id)
    layout[-1]["lessons"].append(read_id)
    authoring.reorder(course, user=author, layout=layout)
    detail = student.get("/api/learning/courses/silk-basics/").json()
    moved = {lesson["id"]: lesson for m in detail["modules"] for lesson in m["lessons"]}[read_id]
    assert moved["completed"] is True
    assert module.pk == detail["modules"][-1]["id"]


def test_my_learning_query_count_is_constant(video_bytes):
    from accounts.models import User
    from lms.catalog.models import Course
    from lms.learning.services.enrolment import enrol

    base = build_course("bulk-base", video=video_bytes)
    student = User.objects.get(email="student@ffs.local")
    enrol(student, base, source="self")
    client = HostClient("localhost").as_user("student@ffs.local")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/learning/my/").status_code == 200
    for i in range(199):
        clone = Course.objects.create(slug=f"bulk-{i}", title=f"Bulk {i}", status="published")
        enrol(student, clone, source="self")
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/learning/my/").json()
    assert len(body["in_progress"]) == 200
    assert len(large) == len(small) <= 8, [q["sql"][:80] for q in large]


def test_signed_url_expires(course, settings):
    settings.MEDIA_SIGNED_URL_TTL_SECONDS = 1
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lesson_id = lessons_of(student, "silk-basics")["Watch"]["id"]
    url = student.get(f"/api/learning/lessons/{lesson_id}/").json()["video"]["playback_url"]
    time.sleep(2.1)
    assert requests.get(url, timeout=10).status_code == 403


def test_archived_course_leaves_the_catalogue_but_learners_keep_access(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    lessons = lessons_of(student, "silk-basics")
    author = HostClient("localhost").as_user("author@ffs.local")
    archived = author.post("/api/authoring/courses/silk-basics/archive/")
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert author.post("/api/authoring/courses/silk-basics/archive/").status_code == 409
    anonymous = HostClient("localhost")
    assert "silk-basics" not in [c["slug"] for c in anonymous.get("/api/catalog/courses/").json()["results"]]
    assert anonymous.get("/api/catalog/courses/silk-basics/").status_code == 404
    assert anonymous.get(f"/api/learning/lessons/{lessons['Preview']['id']}/").status_code == 404  # no previews
    assert student.get("/api/learning/courses/silk-basics/").status_code == 200
    assert student.get(f"/api/learning/lessons/{lessons['Read']['id']}/").status_code == 200
    assert (
        HostClient("localhost").as_user("admin@ffs.local").post("/api/catalog/courses/silk-basics/enrol/").status_code
        == 404
    )


def test_quiz_attempt_history(course):
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/silk-basics/enrol/")
    quiz_id = lessons_of(student, "silk-basics")["Check"]["id"]
    assert student.get(f"/api/learning/lessons/{quiz_id}/attempts/").json() == []
    attempt = student.post(f"/api/learning/lessons/{quiz_id}/attempts/").json()
    student.post(f"/api/learning/attempts/{attempt['attempt_id']}/submit/", {"answers": {}}, format="json")
    history = student.get(f"/api/learning/lessons/{quiz_id}/attempts/").json()
    assert [(h["attempt_id"], h["score_percent"], h["passed"]) for h in history] == [(attempt["attempt_id"], 0, False)]
    other = HostClient("localhost").as_user("admin@ffs.local")
    assert other.get(f"/api/learning/lessons/{quiz_id}/attempts/").status_code == 403
