"""Enrolments, lesson progress, quiz attempts and certificates of the users of one schema.

Foreign keys point from here (tenant schema) to the catalogue (public schema) only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EnrolmentSource(models.TextChoices):
    PURCHASE = "purchase", "Purchase"
    ASSIGNMENT = "assignment", "Assignment"
    SELF = "self", "Self-enrolled"
    ADMIN = "admin", "Admin"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    REVOKED = "revoked", "Revoked"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self) -> EnrolmentQuerySet:
        """The live enrolment of each (user, course); archived ones are closed re-certification cycles."""
        return self.filter(archived_at__isnull=True)


class Enrolment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=16, choices=EnrolmentSource.choices)
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Set when a re-certification cycle closes this enrolment; its progress and certificate stay
    # as history and a new enrolment (the next cycle) becomes the current one.
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=models.Q(archived_at__isnull=True), name="enrolment_current_unique"
            ),
            models.CheckConstraint(condition=models.Q(progress_percent__lte=100), name="enrolment_progress_percent"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="enrolment_user_status_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.course_id}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("catalog.Lesson", on_delete=models.PROTECT, related_name="+")
    position_seconds = models.FloatField(default=0)
    watched_seconds = models.FloatField(default=0)
    # One bit per second of the video that was played continuously (server-side truth): seeking or
    # replaying the same minute does not add to it, so "90 % watched" means 90 % of the video.
    coverage = models.BinaryField(default=bytes, blank=True)
    # The player's own counter, as last reported: used only to refuse counters that run faster
    # than wall time.
    reported_watched_seconds = models.FloatField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="progress_enrolment_lesson_unique"),
            models.CheckConstraint(
                condition=models.Q(position_seconds__gte=0, watched_seconds__gte=0), name="progress_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey("catalog.Lesson", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    questions = models.JSONField(help_text="snapshot: the questions shown, in order, with correct option ids")
    answers = models.JSONField(null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id}:{self.pk}"


class Certificate(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=32, unique=True)
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=200)
    school_name = models.CharField(max_length=200)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.code
