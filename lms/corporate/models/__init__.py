"""Models by domain; this package exists so `lms.corporate.models` stays importable as one."""

from .assignments import Assignment, AssignmentRule, AssignmentSource, DueFrom, RuleAttribute
from .imports import ImportJob, ImportStatus
from .notifications import Notification, NotificationKind, NotificationSettings
from .people import Department, Employee, Group, Membership, MembershipSource

__all__ = [
    "Assignment",
    "AssignmentRule",
    "AssignmentSource",
    "Department",
    "DueFrom",
    "Employee",
    "Group",
    "ImportJob",
    "ImportStatus",
    "Membership",
    "MembershipSource",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "RuleAttribute",
]
