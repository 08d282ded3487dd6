"""Assignments of courses to employees, and the rules that create them.

An assignment is one *cycle* of a requirement: re-certification closes the current cycle
(`superseded_at`) and opens the next one with a fresh enrolment, so history is never rewritten.
Completion is not stored here: it is the enrolment's `completed_at`, the one source of truth.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .people import Department, Group


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    RULE = "rule", "Rule"
    RECERTIFICATION = "recertification", "Re-certification"


class DueFrom(models.TextChoices):
    """How a rule (or a relative manual assignment) computes the due date."""

    ASSIGNMENT = "assignment", "Days after assignment"
    HIRE = "hire", "Days after hire"


class RuleAttribute(models.TextChoices):
    TITLE = "title", "Job title"
    LOCATION = "location", "Location"


class AssignmentRule(models.Model):
    """ "Members of group/department X (or employees whose attribute equals Y) get course Z, due in
    N days." Applied when saved, when membership changes, and nightly."""

    name = models.CharField(max_length=200)
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    include_subdepartments = models.BooleanField(default=True)
    attribute = models.CharField(max_length=16, choices=RuleAttribute.choices, blank=True)
    attribute_value = models.CharField(max_length=200, blank=True)
    due_days = models.PositiveIntegerField(null=True, blank=True)
    due_from = models.CharField(max_length=16, choices=DueFrom.choices, default=DueFrom.ASSIGNMENT)
    required = models.BooleanField(default=True)
    recertify_months = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                # exactly one target: a group, a department, or an attribute match
                condition=(
                    models.Q(group__isnull=False, department__isnull=True, attribute="")
                    | models.Q(group__isnull=True, department__isnull=False, attribute="")
                    | (models.Q(group__isnull=True, department__isnull=True) & ~models.Q(attribute=""))
                ),
                name="rule_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.PROTECT, related_name="assignments")
    cycle = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=16, choices=AssignmentSource.choices)
    rule = models.ForeignKey(AssignmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    required = models.BooleanField(default=True)
    due_at = models.DateTimeField(null=True, blank=True)
    recertify_months = models.PositiveSmallIntegerField(null=True, blank=True)
    assigned_at = models.DateTimeField()
    assigned_by_email = models.CharField(max_length=254, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(cancelled_at__isnull=True, superseded_at__isnull=True),
                name="assignment_one_current_per_course",
            ),
        ]
        indexes = [
            models.Index(fields=["course"], name="assignment_course_idx"),
            models.Index(fields=["due_at"], name="assignment_due_idx"),
            models.Index(fields=["enrolment"], name="assignment_enrolment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.course_id}#{self.cycle}"

    @property
    def is_current(self) -> bool:
        return self.cancelled_at is None and self.superseded_at is None
