"""Idempotent demo catalogue: categories, courses with real playable videos, quizzes, licences.

The videos are generated here with the ffmpeg binary of the `imageio-ffmpeg` wheel (a test pattern
with a tone, H.264 + AAC, `faststart`), uploaded to the media bucket, so a new user can watch
something on the first `make run`.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import imageio_ffmpeg
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from lib import storage
from lms.catalog.models import Category, Course, CourseLicense, MediaAsset, MediaStatus
from lms.catalog.services import authoring
from tenants.models import Tenant

CATEGORIES = [
    ("sewing", "Шитьё", "Sewing"),
    ("patterns", "Конструирование", "Pattern making"),
    ("business", "Модный бизнес", "Fashion business"),
]

COURSES: list[dict[str, Any]] = [
    {
        "slug": "sewing-basics",
        "title": "Основы шитья",
        "subtitle": "Первые швы, ткани и инструменты",
        "category_slug": "sewing",
        "level": "beginner",
        "language": "ru",
        "estimated_minutes": 30,
        "price_amount": 0,
        "tags": ["шитьё", "основы"],
        "description_md": "Курс для тех, кто впервые садится за машинку.\n\n- выбор ткани\n- прямые швы\n- обработка срезов",
        "lessons": [
            ("video", "Знакомство с машинкой", {"seconds": 20, "preview": True}),
            (
                "article",
                "Как выбрать ткань",
                {"body": "## Ткани\n\nХлопок прощает ошибки, шёлк — нет. Начните с **хлопка**."},
            ),
            ("video", "Прямой шов", {"seconds": 24}),
            (
                "quiz",
                "Проверка знаний",
                {
                    "questions": [
                        (
                            "Какая ткань проще для первого шва?",
                            "single",
                            [("Хлопок", True), ("Шёлк", False), ("Шифон", False)],
                        ),
                        (
                            "Что нужно для прямого шва?",
                            "multiple",
                            [("Игла по ткани", True), ("Правильная нить", True), ("Утюг для кожи", False)],
                        ),
                    ]
                },
            ),
        ],
    },
    {
        "slug": "dress-pattern",
        "title": "Конструирование платья",
        "subtitle": "Базовая выкройка по вашим меркам",
        "category_slug": "patterns",
        "level": "intermediate",
        "language": "ru",
        "estimated_minutes": 90,
        "price_amount": 490000,
        "tags": ["выкройка", "платье"],
        "description_md": "Строим базовую выкройку платья и переносим её на ткань.",
        "lessons": [
            ("video", "Снятие мерок", {"seconds": 18, "preview": True}),
            ("article", "Построение сетки", {"body": "Сетка строится от линии груди. Отложите **ширину спинки**."}),
            (
                "quiz",
                "Мерки",
                {
                    "questions": [
                        ("Откуда строится сетка?", "single", [("От линии груди", True), ("От подола", False)]),
                    ]
                },
            ),
        ],
    },
    {
        "slug": "fashion-business-101",
        "title": "Fashion business 101",
        "subtitle": "From idea to first collection",
        "category_slug": "business",
        "level": "beginner",
        "language": "en",
        "estimated_minutes": 45,
        "price_amount": 0,
        "tags": ["business"],
        "description_md": "How a small label plans, prices and sells its first collection.",
        "lessons": [
            ("article", "Your first collection", {"body": "Start with **six pieces** that work together."}),
            ("video", "Pricing", {"seconds": 16}),
        ],
    },
]


def make_clip(seconds: int, hue: int) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.mp4"
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size=640x360:rate=25:duration={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency={220 + hue}:duration={seconds}",
                "-vf",
                f"hue=h={hue}",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                "-movflags",
                "+faststart",
                str(out),
            ],
            check=True,
        )
        return out.read_bytes()


class Command(BaseCommand):
    help = "Create the demo catalogue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with schema_context("public"):
            for position, (slug, ru, en) in enumerate(CATEGORIES):
                Category.objects.get_or_create(slug=slug, defaults={"name_ru": ru, "name_en": en, "position": position})
            author = User.objects.filter(email="author@ffs.local").first()
            if author is None:
                self.stdout.write("no demo author: run seed_demo first")
                return
            storage.ensure_bucket()
            for index, spec in enumerate(COURSES):
                if Course.objects.filter(slug=spec["slug"]).exists():
                    continue
                self._create(author, spec, hue=index * 90)
                self.stdout.write(f"course {spec['slug']} created")
            acme = Tenant.objects.filter(slug="acme").first()
            if acme is not None:
                CourseLicense.objects.get_or_create(tenant=acme, course=None)
            globex = Tenant.objects.filter(slug="globex").first()
            if globex is not None:
                CourseLicense.objects.get_or_create(tenant=globex, course=Course.objects.get(slug="sewing-basics"))
        self.stdout.write("demo catalogue ready")

    @transaction.atomic
    def _create(self, author: User, spec: dict[str, Any], hue: int) -> None:
        data = {k: v for k, v in spec.items() if k != "lessons"}
        course = authoring.create_course(user=author, data=data)
        module = authoring.add_module(course, user=author, title="Модуль 1" if spec["language"] == "ru" else "Module 1")
        for kind, title, extra in spec["lessons"]:
            lesson = authoring.add_lesson(
                module, user=author, data={"title": title, "kind": kind, "is_free_preview": extra.get("preview", False)}
            )
            if kind == "video":
                data_bytes = make_clip(extra["seconds"], hue)
                key = storage.object_key("video", f"{spec['slug']}-{lesson.pk}.mp4")
                storage.client().put_object(
                    Bucket=storage.bucket_name(), Key=key, Body=data_bytes, ContentType="video/mp4"
                )
                asset = MediaAsset.objects.create(
                    kind="video",
                    key=key,
                    filename=f"{title}.mp4",
                    content_type="video/mp4",
                    size=len(data_bytes),
                    status=MediaStatus.READY,
                    part_size=len(data_bytes),
                    part_count=1,
                    duration_seconds=float(extra["seconds"]),
                    created_by=author,
                )
                authoring.update_lesson(lesson, user=author, data={"media_asset_id": asset.pk})
            elif kind == "article":
                authoring.update_lesson(lesson, user=author, data={"body_md": extra["body"]})
            elif kind == "quiz":
                authoring.update_lesson(
                    lesson,
                    user=author,
                    data={
                        "quiz": {
                            "pass_mark": 60,
                            "attempt_limit": 3,
                            "shuffle": True,
                            "questions": [
                                {"text": q, "kind": k, "options": [{"text": t, "is_correct": c} for t, c in options]}
                                for q, k, options in extra["questions"]
                            ],
                        }
                    },
                )
        authoring.publish(course, user=author)
