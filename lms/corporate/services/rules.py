"""Auto-assignment rules.

A rule is applied to *everyone who matches now*, not only to people who join later: when it is
saved, whenever a membership, department or attribute of someone changes, and nightly (which
also catches changes made by SSO or by hand in the database). Applying is idempotent because
`create_assignments` skips people who already hold a current assignment of the course.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.services import audit
from lib.errors import DomainError, NotFound

from ..models import Assignment, AssignmentRule, AssignmentSource, Employee, RuleAttribute
from .assignments import DueSpec, assignable_course, create_assignments
from .people import department_subtree, get_department, get_group


def matching_employees(rule: AssignmentRule) -> QuerySet[Employee]:
    qs = Employee.objects.filter(deactivated_at__isnull=True)
    if rule.group_id is not None:
        return qs.filter(memberships__group_id=rule.group_id)
    if rule.department is not None and rule.department_id is not None:
        if rule.include_subdepartments:
            return qs.filter(department_subtree(rule.department))
        return qs.filter(department_id=rule.department_id)
    if rule.attribute == RuleAttribute.TITLE:
        return qs.filter(title__iexact=rule.attribute_value)
    if rule.attribute == RuleAttribute.LOCATION:
        return qs.filter(location__iexact=rule.attribute_value)
    return qs.none()


def apply_rule(rule: AssignmentRule, *, user_ids: list[int] | None = None, now: datetime | None = None) -> int:
    now = now or timezone.now()
    from lib.db import tenant_connection
    from lms.catalog.services.visibility import visible_courses

    if not visible_courses(tenant_connection().tenant).filter(pk=rule.course_id).exists():
        return 0  # licence withdrawn or course unpublished: nothing new is assigned
    people = matching_employees(rule)
    if user_ids is not None:
        people = people.filter(user_id__in=user_ids)
    # HR's "unassign" is an exemption: a rule never gives back what was taken off by hand
    people = people.exclude(
        user_id__in=Assignment.objects.filter(course_id=rule.course_id, cancelled_at__isnull=False).values("user_id")
    )
    with transaction.atomic():  # assignments and their e-mails together, or neither
        created = create_assignments(
            rule.course,
            people.values_list("user_id", flat=True),
            due=DueSpec.from_rule(rule),
            required=rule.required,
            source=AssignmentSource.RULE,
            recertify_months=rule.recertify_months,
            rule=rule,
            actor_email=rule.created_by_email,
            now=now,
        )
        AssignmentRule.objects.filter(pk=rule.pk).update(last_applied_at=now)
    return len(created)


def apply_rules(*, user_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Apply every active rule (to the given people, or to everyone)."""
    total = 0
    for rule in AssignmentRule.objects.filter(is_active=True).select_related("course", "department"):
        total += apply_rule(rule, user_ids=user_ids, now=now)
    return total


def _rule_fields(data: dict[str, Any], rule: AssignmentRule) -> None:
    if "name" in data:
        rule.name = str(data["name"]).strip()[:200]
    if "course" in data:
        rule.course = assignable_course(str(data["course"]))
    if "target" in data:
        target = data["target"]
        if not isinstance(target, dict):
            raise DomainError(
                "Choose a group, a department or an attribute.", code="invalid_rule", fields={"target": ["Required."]}
            )
        rule.group = rule.department = None
        rule.attribute = rule.attribute_value = ""
        kind = target.get("kind")
        if kind == "group":
            rule.group = get_group(target.get("id"))
        elif kind == "department":
            rule.department = get_department(target.get("id"))
            rule.include_subdepartments = bool(target.get("include_subdepartments", True))
        elif (
            kind == "attribute"
            and target.get("attribute") in RuleAttribute.values
            and str(target.get("value") or "").strip()
        ):
            rule.attribute = target["attribute"]
            rule.attribute_value = str(target["value"]).strip()[:200]
        else:
            raise DomainError(
                "Choose a group, a department or an attribute and value.",
                code="invalid_rule",
                fields={"target": ["Invalid target."]},
            )
    for name in ("due_days", "recertify_months"):
        if name in data:
            value = data[name]
            limit = 3650 if name == "due_days" else 120
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= limit):
                raise DomainError(
                    f"{name} must be 1-{limit} or empty.", code="invalid_rule", fields={name: [f"1-{limit} or empty."]}
                )
            setattr(rule, name, value)
    if "due_from" in data:
        if data["due_from"] not in ("assignment", "hire"):
            raise DomainError(
                "due_from is 'assignment' or 'hire'.", code="invalid_rule", fields={"due_from": ["assignment or hire"]}
            )
        rule.due_from = data["due_from"]
    for name in ("required", "is_active"):
        if name in data:
            setattr(rule, name, bool(data[name]))
    if not rule.name:
        raise DomainError("Give the rule a name.", code="invalid_rule", fields={"name": ["Required."]})


@transaction.atomic
def create_rule(data: dict[str, Any], *, actor: User, request: HttpRequest | None = None) -> tuple[AssignmentRule, int]:
    """Saving a rule applies it at once to everyone who already matches (retroactive)."""
    if "course" not in data or "target" not in data:
        raise DomainError(
            "A rule needs a course and a target.",
            code="invalid_rule",
            fields={k: ["Required."] for k in ("course", "target") if k not in data},
        )
    rule = AssignmentRule(created_by_email=actor.email)
    _rule_fields(data, rule)
    rule.save()
    created = apply_rule(rule) if rule.is_active else 0
    audit.record("rule.created", actor=actor, target=rule.name, request=request, assigned=created)
    return rule, created


@transaction.atomic
def update_rule(
    rule: AssignmentRule, data: dict[str, Any], *, actor: User, request: HttpRequest | None = None
) -> tuple[AssignmentRule, int]:
    _rule_fields(data, rule)
    rule.save()
    created = apply_rule(rule) if rule.is_active else 0
    audit.record("rule.updated", actor=actor, target=rule.name, request=request, assigned=created)
    return rule, created


@transaction.atomic
def delete_rule(rule: AssignmentRule, *, actor: User, request: HttpRequest | None = None) -> None:
    """Assignments the rule made stay (people keep what they were asked to learn)."""
    audit.record("rule.deleted", actor=actor, target=rule.name, request=request)
    rule.delete()


def get_rule(pk: Any) -> AssignmentRule:
    try:
        rule = AssignmentRule.objects.select_related("course", "group", "department").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        rule = None
    if rule is None:
        raise NotFound("Rule not found.", code="rule_not_found")
    return rule
