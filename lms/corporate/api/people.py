"""HR API for the employee directory, departments, groups, seats and imports."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Role
from lib.api import request_user
from lib.errors import DomainError, FileTooLarge, NotFound

from ..models import Department, Employee, Group, ImportJob, Membership
from ..services import imports, people
from .base import HRView, id_list, paginate


def employee_doc(employee: Employee) -> dict[str, Any]:
    user = employee.user
    manager = employee.manager
    return {
        "id": employee.pk,
        "user_id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "full_name": user.full_name,
        "role": user.role,
        "language": user.language,
        "status": people.employee_status(employee),
        "employee_id": employee.employee_id,
        "title": employee.title,
        "location": employee.location,
        "hire_date": employee.hire_date,
        "department": {"id": employee.department.pk, "path": employee.department.path} if employee.department else None,
        "manager": {"id": manager.pk, "email": manager.user.email, "name": manager.user.full_name} if manager else None,
        "groups": [{"id": m.group.pk, "name": m.group.name} for m in employee.memberships.all()],
        "email_reminders": employee.email_reminders,
        "email_digest": employee.email_digest,
        "deactivated_at": employee.deactivated_at,
        "created_at": employee.created_at,
    }


def _with_groups(qs: Any) -> Any:
    return qs.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("group").order_by("group__name"))
    )


class EmployeeInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=people.TENANT_ROLES, required=False, default=Role.LEARNER)
    language = serializers.ChoiceField(choices=["ru", "en"], required=False, default="ru")
    employee_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hire_date = serializers.DateField(required=False, allow_null=True, default=None)
    department_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    manager_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    group_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class EmployeeUpdateSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=people.TENANT_ROLES, required=False)
    language = serializers.ChoiceField(choices=["ru", "en"], required=False)
    employee_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hire_date = serializers.DateField(required=False, allow_null=True)
    department_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    manager_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    group_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    email_reminders = serializers.BooleanField(required=False)
    email_digest = serializers.BooleanField(required=False)


DIRECTORY_FILTERS = [
    OpenApiParameter(name, str, required=False) for name in ("search", "department", "group", "status", "manager")
]


class EmployeeListView(HRView):
    @extend_schema(parameters=DIRECTORY_FILTERS, responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = _with_groups(people.directory(request.query_params))
        paginator, page = paginate(request, self, qs)
        return paginator.get_paginated_response([employee_doc(e) for e in page])

    @extend_schema(request=EmployeeInputSerializer, responses={201: dict, 409: dict})
    def post(self, request: Request) -> Response:
        data = EmployeeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employee = people.create_employee(
            people.EmployeeInput(**data.validated_data), actor=request_user(request), request=request._request
        )
        return Response(employee_doc(_with_groups(Employee.objects).get(pk=employee.pk)), status=201)


class EmployeeView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, employee_id: int) -> Response:
        return Response(
            employee_doc(
                _with_groups(Employee.objects.select_related("user")).get(pk=people.get_employee(employee_id).pk)
            )
        )

    @extend_schema(request=EmployeeUpdateSerializer, responses={200: dict})
    def patch(self, request: Request, employee_id: int) -> Response:
        employee = people.get_employee(employee_id)
        data = EmployeeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        people.update_employee(
            employee, dict(data.validated_data), actor=request_user(request), request=request._request
        )
        return Response(employee_doc(_with_groups(Employee.objects).get(pk=employee.pk)))


class EmployeeActionView(HRView):
    """POST deactivate / reactivate / invite (resend the invitation)."""

    action: str = ""

    @extend_schema(request=None, responses={200: dict, 409: dict})
    def post(self, request: Request, employee_id: int) -> Response:
        employee = people.get_employee(employee_id)
        actor = request_user(request)
        if self.action == "deactivate":
            people.deactivate(employee, actor=actor, request=request._request)
        elif self.action == "reactivate":
            people.reactivate(employee, actor=actor, request=request._request)
        else:
            people.resend_invitation(employee, actor=actor, request=request._request)
        return Response(employee_doc(_with_groups(Employee.objects).get(pk=employee.pk)))


class SeatsView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(people.seat_usage().as_dict())


# ---- departments ---------------------------------------------------------------------------


class DepartmentSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    parent_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


def department_doc(d: Department, counts: dict[int, int]) -> dict[str, Any]:
    return {"id": d.pk, "name": d.name, "path": d.path, "parent_id": d.parent_id, "employees": counts.get(d.pk, 0)}


def _department_counts() -> dict[int, int]:
    return dict(
        Employee.objects.filter(deactivated_at__isnull=True, department__isnull=False)
        .values("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )


class DepartmentListView(HRView):
    """The whole tree, flat and ordered by path (a client nests it by `parent_id`)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        counts = _department_counts()
        return Response({"results": [department_doc(d, counts) for d in Department.objects.all()]})

    @extend_schema(request=DepartmentSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = DepartmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = people.create_department(
            data.validated_data["name"],
            data.validated_data.get("parent_id"),
            actor=request_user(request),
            request=request._request,
        )
        return Response(department_doc(department, {}), status=status.HTTP_201_CREATED)


class DepartmentView(HRView):
    @extend_schema(request=DepartmentSerializer, responses={200: dict})
    def patch(self, request: Request, department_id: int) -> Response:
        data = DepartmentSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        department = people.update_department(
            people.get_department(department_id),
            dict(data.validated_data),
            actor=request_user(request),
            request=request._request,
        )
        return Response(department_doc(department, _department_counts()))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, department_id: int) -> Response:
        people.delete_department(
            people.get_department(department_id), actor=request_user(request), request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- groups --------------------------------------------------------------------------------


class GroupSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def group_doc(group: Group) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "description": group.description,
        "members": getattr(group, "member_count", None),
        "created_at": group.created_at,
    }


def _groups() -> Any:
    return Group.objects.annotate(member_count=Count("memberships"))


class GroupListView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = _groups()
        if request.query_params.get("search"):
            qs = qs.filter(name__icontains=request.query_params["search"])
        paginator, page = paginate(request, self, qs)
        return paginator.get_paginated_response([group_doc(g) for g in page])

    @extend_schema(request=GroupSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = GroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = people.create_group(
            data.validated_data["name"],
            data.validated_data["description"],
            actor=request_user(request),
            request=request._request,
        )
        return Response(group_doc(_groups().get(pk=group.pk)), status=status.HTTP_201_CREATED)


class GroupView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, group_id: int) -> Response:
        return Response(group_doc(_groups().get(pk=people.get_group(group_id).pk)))

    @extend_schema(request=GroupSerializer, responses={200: dict})
    def patch(self, request: Request, group_id: int) -> Response:
        data = GroupSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        group = people.update_group(
            people.get_group(group_id), dict(data.validated_data), actor=request_user(request), request=request._request
        )
        return Response(group_doc(_groups().get(pk=group.pk)))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, group_id: int) -> Response:
        people.delete_group(people.get_group(group_id), actor=request_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupMembersView(HRView):
    """GET the members (paged); POST `{"add": [employee ids], "remove": [employee ids]}`."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, group_id: int) -> Response:
        group = people.get_group(group_id)
        qs = _with_groups(people.directory({}).filter(memberships__group=group))
        paginator, page = paginate(request, self, qs)
        return paginator.get_paginated_response([employee_doc(e) for e in page])

    @extend_schema(request=dict, responses={200: dict})
    def post(self, request: Request, group_id: int) -> Response:
        group = people.get_group(group_id)
        add, remove = id_list(request.data, "add"), id_list(request.data, "remove")
        if not add and not remove:
            raise DomainError(
                "Nothing to change.", code="validation_error", fields={"add": ["Give ids to add or remove."]}
            )
        return Response(
            people.change_members(group, add=add, remove=remove, actor=request_user(request), request=request._request)
        )


# ---- imports -------------------------------------------------------------------------------


class ImportListView(HRView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        paginator, page = paginate(request, self, ImportJob.objects.defer("content"))
        return paginator.get_paginated_response([{**imports.describe(j), "errors": j.errors[:20]} for j in page])

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean"},
                    "send_invitations": {"type": "boolean"},
                },
            }
        },
        responses={202: dict, 413: dict},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("Attach a CSV or XLSX file.", code="validation_error", fields={"file": ["Required."]})
        if upload.size and upload.size > imports.MAX_FILE_BYTES:
            raise FileTooLarge("Files up to 10 MB can be imported.")
        truthy = ("true", "1", "on", "yes")
        job = imports.start_import(
            filename=upload.name or "upload",
            content=upload.read(imports.MAX_FILE_BYTES + 1),
            dry_run=str(request.data.get("dry_run", "")).lower() in truthy,
            send_invitations=str(request.data.get("send_invitations", "")).lower() in truthy,
            actor=request_user(request),
        )
        return Response(imports.describe(job), status=status.HTTP_202_ACCEPTED)


class ImportView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, job_id: int) -> Response:
        job = ImportJob.objects.defer("content").filter(pk=job_id).first()
        if job is None:
            raise NotFound("Import not found.", code="import_not_found")
        return Response(imports.describe(job))
