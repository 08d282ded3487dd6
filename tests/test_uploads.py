"""Authoring uploads through the API against the real S3-compatible server: presigned multipart,
resume from reported parts, type sniffing on completion, limits, ownership."""

from __future__ import annotations

import os

import pytest
import requests

from lib import storage
from lms.catalog.models import MediaAsset
from tests.conftest import HostClient, error_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    storage.ensure_bucket()
    return HostClient("localhost").as_user("author@ffs.local")


def upload_parts(author, asset, data, numbers):
    urls = author.post(
        f"/api/authoring/uploads/{asset['asset_id']}/parts/", {"part_numbers": numbers}, format="json"
    ).json()["urls"]
    etags = {}
    for n in numbers:
        start = (n - 1) * asset["part_size"]
        chunk = data[start : start + asset["part_size"]]
        response = requests.put(urls[str(n)], data=chunk, timeout=30)
        assert response.status_code == 200, response.text
        etags[n] = response.headers["ETag"]
        reported = author.post(
            f"/api/authoring/uploads/{asset['asset_id']}/parts/{n}/",
            {"etag": etags[n], "size": len(chunk)},
            format="json",
        )
        assert reported.status_code == 204
    return etags


def test_multipart_upload_resumes_and_completes_with_sniffed_type(author, video_bytes):
    data = video_bytes + os.urandom(storage.PART_SIZE + 1000 - len(video_bytes))  # two parts, real mp4 head
    started = author.post(
        "/api/authoring/uploads/",
        {"filename": "lesson.mp4", "size": len(data), "content_type": "video/mp4", "kind": "video"},
        format="json",
    )
    assert started.status_code == 201, started.content
    asset = started.json()
    assert asset["part_count"] == 2
    first = upload_parts(author, asset, data, [1])
    # "the browser reloads": the server says which parts it already has
    status = author.get(f"/api/authoring/uploads/{asset['asset_id']}/").json()
    assert [(p["part_number"], p["etag"]) for p in status["uploaded_parts"]] == [(1, first[1])]
    second = upload_parts(author, asset, data, [2])
    parts = [{"part_number": 1, "etag": first[1]}, {"part_number": 2, "etag": second[2]}]
    done = author.post(f"/api/authoring/uploads/{asset['asset_id']}/complete/", {"parts": parts}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "ready"
    assert done.json()["content_type"] == "video/mp4"
    assert done.json()["duration_seconds"] == pytest.approx(12.0, abs=0.5)
    stored = MediaAsset.objects.get(pk=asset["asset_id"])
    assert storage.object_size(stored.key) == len(data)
    assert stored.key.startswith("public/video/")
    again = author.post(f"/api/authoring/uploads/{asset['asset_id']}/complete/", {"parts": parts}, format="json")
    assert again.status_code == 200  # a retried completion is not an error


def test_renamed_executable_is_rejected_and_deleted(author):
    data = b"MZ\x90\x00" + os.urandom(5000)
    asset = author.post(
        "/api/authoring/uploads/",
        {"filename": "lesson.mp4", "size": len(data), "content_type": "video/mp4", "kind": "video"},
        format="json",
    ).json()
    etags = upload_parts(author, asset, data, [1])
    response = author.post(
        f"/api/authoring/uploads/{asset['asset_id']}/complete/",
        {"parts": [{"part_number": 1, "etag": etags[1]}]},
        format="json",
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_media"
    stored = MediaAsset.objects.get(pk=asset["asset_id"])
    assert stored.status == "rejected"
    with pytest.raises(FileNotFoundError):
        storage.object_size(stored.key)


def test_limits_and_bad_input(author, settings):
    settings.MEDIA_UPLOAD_MAX_BYTES = 1000
    big = author.post("/api/authoring/uploads/", {"filename": "a.mp4", "size": 1001, "kind": "video"}, format="json")
    assert big.status_code == 413
    assert error_code(big) == "file_too_large"
    for body in [
        {"filename": "a.mp4", "size": 0, "kind": "video"},
        {"filename": "a.mp4", "size": 10, "kind": "exe"},
        {"size": 10, "kind": "video"},
    ]:
        assert author.post("/api/authoring/uploads/", body, format="json").status_code == 400
    asset = author.post(
        "/api/authoring/uploads/", {"filename": "a.pdf", "size": 500, "kind": "file"}, format="json"
    ).json()
    assert (
        author.post(
            f"/api/authoring/uploads/{asset['asset_id']}/parts/", {"part_numbers": [2]}, format="json"
        ).status_code
        == 400
    )
    assert (
        author.post(
            f"/api/authoring/uploads/{asset['asset_id']}/parts/1/", {"etag": "x", "size": 499}, format="json"
        ).status_code
        == 400
    )
    incomplete = author.post(f"/api/authoring/uploads/{asset['asset_id']}/complete/", {"parts": []}, format="json")
    assert incomplete.status_code == 400


def test_other_users_cannot_touch_an_upload(author):
    asset = author.post(
        "/api/authoring/uploads/", {"filename": "a.pdf", "size": 500, "kind": "file"}, format="json"
    ).json()
    admin = HostClient("localhost").as_user("admin@ffs.local")
    assert admin.get(f"/api/authoring/uploads/{asset['asset_id']}/").status_code == 200  # platform admin may
    student = HostClient("localhost").as_user("student@ffs.local")
    assert student.get(f"/api/authoring/uploads/{asset['asset_id']}/").status_code == 403
    tenant_admin = HostClient("acme.localhost").as_user("admin@acme.test")
    assert tenant_admin.get(f"/api/authoring/uploads/{asset['asset_id']}/").status_code == 404
