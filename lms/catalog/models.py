"""Catalogue models. Shared app: these tables exist only in the public schema; tenant schemas point
at them (learning records → lessons), never the other way round.

Lessons and modules are never deleted once created: removal sets `deleted_at`, so a learner's
progress (a row in a tenant schema pointing at the lesson) always stays valid and an edit of a
published course cannot break anyone's progress.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class CourseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class LessonKind(models.TextChoices):
    VIDEO = "video", "Video"
    ARTICLE = "article", "Article"
    FILE = "file", "File"
    QUIZ = "quiz", "Quiz"


class Category(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_ru = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ru


class Course(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)
    description_md = models.TextField(blank=True)
    cover = models.ImageField(upload_to="catalog/covers/", max_length=300, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses")
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(max_length=2, choices=[("ru", "Русский"), ("en", "English")], default="ru")
    estimated_minutes = models.PositiveIntegerField(default=0)
    price_amount = models.PositiveBigIntegerField(default=0, help_text="minor units (kopecks)")
    currency = models.CharField(max_length=3, default="RUB")
    status = models.CharField(max_length=16, choices=CourseStatus.choices, default=CourseStatus.DRAFT, db_index=True)
    # Who may edit (public-schema users; only ever queried on the storefront host, because from a
    # tenant schema `accounts_user` resolves to that tenant's users).
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="authored_courses", blank=True)
    # What learners see, denormalised so no host ever joins users across schemas.
    author_names = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "-published_at"], name="course_status_pub_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="course_currency_iso"),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_free(self) -> bool:
        return self.price_amount == 0


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.title}"


class MediaStatus(models.TextChoices):
    UPLOADING = "uploading", "Uploading"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Rejected"


class MediaAsset(models.Model):
    """A private object in media storage, uploaded by the browser in parts (presigned multipart)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=[("video", "Video"), ("file", "File")])
    key = models.CharField(max_length=500, unique=True)
    filename = models.CharField(max_length=255)
    declared_content_type = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=MediaStatus.choices, default=MediaStatus.UPLOADING)
    upload_id = models.CharField(max_length=300, blank=True)
    part_size = models.PositiveIntegerField()
    part_count = models.PositiveIntegerField()
    parts = models.JSONField(default=dict, blank=True, help_text="part number -> etag reported by the browser")
    duration_seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=LessonKind.choices)
    position = models.PositiveIntegerField(default=0)
    is_free_preview = models.BooleanField(default=False)
    is_required = models.BooleanField(default=True)
    body_md = models.TextField(blank=True)
    media = models.ForeignKey(MediaAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="lessons")
    duration_seconds = models.FloatField(null=True, blank=True)
    quiz_pass_mark = models.PositiveSmallIntegerField(default=70)
    quiz_attempt_limit = models.PositiveSmallIntegerField(default=0, help_text="0 = unlimited")
    quiz_shuffle = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quiz_pass_mark__lte=100), name="lesson_pass_mark_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.title}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"


class QuizQuestion(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class QuizOption(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class CourseLicense(models.Model):
    """A tenant may use a course (or, with `course` null, the whole published catalogue)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="course_licenses")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.CASCADE, related_name="licenses")
    granted_by_email = models.EmailField(blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "course"], name="license_unique", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.course_id or '*'}"
