"""Bulk employee import from CSV/XLSX: validate everything first, then apply in batches.

1. `start_import` stores the file in an `ImportJob` and queues `run` on Celery.
2. `run` reads the file (file-level problems fail the job: nothing is imported), maps columns by
   header (Russian and English names), validates every row and plans it as create / update /
   unchanged. A dry run stops here with the full report.
3. Valid rows are applied in batches with bulk queries (10,000 rows in seconds), progress saved
   after each batch; bad rows are reported with their line number and import nothing.
4. Managers are linked after every row exists (a manager may appear later in the file), then the
   auto-assignment rules run once for everyone touched.

Re-importing the same file changes nothing: people are matched by employee id, then by e-mail.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User, normalize_email
from accounts.roles import Role
from accounts.services import audit
from accounts.services.auth import revoke_all
from lib.errors import DomainError, FileTooLarge

from ..models import Employee, Group, ImportJob, ImportStatus, Membership, MembershipSource
from . import people
from .spreadsheets import FileProblem, Sheet, cell_text, parse_date, read

logger = logging.getLogger("ffs.corporate.imports")

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_STORED_ERRORS = 1000
BATCH = 1000

COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "e mail", "почта", "электронная почта", "адрес электронной почты"),
    "first_name": ("first name", "given name", "имя"),
    "last_name": ("last name", "surname", "family name", "фамилия"),
    "employee_id": ("employee id", "personnel number", "табельный номер", "таб. номер", "id сотрудника"),
    "department": ("department", "отдел", "подразделение"),
    "manager_email": ("manager email", "manager", "руководитель", "email руководителя", "почта руководителя"),
    "groups": ("groups", "group", "группы", "группа"),
    "hire_date": ("hire date", "start date", "дата приема", "дата найма", "дата выхода"),
    "title": ("title", "job title", "position", "должность"),
    "location": ("location", "office", "город", "офис"),
    "language": ("language", "язык"),
}
REQUIRED = ("email",)
LIMITS = {"first_name": 150, "last_name": 150, "employee_id": 64, "title": 200, "location": 200, "department": 1000}


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", str(header).strip().lower().replace("ё", "е"))


def map_columns(header: list[str]) -> dict[str, int]:
    aliases = {_norm(alias): name for name, names in COLUMNS.items() for alias in (name, *names)}
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        name = aliases.get(_norm(title))
        if name and name not in mapping:
            mapping[name] = index
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise FileProblem(
            "missing_columns",
            f"Required column missing: {', '.join(missing)}. Found: {', '.join(h for h in header if h) or 'nothing'}.",
        )
    return mapping


@dataclass
class Row:
    line: int
    email: str
    values: dict[str, Any]
    groups: list[str] | None
    manager_email: str | None
    employee: Employee | None = None
    action: str = "create"
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: int = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": line, "column": column, "message": message})


def _validate(sheet: Sheet, mapping: dict[str, int], report: Report) -> list[Row]:
    rows: list[Row] = []
    seen_emails: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for line, raw in zip(sheet.lines, sheet.rows, strict=True):
        if not any(cell_text(c) for c in raw):
            continue
        cells = {name: raw[index] if index < len(raw) else None for name, index in mapping.items()}
        problem = _row_problem(cells, line, seen_emails, seen_ids)
        if problem:
            report.add(line, *problem)
            continue
        email = normalize_email(cell_text(cells["email"]))
        values: dict[str, Any] = {}
        for name in ("first_name", "last_name", "employee_id", "title", "location", "department"):
            if name in cells:
                values[name] = cell_text(cells[name])
        if "hire_date" in cells and cell_text(cells["hire_date"]):
            values["hire_date"] = parse_date(cells["hire_date"])
        elif "hire_date" in cells:
            values["hire_date"] = None
        if "language" in cells and cell_text(cells["language"]):
            values["language"] = cell_text(cells["language"]).lower()[:2]
        groups = None
        if "groups" in cells:
            groups = [g.strip() for g in re.split(r"[;,|]", cell_text(cells["groups"])) if g.strip()]
        manager = normalize_email(cell_text(cells.get("manager_email"))) or None if "manager_email" in cells else None
        seen_emails[email] = line
        if values.get("employee_id"):
            seen_ids[values["employee_id"]] = line
        rows.append(Row(line=line, email=email, values=values, groups=groups, manager_email=manager))
    return rows


def _row_problem(
    cells: dict[str, Any], line: int, seen_emails: dict[str, int], seen_ids: dict[str, int]
) -> tuple[str, str] | None:
    for name, value in cells.items():
        if isinstance(value, str) and value.strip().startswith("="):
            return name, "Formulas are not accepted: paste values instead."
        limit = LIMITS.get(name)
        if limit and len(cell_text(value)) > limit:
            return name, f"Longer than {limit} characters."
    email = normalize_email(cell_text(cells["email"]))
    if not email:
        return "email", "E-mail is required."
    try:
        validate_email(email)
    except ValidationError:
        return "email", f"Not a valid e-mail: {email!r}."
    if email in seen_emails:
        return "email", f"Duplicate of row {seen_emails[email]}."
    employee_id = cell_text(cells.get("employee_id"))
    if employee_id and employee_id in seen_ids:
        return "employee_id", f"Duplicate of row {seen_ids[employee_id]}."
    manager = normalize_email(cell_text(cells.get("manager_email")))
    if manager:
        try:
            validate_email(manager)
        except ValidationError:
            return "manager_email", f"Not a valid e-mail: {manager!r}."
        if manager == email:
            return "manager_email", "An employee cannot be their own manager."
    if cell_text(cells.get("hire_date")):
        try:
            parse_date(cells["hire_date"])
        except ValueError:
            return "hire_date", "Not a date: use YYYY-MM-DD or DD.MM.YYYY."
    language = cell_text(cells.get("language")).lower()[:2]
    if language and language not in ("ru", "en"):
        return "language", "Language is ru or en."
    if any(len(g.strip()) > 200 for g in re.split(r"[;,|]", cell_text(cells.get("groups")))):
        return "groups", "A group name is at most 200 characters."
    department = cell_text(cells.get("department"))
    if department and any(len(part.strip()) > 200 for part in department.split("/")):
        return "department", "A department name is at most 200 characters."
    return None


def _plan(rows: list[Row], report: Report) -> list[Row]:
    """Match rows to existing people and classify them; refuse contradictions."""
    by_email = {
        e.user.email: e
        for e in Employee.objects.select_related("user", "department", "manager__user").filter(
            user__email__in=[r.email for r in rows]
        )
    }
    by_id = {
        e.employee_id: e
        for e in Employee.objects.select_related("user", "department", "manager__user").filter(
            employee_id__in=[r.values["employee_id"] for r in rows if r.values.get("employee_id")]
        )
    }
    group_names = {g.pk: g.name.lower() for g in Group.objects.all()}
    import_groups: dict[int, set[str]] = {}
    manual_groups: dict[int, set[str]] = {}
    for employee_id, group_id, source in Membership.objects.filter(
        employee__in=list(by_email.values()) + list(by_id.values())
    ).values_list("employee_id", "group_id", "source"):
        target = import_groups if source == MembershipSource.IMPORT else manual_groups
        target.setdefault(employee_id, set()).add(group_names[group_id])
    matched: dict[int, int] = {}
    file_emails = {r.email for r in rows}
    known_managers = set(
        User.objects.filter(email__in={r.manager_email for r in rows if r.manager_email}).values_list(
            "email", flat=True
        )
    )
    planned: list[Row] = []
    for row in rows:
        match_id = by_id.get(row.values.get("employee_id") or "")
        match_email = by_email.get(row.email)
        if match_id and match_email and match_id.pk != match_email.pk:
            report.add(row.line, "employee_id", "This employee id and this e-mail belong to two different people.")
            continue
        if row.manager_email and row.manager_email not in file_emails and row.manager_email not in known_managers:
            report.add(
                row.line, "manager_email", f"Manager {row.manager_email} is neither in the file nor an employee."
            )
            continue
        employee = match_id or match_email
        if employee is not None and employee.pk in matched:
            report.add(row.line, "email", f"Row {matched[employee.pk]} already updates this person.")
            continue
        if employee is not None and employee.user.email != row.email and employee.user.role != Role.LEARNER:
            # an e-mail is a login: HR managers' and admins' addresses change on their profile only
            report.add(row.line, "email", "The e-mail of an HR manager or admin cannot be changed by an import.")
            continue
        row.employee = employee
        if employee is None:
            row.action = "create"
        else:
            matched[employee.pk] = row.line
            row.changes = _changes(
                employee, row, import_groups.get(employee.pk, set()), manual_groups.get(employee.pk, set())
            )
            row.action = "update" if row.changes else "unchanged"
        planned.append(row)
    return planned


def _changes(employee: Employee, row: Row, current_import_groups: set[str], manual_groups: set[str]) -> dict[str, Any]:
    user = employee.user
    changes: dict[str, Any] = {}
    if user.email != row.email:
        changes["email"] = row.email
    for name in ("first_name", "last_name", "language"):
        if name in row.values and row.values[name] != getattr(user, name):
            changes[name] = row.values[name]
    for name in ("employee_id", "title", "location", "hire_date"):
        if name in row.values and row.values[name] != getattr(employee, name):
            changes[name] = row.values[name]
    if "department" in row.values:
        current = employee.department.path if employee.department else ""
        wanted = "/".join(p.strip() for p in row.values["department"].split("/") if p.strip())
        if wanted != current:
            changes["department"] = wanted
    # after a sync the import owns the listed groups the person was not already in by hand
    if row.groups is not None and {g.lower() for g in row.groups} - manual_groups != current_import_groups:
        changes["groups"] = row.groups
    if row.manager_email is not None:
        current_manager = employee.manager.user.email if employee.manager_id and employee.manager else None
        if current_manager != row.manager_email:
            changes["manager_email"] = row.manager_email
    return changes


def start_import(*, filename: str, content: bytes, dry_run: bool, send_invitations: bool, actor: User) -> ImportJob:
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(f"Files up to {MAX_FILE_BYTES // (1024 * 1024)} MB can be imported.")
    if not content:
        raise DomainError("The file is empty.", code="empty_file", fields={"file": ["Empty file."]})
    job = ImportJob.objects.create(
        filename=filename[:255] or "upload",
        content=content,
        dry_run=dry_run,
        send_invitations=send_invitations,
        created_by_id=actor.pk,
        created_by_email=actor.email,
    )
    audit.record("import.started", actor=actor, target=job.filename, dry_run=dry_run, bytes=len(content))
    from ..tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def run(job_id: int) -> ImportJob:
    """The Celery task body. Safe to re-run: a finished job is returned as is, a job interrupted
    mid-way resumes (already-applied rows are then "unchanged")."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    try:
        return _run(job)
    except Exception:
        logger.exception("import %s failed", job.pk)
        _finish(
            job,
            status=ImportStatus.FAILED,
            file_error={
                "code": "internal_error",
                "message": "The import stopped on an unexpected error; "
                "rows before it may have been applied. Re-run it: imports are idempotent.",
            },
        )
        return job


def _run(job: ImportJob) -> ImportJob:
    report = Report()
    try:
        sheet = read(bytes(job.content), job.filename)
        mapping = map_columns(sheet.header)
    except FileProblem as problem:
        _finish(job, status=ImportStatus.FAILED, file_error=problem.as_dict())
        return job
    job.file_format, job.encoding, job.total_rows = sheet.file_format, sheet.encoding, len(sheet.rows)
    ImportJob.objects.filter(pk=job.pk).update(
        file_format=job.file_format, encoding=job.encoding, total_rows=job.total_rows
    )
    rows = _plan(_validate(sheet, mapping, report), report)
    _seat_check(rows, report)
    rows = [r for r in rows if r.action != "refused"]
    counts = {a: sum(1 for r in rows if r.action == a) for a in ("create", "update", "unchanged")}
    if job.dry_run:
        _finish(job, status=ImportStatus.DONE, counts=counts, report=report, processed=job.total_rows)
        return job
    touched: list[int] = []
    created_users: list[User] = []
    departments: dict[str, int | None] = {"": None}  # path -> id, shared by the batches
    done = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        with transaction.atomic():
            people.lock_seats()
            refused = _apply_batch(chunk, touched, created_users, report, departments)
        counts["create"] -= len(refused)
        done += len(chunk)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(job.total_rows, done + report.failed))
    with transaction.atomic():
        _link_managers(rows, report, counts)
        people._apply_rules_for(touched)
        if job.send_invitations:
            _invite(created_users, job)
        audit.record(
            "import.finished",
            target=job.filename,
            created=counts["create"],
            updated=counts["update"],
            failed=report.failed,
            by=job.created_by_email,
        )
    _finish(job, status=ImportStatus.DONE, counts=counts, report=report, processed=job.total_rows)
    return job


def _seat_check(rows: list[Row], report: Report) -> None:
    usage = people.seat_usage()
    free = usage.available
    for row in rows:
        if row.action != "create":
            continue
        if free <= 0:
            report.add(row.line, "email", f"No free seat: {usage.used} of {usage.limit} in use.")
            row.action = "refused"
            continue
        free -= 1


def _apply_batch(
    rows: list[Row],
    touched: list[int],
    created_users: list[User],
    report: Report,
    departments: dict[str, int | None],
) -> list[Row]:
    for row in rows:
        path = "/".join(p.strip() for p in str(row.values.get("department") or "").split("/") if p.strip())
        if path not in departments:
            departments[path] = people.ensure_department_path(path).pk
    groups = _ensure_groups({g for r in rows for g in (r.groups or [])})

    new_rows = [r for r in rows if r.action == "create"]
    refused: list[Row] = []
    free = people.seat_usage().available  # re-checked under the seat lock
    if len(new_rows) > free:
        refused = new_rows[free:]
        new_rows = new_rows[:free]
        for row in refused:
            report.add(row.line, "email", "No free seat left (seats changed during the import).")
            row.action = "refused"
    users = []
    for row in new_rows:
        user = User(
            email=row.email,
            first_name=row.values.get("first_name", ""),
            last_name=row.values.get("last_name", ""),
            language=row.values.get("language", "ru"),
            role=Role.LEARNER,
            is_active=False,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    created_users.extend(users)
    employees = []
    for row, user in zip(new_rows, users, strict=True):
        path = "/".join(p.strip() for p in str(row.values.get("department") or "").split("/") if p.strip())
        employee = Employee(
            user=user,
            employee_id=row.values.get("employee_id", ""),
            title=row.values.get("title", ""),
            location=row.values.get("location", ""),
            hire_date=row.values.get("hire_date"),
            department_id=departments[path],
        )
        employees.append(employee)
        row.employee = employee
    Employee.objects.bulk_create(employees)

    user_updates: list[User] = []
    employee_updates: list[Employee] = []
    user_fields: set[str] = set()
    employee_fields: set[str] = set()
    for row in rows:
        if row.action != "update" or row.employee is None:
            continue
        employee, user = row.employee, row.employee.user
        for name in ("email", "first_name", "last_name", "language"):
            if name in row.changes:
                setattr(user, name, row.changes[name])
                user_fields.add(name)
        for name in ("employee_id", "title", "location", "hire_date"):
            if name in row.changes:
                setattr(employee, name, row.changes[name])
                employee_fields.add(name)
        if "department" in row.changes:
            employee.department_id = departments[row.changes["department"]]
            employee_fields.add("department")
        user_updates.append(user)
        employee_updates.append(employee)
    if user_fields:
        User.objects.bulk_update(user_updates, sorted(user_fields))
    for row in rows:
        if row.action == "update" and row.employee is not None and "email" in row.changes:
            revoke_all(row.employee.user)  # a changed login address signs the old sessions out
    if employee_fields:
        Employee.objects.bulk_update(employee_updates, sorted(employee_fields | {"updated_at"}))

    _sync_import_groups([r for r in rows if r.action != "refused" and r.groups is not None], groups)
    touched.extend(r.employee.user_id for r in rows if r.employee is not None and r.action in ("create", "update"))
    return refused


def _ensure_groups(names: Iterable[str]) -> dict[str, int]:
    wanted = {n.strip()[:200] for n in names if n.strip()}
    existing = {name: pk for pk, name in Group.objects.annotate(lname=Lower("name")).values_list("pk", "lname")}
    missing = {n for n in wanted if n.lower() not in existing}
    if missing:
        Group.objects.bulk_create([Group(name=n) for n in sorted(missing)], ignore_conflicts=True)
        existing = {name: pk for pk, name in Group.objects.annotate(lname=Lower("name")).values_list("pk", "lname")}
    return existing


def _sync_import_groups(rows: list[Row], groups: dict[str, int]) -> None:
    """The file is the truth for memberships it created; memberships added by hand stay."""
    employee_ids = [r.employee.pk for r in rows if r.employee is not None]
    if not employee_ids:
        return
    wanted = {(r.employee.pk, groups[g.lower()]) for r in rows if r.employee is not None for g in (r.groups or [])}
    current = set(Membership.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "group_id"))
    stale = (
        set(
            Membership.objects.filter(employee_id__in=employee_ids, source=MembershipSource.IMPORT).values_list(
                "employee_id", "group_id"
            )
        )
        - wanted
    )
    for employee_id, group_id in stale:
        Membership.objects.filter(employee_id=employee_id, group_id=group_id).delete()
    Membership.objects.bulk_create(
        [Membership(employee_id=e, group_id=g, source=MembershipSource.IMPORT) for e, g in sorted(wanted - current)],
        ignore_conflicts=True,
    )


def _link_managers(rows: list[Row], report: Report, counts: dict[str, int]) -> None:
    wanted = [r for r in rows if r.manager_email is not None and r.employee is not None and r.action != "refused"]
    if not wanted:
        return
    managers = dict(
        Employee.objects.filter(user__email__in={r.manager_email for r in wanted}).values_list("user__email", "pk")
    )
    chain: dict[int, int | None] = dict(Employee.objects.values_list("pk", "manager_id"))
    by_manager: dict[int, list[int]] = {}
    for row in wanted:
        assert row.employee is not None
        manager_id = managers.get(row.manager_email or "")
        if manager_id is None:
            report.add(row.line, "manager_email", f"Manager {row.manager_email} was not imported.")
            continue
        if row.employee.manager_id == manager_id:
            continue
        if _closes_cycle(chain, row.employee.pk, manager_id):
            report.add(row.line, "manager_email", "This manager reports (directly or not) to this employee.")
            continue
        chain[row.employee.pk] = manager_id
        row.employee.manager_id = manager_id
        by_manager.setdefault(manager_id, []).append(row.employee.pk)
    # one UPDATE per manager (a team), not one CASE expression over thousands of rows
    for manager_id, employee_ids in by_manager.items():
        Employee.objects.filter(pk__in=employee_ids).update(manager_id=manager_id)


def _closes_cycle(chain: dict[int, int | None], employee_id: int, manager_id: int) -> bool:
    seen: set[int] = set()
    current: int | None = manager_id
    while current is not None and current not in seen:
        if current == employee_id:
            return True
        seen.add(current)
        current = chain.get(current)
    return False


def _invite(users: list[User], job: ImportJob) -> None:
    from accounts.services.users import invite_user

    actor = User.objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    for user in users:
        invite_user(email=user.email, role=user.role, invited_by=actor, language=user.language)


def _finish(
    job: ImportJob,
    *,
    status: str,
    counts: dict[str, int] | None = None,
    report: Report | None = None,
    file_error: dict[str, str] | None = None,
    processed: int = 0,
) -> None:
    counts = counts or {}
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        created_count=counts.get("create", 0),
        updated_count=counts.get("update", 0),
        unchanged_count=counts.get("unchanged", 0),
        failed_count=report.failed if report else 0,
        errors=report.errors if report else [],
        file_error=file_error,
        processed_rows=processed,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    logger.info("import %s %s: %s", job.pk, status, counts or file_error)


def describe(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "filename": job.filename,
        "dry_run": job.dry_run,
        "status": job.status,
        "file_format": job.file_format,
        "encoding": job.encoding,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "progress_percent": 100
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED)
        else int(100 * job.processed_rows / job.total_rows)
        if job.total_rows
        else 0,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "failed": job.failed_count,
        "errors": job.errors,
        "file_error": job.file_error,
        "created_by": job.created_by_email,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
