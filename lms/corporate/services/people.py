"""The employee directory: create, update, deactivate/reactivate, departments, groups, seats.

Every write here is one atomic action that records an audit event; membership and department
changes re-apply the auto-assignment rules for the people they touch (in the same transaction),
which is what makes rules retroactive.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.services import audit
from accounts.services.auth import revoke_all
from accounts.services.users import invite_user
from lib.db import tenant_connection
from lib.errors import Conflict, DomainError, Forbidden, NotFound

from ..models import Department, Employee, Group, Membership, MembershipSource

TENANT_ROLES = (Role.LEARNER, Role.HR_MANAGER, Role.TENANT_ADMIN)


class SeatLimitReached(Conflict):
    code = "seat_limit_reached"


@dataclass(frozen=True)
class SeatUsage:
    used: int
    limit: int

    @property
    def available(self) -> int:
        return max(0, self.limit - self.used)

    def as_dict(self) -> dict[str, int]:
        return {"used": self.used, "limit": self.limit, "available": self.available}


def _seat_limit() -> int:
    from tenants.models import Tenant

    tenant = tenant_connection().tenant
    # Read fresh (not the routing cache's copy): the platform admin may have just changed it.
    limit = Tenant.objects.filter(pk=tenant.pk).values_list("seat_limit", flat=True).first()
    return int(limit or 0)


def seat_usage() -> SeatUsage:
    """Seats are held by every employee who is not deactivated (invited ones included: the seat is
    reserved for them)."""
    return SeatUsage(used=Employee.objects.filter(deactivated_at__isnull=True).count(), limit=_seat_limit())


def lock_seats() -> None:
    """Serialise seat-consuming actions of one tenant (two HR tabs, an import and an SSO login)
    so the limit cannot be overshot by a race. Released at the end of the transaction."""
    key = zlib.crc32(f"seats:{tenant_connection().schema_name}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7001, key - (1 << 31)])


def require_seats(extra: int) -> SeatUsage:
    """Call inside the transaction that consumes the seats, after `lock_seats()`."""
    usage = seat_usage()
    if extra > 0 and usage.used + extra > usage.limit:
        raise SeatLimitReached(
            f"No free seats: {usage.used} of {usage.limit} are in use; {extra} more needed.",
            details={**usage.as_dict(), "requested": extra},
        )
    return usage


# ---- queries -------------------------------------------------------------------------------


def department_subtree(department: Department) -> Q:
    return Q(department__path=department.path) | Q(department__path__startswith=department.path + "/")


def directory(params: dict[str, Any]) -> QuerySet[Employee]:
    """The employee list with the filters HR uses: search, department (with sub-departments),
    group, status, manager."""
    qs = Employee.objects.select_related("user", "department", "manager__user").order_by(
        "user__last_name", "user__first_name", "user__email"
    )
    search = str(params.get("search") or "").strip()
    if search:
        for word in search.split()[:4]:
            qs = qs.filter(
                Q(user__email__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(employee_id__iexact=word)
                | Q(title__icontains=word)
            )
    if params.get("department"):
        qs = qs.filter(department_subtree(get_department(params["department"])))
    if params.get("group"):
        qs = qs.filter(memberships__group_id=_int(params["group"], "group"))
    if params.get("manager"):
        qs = qs.filter(manager_id=_int(params["manager"], "manager"))
    status = params.get("status")
    if status == "active":
        qs = qs.filter(deactivated_at__isnull=True, user__is_active=True)
    elif status == "invited":
        qs = qs.filter(deactivated_at__isnull=True, user__is_active=False)
    elif status == "deactivated":
        qs = qs.filter(deactivated_at__isnull=False)
    elif status:
        raise DomainError("Unknown status filter.", code="invalid_filter", fields={"status": ["Unknown value."]})
    return qs


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("Expected a number.", code="invalid_filter", fields={field: ["Expected a number."]}) from None


def get_employee(pk: Any) -> Employee:
    employee = Employee.objects.select_related("user", "department", "manager__user").filter(pk=_int(pk, "id")).first()
    if employee is None:
        raise NotFound("Employee not found.", code="employee_not_found")
    return employee


def get_department(pk: Any) -> Department:
    department = Department.objects.filter(pk=_int(pk, "department")).first()
    if department is None:
        raise NotFound("Department not found.", code="department_not_found")
    return department


def get_group(pk: Any) -> Group:
    group = Group.objects.filter(pk=_int(pk, "group")).first()
    if group is None:
        raise NotFound("Group not found.", code="group_not_found")
    return group


def employee_status(employee: Employee) -> str:
    if employee.deactivated_at is not None:
        return "deactivated"
    return "active" if employee.user.is_active else "invited"


def team_of(manager: Employee) -> QuerySet[Employee]:
    """Direct and indirect reports (a recursive walk; UNION stops on a cyclic chain)."""
    table = Employee._meta.db_table
    sql = f"""
        WITH RECURSIVE team(id) AS (
            SELECT id FROM {table} WHERE manager_id = %s
            UNION
            SELECT e.id FROM {table} e JOIN team t ON e.manager_id = t.id
        ) SELECT id FROM team
    """  # noqa: S608 - the table name is ours, the value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [manager.pk])
        ids = [row[0] for row in cursor.fetchall()]
    return Employee.objects.filter(pk__in=ids).exclude(pk=manager.pk)


# ---- employees -----------------------------------------------------------------------------


@dataclass
class EmployeeInput:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str = Role.LEARNER
    language: str = "ru"
    employee_id: str = ""
    title: str = ""
    location: str = ""
    hire_date: date | None = None
    department_id: int | None = None
    manager_id: int | None = None
    group_ids: list[int] | None = None


def _check_manager(employee: Employee | None, manager_id: int | None) -> Employee | None:
    if manager_id is None:
        return None
    manager = Employee.objects.filter(pk=manager_id).first()
    if manager is None:
        raise DomainError("Manager not found.", code="invalid_manager", fields={"manager": ["Unknown employee."]})
    if employee is not None:
        # walk up from the new manager: meeting the employee means a cycle
        seen: set[int] = set()
        current: Employee | None = manager
        while current is not None and current.pk not in seen:
            if current.pk == employee.pk:
                raise DomainError(
                    "An employee cannot report to themselves or to their own report.",
                    code="manager_cycle",
                    fields={"manager": ["This would create a reporting cycle."]},
                )
            seen.add(current.pk)
            current = current.manager
    return manager


@transaction.atomic
def create_employee(data: EmployeeInput, *, actor: User, request: HttpRequest | None = None) -> Employee:
    """Invite a new employee: takes a seat, creates the user (inactive until the invitation is
    accepted or they sign in with SSO) and e-mails the invitation."""
    if data.role not in TENANT_ROLES:
        raise DomainError("Unknown role.", code="invalid_role", fields={"role": ["Unknown role."]})
    if data.role != Role.LEARNER and actor.role != Role.TENANT_ADMIN:
        raise Forbidden("Only a tenant admin can grant HR or admin roles.", code="role_change_forbidden")
    if User.objects.filter(email__iexact=data.email.strip()).exists():
        raise Conflict("An employee with this e-mail already exists.", code="user_exists")
    _check_employee_id(None, data.employee_id)
    lock_seats()
    require_seats(1)
    user, _raw = invite_user(
        email=data.email,
        role=data.role,
        invited_by=actor,
        request=request,
        first_name=data.first_name,
        last_name=data.last_name,
        language=data.language,
    )
    employee, _ = Employee.objects.get_or_create(user=user)
    employee.employee_id = data.employee_id
    employee.title = data.title
    employee.location = data.location
    employee.hire_date = data.hire_date
    employee.department = get_department(data.department_id) if data.department_id else None
    employee.manager = _check_manager(employee, data.manager_id)
    employee.save()
    if data.group_ids:
        set_groups(employee, data.group_ids, source=MembershipSource.MANUAL)
    audit.record("employee.created", actor=actor, target=user.email, request=request)
    _apply_rules_for([user.pk])
    return employee


def _check_employee_id(employee: Employee | None, employee_id: str) -> None:
    if not employee_id:
        return
    clash = Employee.objects.filter(employee_id=employee_id)
    if employee is not None:
        clash = clash.exclude(pk=employee.pk)
    if clash.exists():
        raise Conflict(
            "Another employee has this employee id.",
            code="employee_id_taken",
            fields={"employee_id": ["Already used by another employee."]},
        )


@transaction.atomic
def update_employee(
    employee: Employee, changes: dict[str, Any], *, actor: User, request: HttpRequest | None = None
) -> Employee:
    """Partial update. Role changes are for tenant admins only, and the last tenant admin cannot
    lose the role (the tenant would be left without anyone to manage it)."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    user = employee.user
    _require_rank(user, actor)
    user_fields: list[str] = []
    for name in ("first_name", "last_name", "language"):
        if name in changes:
            setattr(user, name, changes[name])
            user_fields.append(name)
    if "role" in changes and changes["role"] != user.role:
        _change_role(user, changes["role"], actor=actor)
        user_fields.append("role")
    if user_fields:
        user.save(update_fields=user_fields)
    if "employee_id" in changes:
        _check_employee_id(employee, changes["employee_id"])
        employee.employee_id = changes["employee_id"]
    for name in ("title", "location", "hire_date", "email_reminders", "email_digest"):
        if name in changes:
            setattr(employee, name, changes[name])
    if "department_id" in changes:
        employee.department = get_department(changes["department_id"]) if changes["department_id"] else None
    if "manager_id" in changes:
        employee.manager = _check_manager(employee, changes["manager_id"])
    employee.save()
    if "group_ids" in changes and changes["group_ids"] is not None:
        set_groups(employee, changes["group_ids"], source=MembershipSource.MANUAL)
    audit.record("employee.updated", actor=actor, target=user.email, request=request, fields=sorted(changes))
    _apply_rules_for([user.pk])
    return employee


def _require_rank(target: User, actor: User) -> None:
    """HR managers manage learners (and their own profile); HR managers and tenant admins are
    managed by tenant admins."""
    if target.role != Role.LEARNER and actor.role != Role.TENANT_ADMIN and target.pk != actor.pk:
        raise Forbidden("Only a tenant admin can change HR managers and admins.", code="rank_forbidden")


def _other_active_admins(user: User) -> bool:
    """Locks every active tenant admin row first, so two admins demoting each other at the same
    moment cannot both succeed and leave the company without one."""
    admins = list(User.objects.select_for_update().filter(role=Role.TENANT_ADMIN, is_active=True).order_by("pk"))
    return any(admin.pk != user.pk for admin in admins)


def _change_role(user: User, role: str, *, actor: User) -> None:
    if actor.role != Role.TENANT_ADMIN:
        raise Forbidden("Only a tenant admin can change roles.", code="role_change_forbidden")
    if role not in TENANT_ROLES:
        raise DomainError("Unknown role.", code="invalid_role", fields={"role": ["Unknown role."]})
    if user.role == Role.TENANT_ADMIN and not _other_active_admins(user):
        raise Conflict("The last tenant admin cannot lose the role.", code="last_tenant_admin")
    user.role = role
    revoke_all(user)  # the role is in the access token: make them sign in again with the new one


@transaction.atomic
def deactivate(employee: Employee, *, actor: User, request: HttpRequest | None = None) -> Employee:
    """Frees the seat and blocks sign-in; enrolments, progress and certificates stay."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    if employee.user_id == actor.pk:
        raise Conflict("You cannot deactivate yourself.", code="cannot_deactivate_self")
    _require_rank(employee.user, actor)
    if employee.deactivated_at is not None:
        return employee
    if employee.user.role == Role.TENANT_ADMIN and not _other_active_admins(employee.user):
        raise Conflict("The last tenant admin cannot be deactivated.", code="last_tenant_admin")
    employee.deactivated_at = timezone.now()
    employee.save(update_fields=["deactivated_at", "updated_at"])
    employee.user.is_active = False
    employee.user.save(update_fields=["is_active"])
    revoke_all(employee.user)
    # an invitation sent before the deactivation must not bring the person back
    Invitation.objects.filter(user=employee.user, accepted_at__isnull=True).update(expires_at=timezone.now())
    audit.record("employee.deactivated", actor=actor, target=employee.user.email, request=request)
    return employee


@transaction.atomic
def reactivate(employee: Employee, *, actor: User, request: HttpRequest | None = None) -> Employee:
    lock_seats()
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    _require_rank(employee.user, actor)
    if employee.deactivated_at is None:
        return employee
    require_seats(1)
    employee.deactivated_at = None
    employee.save(update_fields=["deactivated_at", "updated_at"])
    # someone who never set a password stays "invited" until they accept or sign in with SSO
    employee.user.is_active = employee.user.has_usable_password()
    employee.user.save(update_fields=["is_active"])
    audit.record("employee.reactivated", actor=actor, target=employee.user.email, request=request)
    _apply_rules_for([employee.user_id])
    return employee


def resend_invitation(employee: Employee, *, actor: User, request: HttpRequest | None = None) -> None:
    _require_rank(employee.user, actor)
    if employee.deactivated_at is not None or employee.user.is_active:
        raise Conflict("Only invited employees can be invited again.", code="not_invited")
    invite_user(
        email=employee.user.email,
        role=employee.user.role,
        invited_by=actor,
        request=request,
        language=employee.user.language,
    )


# ---- groups and departments ----------------------------------------------------------------


def set_groups(employee: Employee, group_ids: Iterable[int], *, source: str) -> None:
    wanted = set(group_ids)
    found = set(Group.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise DomainError("Unknown group.", code="invalid_group", fields={"group_ids": ["Unknown group."]})
    current = set(Membership.objects.filter(employee=employee).values_list("group_id", flat=True))
    Membership.objects.filter(employee=employee, group_id__in=current - wanted).delete()
    Membership.objects.bulk_create(
        [Membership(employee=employee, group_id=pk, source=source) for pk in wanted - current], ignore_conflicts=True
    )


@transaction.atomic
def create_group(name: str, description: str, *, actor: User, request: HttpRequest | None = None) -> Group:
    name = name.strip()
    if Group.objects.filter(name__iexact=name).exists():
        raise Conflict("A group with this name exists.", code="group_exists", fields={"name": ["Already exists."]})
    group = Group.objects.create(name=name, description=description)
    audit.record("group.created", actor=actor, target=name, request=request)
    return group


@transaction.atomic
def update_group(group: Group, changes: dict[str, Any], *, actor: User, request: HttpRequest | None = None) -> Group:
    if "name" in changes:
        name = changes["name"].strip()
        if Group.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
            raise Conflict("A group with this name exists.", code="group_exists", fields={"name": ["Already exists."]})
        group.name = name
    if "description" in changes:
        group.description = changes["description"]
    group.save()
    audit.record("group.updated", actor=actor, target=group.name, request=request)
    return group


@transaction.atomic
def delete_group(group: Group, *, actor: User, request: HttpRequest | None = None) -> None:
    """Deleting a group deletes its rules too (they have no target left); assignments already
    made stay: a person keeps what they were asked to learn."""
    audit.record("group.deleted", actor=actor, target=group.name, request=request)
    group.delete()


@transaction.atomic
def change_members(
    group: Group, *, add: list[int], remove: list[int], actor: User, request: HttpRequest | None = None
) -> dict[str, int]:
    """Add/remove employees (by employee id) and re-apply the rules for those added."""
    ids = set(add) | set(remove)
    known = set(Employee.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if known != ids:
        raise DomainError("Unknown employee.", code="invalid_employee", fields={"add": ["Unknown employee."]})
    removed, _ = Membership.objects.filter(group=group, employee_id__in=set(remove)).delete()
    existing = set(Membership.objects.filter(group=group, employee_id__in=add).values_list("employee_id", flat=True))
    created = Membership.objects.bulk_create(
        [Membership(group=group, employee_id=pk, source=MembershipSource.MANUAL) for pk in set(add) - existing],
        ignore_conflicts=True,
    )
    audit.record(
        "group.members_changed", actor=actor, target=group.name, request=request, added=len(created), removed=removed
    )
    user_ids = list(Employee.objects.filter(pk__in=add).values_list("user_id", flat=True))
    _apply_rules_for(user_ids)
    return {"added": len(created), "removed": removed}


def _validate_department_name(name: str) -> str:
    name = name.strip()
    if not name or "/" in name or len(name) > 200:
        raise DomainError(
            "A department name is 1-200 characters without '/'.",
            code="invalid_department",
            fields={"name": ["1-200 characters, no '/'."]},
        )
    return name


@transaction.atomic
def create_department(
    name: str, parent_id: int | None, *, actor: User | None, request: HttpRequest | None = None
) -> Department:
    name = _validate_department_name(name)
    parent = get_department(parent_id) if parent_id else None
    path = f"{parent.path}/{name}" if parent else name
    if Department.objects.filter(path=path).exists():
        raise Conflict("This department exists.", code="department_exists", fields={"name": ["Already exists."]})
    department = Department.objects.create(name=name, parent=parent, path=path)
    if actor is not None:
        audit.record("department.created", actor=actor, target=path, request=request)
    return department


def ensure_department_path(path: str) -> Department:
    """Create every missing node of "A/B/C" (imports address departments by path)."""
    parent: Department | None = None
    parts = [_validate_department_name(part) for part in path.split("/") if part.strip()]
    for index in range(len(parts)):
        node_path = "/".join(parts[: index + 1])
        node = Department.objects.filter(path=node_path).first()
        if node is None:
            node = Department.objects.create(name=parts[index], parent=parent, path=node_path)
        parent = node
    if parent is None:
        raise DomainError("Empty department path.", code="invalid_department")
    return parent


@transaction.atomic
def update_department(
    department: Department, changes: dict[str, Any], *, actor: User, request: HttpRequest | None = None
) -> Department:
    """Rename and/or move; the paths of the whole subtree follow."""
    name = _validate_department_name(changes.get("name", department.name))
    parent = department.parent
    if "parent_id" in changes:
        parent = get_department(changes["parent_id"]) if changes["parent_id"] else None
        if parent is not None and (parent.pk == department.pk or parent.path.startswith(department.path + "/")):
            raise DomainError(
                "A department cannot move under itself.",
                code="department_cycle",
                fields={"parent_id": ["Would create a cycle."]},
            )
    old_path = department.path
    new_path = f"{parent.path}/{name}" if parent else name
    if new_path != old_path and Department.objects.filter(path=new_path).exists():
        raise Conflict("This department exists.", code="department_exists", fields={"name": ["Already exists."]})
    department.name, department.parent, department.path = name, parent, new_path
    department.save()
    if new_path != old_path:
        for child in Department.objects.filter(path__startswith=old_path + "/"):
            child.path = new_path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
        _apply_rules_for(
            list(Employee.objects.filter(department_subtree(department)).values_list("user_id", flat=True))
        )
    audit.record("department.updated", actor=actor, target=new_path, request=request, old=old_path)
    return department


@transaction.atomic
def delete_department(department: Department, *, actor: User, request: HttpRequest | None = None) -> None:
    if department.children.exists():
        raise Conflict("Move or delete the sub-departments first.", code="department_not_empty")
    if department.employees.exists():
        raise Conflict("Move the employees of this department first.", code="department_not_empty")
    audit.record("department.deleted", actor=actor, target=department.path, request=request)
    department.delete()


def invite_guard(user: User | None, role: str) -> None:
    """Registered with accounts' invitations (apps.py): in a corporate schema a deactivated
    employee cannot be re-invited, and a new person needs a free seat (except the company's own
    tenant admins, so the platform can always hand a company its first admin)."""
    from ..signals import in_tenant_schema

    if not in_tenant_schema():
        return
    if user is not None:
        if Employee.objects.filter(user=user, deactivated_at__isnull=False).exists():
            raise Conflict("This employee is deactivated: reactivate them first.", code="employee_deactivated")
        return
    if role != Role.TENANT_ADMIN:
        lock_seats()
        require_seats(1)


def accept_guard(user: User) -> None:
    from accounts.services.users import InvitationGone

    from ..signals import in_tenant_schema

    if in_tenant_schema() and Employee.objects.filter(user=user, deactivated_at__isnull=False).exists():
        raise InvitationGone("This account was deactivated by your company.")


def _apply_rules_for(user_ids: list[int]) -> None:
    from .rules import apply_rules

    if user_ids:
        apply_rules(user_ids=user_ids)
