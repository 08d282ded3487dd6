"""The employee directory: departments (a tree), groups (flat) and the employee profile."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Department(models.Model):
    """A node of the organisation tree. `path` ("Retail/Moscow/Store 1") is materialised so a
    subtree is one indexed prefix query and imports can address a department by its path."""

    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=1000, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class Group(models.Model):
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="group_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """One per user of a corporate schema. A deactivated employee keeps every learning record
    but no longer holds a seat and cannot sign in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employee")
    employee_id = models.CharField(max_length=64, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees"
    )
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    hire_date = models.DateField(null=True, blank=True)
    groups: models.ManyToManyField[Group, Membership] = models.ManyToManyField(
        Group, through="Membership", related_name="employees"
    )
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # optional e-mails (assignment notices and overdue notices are not optional)
    email_reminders = models.BooleanField(default=True)
    email_digest = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee_id"], condition=~models.Q(employee_id=""), name="employee_id_unique"
            ),
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="employee_not_own_manager"),
        ]
        indexes = [
            models.Index(fields=["department"], name="employee_department_idx"),
            models.Index(fields=["manager"], name="employee_manager_idx"),
        ]

    def __str__(self) -> str:
        return f"employee:{self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None


class MembershipSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    IMPORT = "import", "Import"
    SSO = "sso", "Single sign-on"


class Membership(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    source = models.CharField(max_length=16, choices=MembershipSource.choices, default=MembershipSource.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "group"], name="membership_unique")]
        indexes = [models.Index(fields=["group"], name="membership_group_idx")]
