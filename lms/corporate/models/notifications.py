"""The e-mail outbox. Each message has a deterministic `key` (what, for whom, for which due
date); the unique constraint makes scheduling idempotent and `sent_at`, set in the same
transaction that locked the row, makes delivery exactly-once across task retries."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Course assigned"
    REMINDER = "reminder", "Due-date reminder"
    OVERDUE = "overdue", "Overdue notice"
    ESCALATION = "escalation", "Overdue escalation to the manager"
    DIGEST = "digest", "Weekly HR digest"
    SSO_CERTIFICATE = "sso_certificate", "SSO certificate expiring"


OPTIONAL_KINDS = frozenset({NotificationKind.REMINDER, NotificationKind.DIGEST})


class Notification(models.Model):
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="notification_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return self.key


class NotificationSettings(models.Model):
    """One row per schema (pk=1): the tenant's reminder schedule."""

    reminder_days_before = models.PositiveSmallIntegerField(default=3)
    escalation_days_after = models.PositiveSmallIntegerField(default=1)
    digest_weekday = models.PositiveSmallIntegerField(default=0, help_text="0 = Monday")
    recertification_lead_days = models.PositiveSmallIntegerField(default=30)

    @classmethod
    def current(cls) -> NotificationSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
