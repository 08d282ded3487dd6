"""Course fixtures for learning tests: a real short video in the real object storage."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from lib import storage
from lms.catalog.models import Course, CourseLicense, MediaAsset, MediaStatus
from lms.catalog.services import authoring
from tenants.models import Tenant


def make_video(path: Path, seconds: int = 12) -> bytes:
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size=160x120:rate=10:duration={seconds}",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-movflags",
            "+faststart",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


@pytest.fixture(scope="session")
def video_bytes(tmp_path_factory) -> bytes:
    return make_video(tmp_path_factory.mktemp("video") / "clip.mp4")


def put_media(data: bytes, kind: str, filename: str, content_type: str, duration: float | None = None) -> MediaAsset:
    storage.ensure_bucket()
    with schema_context("public"):
        key = storage.object_key(kind, filename)
        storage.client().put_object(Bucket=storage.bucket_name(), Key=key, Body=data, ContentType=content_type)
        return MediaAsset.objects.create(
            kind=kind,
            key=key,
            filename=filename,
            content_type=content_type,
            size=len(data),
            status=MediaStatus.READY,
            part_size=len(data),
            part_count=1,
            duration_seconds=duration,
        )


def build_course(slug: str, *, video: bytes, price: int = 0, publish: bool = True) -> Course:
    """A course with one module: video (12 s), article, free-preview article, quiz (2 questions)."""
    with schema_context("public"):
        author = User.objects.get(email="author@ffs.local")
        course = authoring.create_course(
            user=author,
            data={
                "slug": slug,
                "title": f"Course {slug}",
                "price_amount": price,
                "description_md": "**Bold** <script>x</script>",
            },
        )
        module = authoring.add_module(course, user=author, title="Basics")
        video_lesson = authoring.add_lesson(module, user=author, data={"title": "Watch", "kind": "video"})
        asset = put_media(video, "video", "clip.mp4", "video/mp4", duration=12.0)
        authoring.update_lesson(video_lesson, user=author, data={"media_asset_id": asset.pk})
        article = authoring.add_lesson(module, user=author, data={"title": "Read", "kind": "article"})
        authoring.update_lesson(article, user=author, data={"body_md": "# Title\n\nText [x](javascript:alert(1))"})
        preview = authoring.add_lesson(
            module, user=author, data={"title": "Preview", "kind": "article", "is_free_preview": True}
        )
        authoring.update_lesson(preview, user=author, data={"body_md": "Free preview text"})
        quiz = authoring.add_lesson(module, user=author, data={"title": "Check", "kind": "quiz"})
        authoring.update_lesson(
            quiz,
            user=author,
            data={
                "quiz": {
                    "pass_mark": 50,
                    "attempt_limit": 2,
                    "shuffle": True,
                    "questions": [
                        {
                            "text": "Pick A",
                            "kind": "single",
                            "options": [{"text": "A", "is_correct": True}, {"text": "B"}],
                        },
                        {
                            "text": "Pick C and D",
                            "kind": "multiple",
                            "options": [
                                {"text": "C", "is_correct": True},
                                {"text": "D", "is_correct": True},
                                {"text": "E"},
                            ],
                        },
                    ],
                }
            },
        )
        if publish:
            authoring.publish(course, user=author)
        return Course.objects.get(pk=course.pk)


def license_to(tenant_slug: str, course: Course | None = None) -> None:
    CourseLicense.objects.create(tenant=Tenant.objects.get(slug=tenant_slug), course=course)
