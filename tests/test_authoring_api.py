"""Authoring API: create, edit, reorder, quiz, publish — content authors on the storefront only."""

from __future__ import annotations

import pytest

from tests.conftest import HostClient, error_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return HostClient("localhost").as_user("author@ffs.local")


def test_author_builds_and_publishes_a_course(author, video_bytes):
    from tests.learning_fixtures import put_media

    created = author.post("/api/authoring/courses/", {"slug": "api-course", "title": "API course"}, format="json")
    assert created.status_code == 201, created.content
    module = author.post("/api/authoring/courses/api-course/modules/", {"title": "One"}, format="json")
    assert module.status_code == 201, module.content
    module_id = module.json()["id"]
    video = author.post(
        f"/api/authoring/modules/{module_id}/lessons/", {"title": "Watch", "kind": "video"}, format="json"
    )
    assert video.status_code == 201, video.content
    quiz = author.post(
        f"/api/authoring/modules/{module_id}/lessons/", {"title": "Check", "kind": "quiz"}, format="json"
    )
    assert quiz.status_code == 201
    not_ready = author.post("/api/authoring/courses/api-course/publish/")
    assert not_ready.status_code == 400
    assert error_code(not_ready) == "not_publishable"
    assert len(not_ready.json()["error"]["fields"]["course"]) == 2
    asset = put_media(video_bytes, "video", "clip.mp4", "video/mp4", duration=12.0)
    patched = author.patch(
        f"/api/authoring/lessons/{video.json()['id']}/", {"media_asset_id": str(asset.pk)}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["media"]["status"] == "ready"
    bad_quiz = author.patch(
        f"/api/authoring/lessons/{quiz.json()['id']}/",
        {
            "quiz": {
                "questions": [
                    {
                        "text": "Q",
                        "kind": "single",
                        "options": [{"text": "A", "is_correct": True}, {"text": "B", "is_correct": True}],
                    }
                ]
            }
        },
        format="json",
    )
    assert bad_quiz.status_code == 400
    good = author.patch(
        f"/api/authoring/lessons/{quiz.json()['id']}/",
        {
            "quiz": {
                "pass_mark": 80,
                "questions": [
                    {"text": "Q", "kind": "single", "options": [{"text": "A", "is_correct": True}, {"text": "B"}]}
                ],
            }
        },
        format="json",
    )
    assert good.status_code == 200, good.content
    assert good.json()["quiz"]["pass_mark"] == 80
    tree = author.get("/api/authoring/courses/api-course/").json()
    lesson_ids = [lesson["id"] for lesson in tree["modules"][0]["lessons"]]
    reordered = author.post(
        "/api/authoring/courses/api-course/reorder/",
        {"modules": [{"id": module_id, "lessons": list(reversed(lesson_ids))}]},
        format="json",
    )
    assert reordered.status_code == 200
    assert [lesson["id"] for lesson in reordered.json()["modules"][0]["lessons"]] == list(reversed(lesson_ids))
    incomplete = author.post(
        "/api/authoring/courses/api-course/reorder/",
        {"modules": [{"id": module_id, "lessons": lesson_ids[:1]}]},
        format="json",
    )
    assert incomplete.status_code == 400
    published = author.post("/api/authoring/courses/api-course/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert HostClient("localhost").get("/api/catalog/courses/api-course/").status_code == 200
    assert author.delete("/api/authoring/courses/api-course/").status_code == 409  # was published: archive instead


def test_other_author_and_tenant_users_cannot_edit(author):
    author.post("/api/authoring/courses/", {"slug": "mine", "title": "Mine"}, format="json")
    from accounts.models import User

    User.objects.create_user(email="other@ffs.local", role="content_author")
    other = HostClient("localhost").as_user("other@ffs.local")
    assert other.get("/api/authoring/courses/mine/").status_code == 404
    assert other.patch("/api/authoring/courses/mine/", {"title": "x"}, format="json").status_code == 404
    tenant_admin = HostClient("acme.localhost").as_user("admin@acme.test")
    assert tenant_admin.get("/api/authoring/courses/mine/").status_code == 404
    assert [c["slug"] for c in other.get("/api/authoring/courses/").json()] == []
