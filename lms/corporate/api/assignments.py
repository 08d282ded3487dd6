"""HR API for assignments and auto-assignment rules; the manager's team view; e-mail preferences."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from lib.api import request_user
from lib.errors import DomainError

from ..models import Assignment, AssignmentRule, Employee, NotificationSettings
from ..services import assignments, people, reports, rules
from .base import CorporateMemberView, HRView, id_list, paginate


def assignment_doc(a: Assignment, now: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "user": {"id": a.user_id, "email": a.user.email, "name": a.user.full_name},
        "course": {"slug": a.course.slug, "title": a.course.title},
        "cycle": a.cycle,
        "source": a.source,
        "rule_id": a.rule_id,
        "required": a.required,
        "assigned_at": a.assigned_at,
        "due_at": a.due_at,
        "recertify_months": a.recertify_months,
        "status": reports.status_of(a, now),
        "progress_percent": a.enrolment.progress_percent,
        "completed_at": a.enrolment.completed_at,
    }


class AssignSerializer(serializers.Serializer[Any]):
    courses = serializers.ListField(child=serializers.SlugField(), min_length=1, max_length=50)
    users = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    groups = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    departments = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    due = serializers.JSONField(required=False, default=None)
    required = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]
    recertify_months = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=120
    )


class AssignmentListView(HRView):
    """GET current assignments (filters: course, user, status); POST assigns courses to people,
    groups and departments with a due date: `{"courses": [...], "users": [...], "groups": [...],
    "departments": [...], "due": {"kind": "date", "date": "2026-12-31"} | {"kind":
    "after_assignment", "days": 14} | {"kind": "after_hire", "days": 30}, "required": true}`."""

    @extend_schema(
        parameters=[OpenApiParameter(n, str, required=False) for n in ("course", "user", "status")],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        qs = assignments.current_assignments().select_related("user", "course", "enrolment").order_by("due_at", "id")
        params = request.query_params
        if params.get("course"):
            qs = qs.filter(course__slug=params["course"])
        if params.get("user"):
            try:
                qs = qs.filter(user_id=int(params["user"]))
            except ValueError:
                raise DomainError("Expected a number.", code="invalid_filter", fields={"user": ["Number."]}) from None
        now = timezone.now()
        status_filter = params.get("status")
        if status_filter == "completed":
            qs = qs.filter(enrolment__completed_at__isnull=False)
        elif status_filter == "overdue":
            qs = qs.filter(enrolment__completed_at__isnull=True, due_at__lt=now)
        elif status_filter == "open":
            qs = qs.filter(enrolment__completed_at__isnull=True)
        elif status_filter:
            raise DomainError("Unknown status.", code="invalid_filter", fields={"status": ["completed|overdue|open"]})
        paginator, page = paginate(request, self, qs)
        return paginator.get_paginated_response([assignment_doc(a, now) for a in page])

    @extend_schema(request=AssignSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = assignments.assign(
            course_slugs=v["courses"],
            user_ids=v["users"],
            group_ids=v["groups"],
            department_ids=v["departments"],
            due=assignments.DueSpec.parse(v["due"]),
            required=v["required"],
            recertify_months=v["recertify_months"],
            actor=request_user(request),
            request=request._request,
        )
        return Response(result, status=status.HTTP_201_CREATED)


class AssignmentBulkView(HRView):
    """POST `{"ids": [...], "action": "unassign"}` or `{"ids": [...], "action": "set_due", "due": {...}}`."""

    @extend_schema(request=dict, responses={200: dict})
    def post(self, request: Request) -> Response:
        action = request.data.get("action") if hasattr(request.data, "get") else None
        ids = id_list(request.data, "ids")
        actor = request_user(request)
        if action == "unassign":
            return Response({"cancelled": assignments.unassign(ids, actor=actor, request=request._request)})
        if action == "set_due":
            due = assignments.DueSpec.parse(request.data.get("due"))
            return Response({"updated": assignments.change_due_dates(ids, due, actor=actor, request=request._request)})
        raise DomainError("action is unassign or set_due.", code="validation_error", fields={"action": ["Unknown."]})


class AssignmentView(HRView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, assignment_id: int) -> Response:
        assignment = assignments.get_assignment(assignment_id)
        if not assignment.is_current:
            raise DomainError("This assignment is no longer current.", code="assignment_closed", status_code=409)
        assignments.unassign([assignment.pk], actor=request_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


def rule_doc(rule: AssignmentRule) -> dict[str, Any]:
    if rule.group_id:
        target: dict[str, Any] = {"kind": "group", "id": rule.group_id, "name": rule.group.name if rule.group else ""}
    elif rule.department_id:
        target = {
            "kind": "department",
            "id": rule.department_id,
            "path": rule.department.path if rule.department else "",
            "include_subdepartments": rule.include_subdepartments,
        }
    else:
        target = {"kind": "attribute", "attribute": rule.attribute, "value": rule.attribute_value}
    return {
        "id": rule.pk,
        "name": rule.name,
        "course": {"slug": rule.course.slug, "title": rule.course.title},
        "target": target,
        "due_days": rule.due_days,
        "due_from": rule.due_from,
        "required": rule.required,
        "recertify_months": rule.recertify_months,
        "is_active": rule.is_active,
        "created_by": rule.created_by_email,
        "created_at": rule.created_at,
        "last_applied_at": rule.last_applied_at,
    }


class RuleListView(HRView):
    """Rules apply at once to everyone who already matches (the response says how many)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = AssignmentRule.objects.select_related("course", "group", "department")
        return Response({"results": [rule_doc(r) for r in qs]})

    @extend_schema(request=dict, responses={201: dict})
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise DomainError("Expected a JSON object.", code="validation_error")
        rule, created = rules.create_rule(dict(request.data), actor=request_user(request), request=request._request)
        return Response({**rule_doc(rules.get_rule(rule.pk)), "assigned_now": created}, status=201)


class RuleView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, rule_id: int) -> Response:
        return Response(rule_doc(rules.get_rule(rule_id)))

    @extend_schema(request=dict, responses={200: dict})
    def patch(self, request: Request, rule_id: int) -> Response:
        if not isinstance(request.data, dict):
            raise DomainError("Expected a JSON object.", code="validation_error")
        rule, created = rules.update_rule(
            rules.get_rule(rule_id), dict(request.data), actor=request_user(request), request=request._request
        )
        return Response({**rule_doc(rules.get_rule(rule.pk)), "assigned_now": created})

    @extend_schema(responses={204: None})
    def delete(self, request: Request, rule_id: int) -> Response:
        rules.delete_rule(rules.get_rule(rule_id), actor=request_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationSettingsSerializer(serializers.Serializer[Any]):
    reminder_days_before = serializers.IntegerField(min_value=1, max_value=60, required=False)
    escalation_days_after = serializers.IntegerField(min_value=0, max_value=60, required=False)
    digest_weekday = serializers.IntegerField(min_value=0, max_value=6, required=False)
    recertification_lead_days = serializers.IntegerField(min_value=1, max_value=180, required=False)


SETTINGS_FIELDS = ("reminder_days_before", "escalation_days_after", "digest_weekday", "recertification_lead_days")


def _settings_doc(config: NotificationSettings) -> dict[str, int]:
    return {name: int(getattr(config, name)) for name in SETTINGS_FIELDS}


class NotificationSettingsView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(_settings_doc(NotificationSettings.current()))

    @extend_schema(request=NotificationSettingsSerializer, responses={200: dict})
    def patch(self, request: Request) -> Response:
        from accounts.services import audit

        data = NotificationSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        config = NotificationSettings.current()
        for name, value in data.validated_data.items():
            setattr(config, name, value)
        config.save()
        audit.record(
            "notifications.settings_changed",
            actor=request_user(request),
            request=request._request,
            **data.validated_data,
        )
        return Response(_settings_doc(config))


class TeamView(CorporateMemberView):
    """A manager's direct and indirect reports with their current assignments. Anyone may call
    it; someone without reports gets an empty team (and nothing else of HR)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        me = Employee.objects.filter(user=request_user(request)).first()
        if me is None:
            return Response({"results": []})
        members = list(
            people.team_of(me)
            .filter(deactivated_at__isnull=True)
            .select_related("user", "department")
            .order_by("user__last_name", "user__email")
        )
        return Response({"results": reports.team_summary(members)})


class PreferencesSerializer(serializers.Serializer[Any]):
    email_reminders = serializers.BooleanField(required=False)
    email_digest = serializers.BooleanField(required=False)


class MyPreferencesView(CorporateMemberView):
    """The optional e-mails a person can switch off for themselves (reminders, the digest)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        employee, _ = Employee.objects.get_or_create(user=request_user(request))
        return Response({"email_reminders": employee.email_reminders, "email_digest": employee.email_digest})

    @extend_schema(request=PreferencesSerializer, responses={200: dict})
    def patch(self, request: Request) -> Response:
        data = PreferencesSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        employee, _ = Employee.objects.get_or_create(user=request_user(request))
        for name, value in data.validated_data.items():
            setattr(employee, name, value)
        employee.save()
        return Response({"email_reminders": employee.email_reminders, "email_digest": employee.email_digest})
