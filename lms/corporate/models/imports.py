"""Employee imports: the uploaded file, its progress and its row-level report."""

from __future__ import annotations

from django.db import models


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    # The file is kept in the row (size-limited) so the Celery task reads exactly what was uploaded,
    # transactionally, with no orphaned objects when a job is discarded.
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=False)
    send_invitations = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file_format = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    file_error = models.JSONField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_by_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import:{self.pk}:{self.filename}"
