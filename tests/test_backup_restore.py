"""Per-tenant logical backup and restore against the real PostgreSQL and the real local S3 (s3rver).

Every test provisions a throwaway tenant (`bk-<hex>`) through the real provisioning path and fills
it through the services (users, employees, departments, groups, enrolments, lesson progress with
binary coverage, audit events with addresses, an import file, two media objects). The seeded acme
and globex are only ever read, from a separate connection, to prove a restore leaves them as they
were and does not lock them. Objects written to the bucket are deleted afterwards; database changes
roll back with the test's transaction.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from config.celery import app as celery_app
from lib import storage
from lib.db import tenant_connection
from lib.errors import Conflict
from lms.catalog.models import Course
from lms.corporate.models import Employee, ImportJob
from lms.corporate.services import people
from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services.enrolment import enrol
from tenants.backup import store
from tenants.backup.dump import backup_tenant
from tenants.backup.errors import BackupBusy, BackupCorrupt, BackupIncompatible, BackupNotFound, RestoreFailed
from tenants.backup.inventory import BackupSummary, list_backups
from tenants.backup.locks import tenant_lock
from tenants.backup.restore import changed_tables, restore_tenant, verify_backup
from tenants.backup.retention import plan, prune
from tenants.backup.schemas import drop_expired, marked_schemas
from tenants.backup.tables import migration_state as schema_migrations
from tenants.backup.tables import schema_digests
from tenants.models import Domain, Tenant
from tenants.services.lifecycle import update_tenant
from tenants.services.provisioning import create_tenant, provision
from tenants.tasks import backup_all_tenants, backup_tenant_daily
from tests.conftest import HostClient
from tests.corporate_fixtures import article_course, complete_course, in_tenant
from tests.test_schema_clone import catalogue

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-2026"


@pytest.fixture(scope="module", autouse=True)
def bucket():
    if not settings.S3_ENDPOINT_URL:
        pytest.fail("S3_ENDPOINT_URL is not set: run `.venv/bin/python platform/launcher.py services-up` first")
    storage.ensure_bucket()
    assert store.bucket() == settings.S3_BUCKET_MEDIA  # tests: backups under backups/ in the test bucket
    return store.bucket()


@pytest.fixture
def cleanup():
    """Slugs whose backups and media the test created; deleted from the bucket afterwards."""
    slugs: list[str] = []
    yield slugs
    for slug in slugs:
        for prefix in (store.tenant_prefix(slug), f"tenants/{slug.replace('-', '_')}/"):
            keys = [item.key for item in store.list_objects(prefix, in_bucket=storage.bucket_name())]
            for key in keys:
                storage.delete_object(key)


def populate(tenant: Tenant) -> None:
    """Rows in many tables, with the awkward values COPY must carry: newlines, tabs, backslashes,
    Cyrillic, NULLs, bytea with every kind of byte, inet, JSON, floats."""
    course = article_course(f"{tenant.slug}-course", lessons=2, license_to=tenant.slug)
    with in_tenant(tenant.slug):
        admin = User.objects.create_user(
            email=f"boss@{tenant.slug}.test", password=PASSWORD, role="tenant_admin", first_name="Ольга"
        )
        retail = people.ensure_department_path("Розница/Москва")
        design = people.ensure_department_path("Design")
        group = people.create_group("Newcomers", "line one\nline\ttwo \\ back", actor=admin)
        for index in range(6):
            people.create_employee(
                people.EmployeeInput(
                    email=f"e{index}@{tenant.slug}.test",
                    first_name=f"Имя{index}",
                    last_name="O'Brien" if index % 2 else "",
                    title="Продавец\nконсультант" if index == 0 else "",
                    department_id=(retail if index % 2 else design).pk,
                    group_ids=[group.pk],
                ),
                actor=admin,
            )
        for user in User.objects.filter(email__startswith="e"):
            enrol(user, course, source="admin")
        User.objects.filter(email=f"e1@{tenant.slug}.test").update(is_active=True)
        complete_course(f"e1@{tenant.slug}.test", course, tenant=tenant.slug)
        LessonProgress.objects.update(coverage=bytes(range(256)) + b"\n\\\t\r", watched_seconds=12.345678901)
        AuditEvent.objects.create(action="test.event", ip="10.1.2.3", details={"ключ": ["значение", None, 1.5]})
        ImportJob.objects.create(filename="staff.csv", content=b"email\r\na@b.c\x00\xff", errors=[{"row": 1}])
        store_ = storages["media"]
        store_.save("files/handbook.pdf", ContentFile(b"%PDF-1.7 handbook"))
        store_.save("files/policy.pdf", ContentFile(b"%PDF-1.7 policy"))


@pytest.fixture
def school(cleanup) -> Tenant:
    slug = f"bk-{uuid.uuid4().hex[:8]}"
    cleanup.append(slug)
    created = create_tenant(slug=slug, name="Backup School", admin_email="", seats=100, enqueue=False)
    tenant = provision(created.pk)
    assert tenant is not None and tenant.status == "active"
    populate(tenant)
    tenant_connection().set_schema_to_public()
    run_deferred_checks()
    return tenant


def run_deferred_checks() -> None:
    """Fire the foreign-key checks this test's open transaction has deferred. In production a
    restore runs in a transaction of its own; here it shares the test's, and PostgreSQL refuses DDL
    (adding a foreign key) on a table with pending deferred checks (the public course rows the
    fixture made)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def outside_digests(schema: str):
    """Table digests read by another session: sees only committed data, proves nothing was changed."""
    with psycopg.connect(**connection.get_connection_params()) as other, other.transaction(), other.cursor() as cur:
        return schema_digests(cur, schema)


def digests(schema: str, tables=None):
    with connection.cursor() as cursor:
        return schema_digests(cursor.cursor, schema, tables)


def assert_matches_manifest(schema: str, manifest, *, migrated: bool = False) -> None:
    """Every table holds exactly the backup's rows (its columns, as recorded); after a forward
    migration django_migrations has the newer rows on top."""
    entries = [entry for entry in manifest.tables if not (migrated and entry.name == "django_migrations")]
    live = digests(schema, [entry.table for entry in entries])
    for entry in entries:
        assert live[entry.name].rows == entry.rows, entry.name
        assert live[entry.name].checksum == entry.checksum, entry.name
    assert changed_tables(schema, entries) == []


def schemas_named(pattern: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY 1", [pattern])
        return [row[0] for row in cursor.fetchall()]


# --- backup -------------------------------------------------------------------------------------


def test_backup_dumps_every_table_with_counts_checksums_and_media(school):
    sent: list[dict] = []

    def record(params, **kwargs):
        sent.append(params)

    events = storage.client().meta.events
    events.register("before-parameter-build.s3.PutObject", record)
    try:
        result = backup_tenant(school.slug)
    finally:
        events.unregister("before-parameter-build.s3.PutObject", record)
    manifest = result.manifest
    assert manifest is not None and not result.skipped

    live = digests(school.schema_name)
    assert {entry.name for entry in manifest.tables} == set(live)
    for entry in manifest.tables:
        assert (entry.rows, entry.checksum) == (live[entry.name].rows, live[entry.name].checksum), entry.name
    rows = {entry.name: entry.rows for entry in manifest.tables}
    assert rows["corporate_employee"] == 7 and rows["learning_lessonprogress"] == 2
    assert rows["django_migrations"] > 0 and rows["accounts_auditevent"] > 0
    assert manifest.migrations and ("learning", "0002_enrolment_archived_at") in manifest.migrations
    assert manifest.media.objects == 2
    assert manifest.tenant["slug"] == school.slug

    # server-side encryption is requested on every object (s3rver ignores it; Selectel applies it)
    assert sent and all(params.get("ServerSideEncryption") == "AES256" for params in sent)
    assert manifest.encryption == "AES256"

    # what is in the bucket is what the manifest says, and it decompresses to the dump
    employee = next(entry for entry in manifest.tables if entry.name == "corporate_employee")
    body = (
        storage.client()
        .get_object(Bucket=store.bucket(), Key=store.backup_prefix(school.slug, result.backup_id) + employee.object)[
            "Body"
        ]
        .read()
    )
    assert len(body) == employee.object_size
    assert gzip.decompress(body).count(b"\n") == 7
    [summary] = list_backups(school.slug)
    assert summary.complete and summary.id == result.backup_id
    assert verify_backup(school.slug, "latest", against_live=True).changed_since == []


# --- restore in place -----------------------------------------------------------------------------


def locked_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT n.nspname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'"
        )
        return {row[0] for row in cursor.fetchall()}


def test_restore_in_place_brings_back_the_backup_and_touches_no_other_tenant(school, acme, globex):
    schema = school.schema_name
    globex_before, acme_before = outside_digests("globex"), outside_digests("acme")
    manifest = backup_tenant(school.slug).manifest
    assert manifest is not None

    # change and delete data in several tables, and a media object
    with in_tenant(school.slug):
        gone = Employee.objects.select_related("user").filter(user__email__startswith="e")[:2]
        for employee in list(gone):
            employee.user.delete()
        User.objects.filter(email=f"e3@{school.slug}.test").update(first_name="Changed", last_name="Name")
        Enrolment.objects.filter(user__email=f"e4@{school.slug}.test").delete()
        people.create_department("Logistics", parent_id=None, actor=User.objects.get(email=f"boss@{school.slug}.test"))
        newcomer = User.objects.create_user(email=f"late@{school.slug}.test", role="learner")
        AuditEvent.objects.create(action="test.after_backup")
        storages["media"].delete("files/policy.pdf")
    run_deferred_checks()
    highest_user_id = newcomer.pk
    assert set(changed_tables(schema, manifest.tables)) >= {
        "accounts_user",
        "corporate_employee",
        "corporate_department",
        "learning_enrolment",
        "accounts_auditevent",
    }

    result = restore_tenant(school.slug, manifest.id)

    assert (result.mode, result.path, result.slug, result.schema) == ("in_place", "clone", school.slug, schema)
    assert_matches_manifest(schema, manifest)  # row counts and content checksums of every table
    restored, template = catalogue(schema), catalogue("tenant_template")
    for key in template:  # same tables, columns, constraints, indexes, triggers, functions, by name
        assert restored[key] == template[key], key
    with in_tenant(school.slug):
        assert not User.objects.filter(email=f"late@{school.slug}.test").exists()
        assert User.objects.get(email=f"e3@{school.slug}.test").last_name == "O'Brien"
        assert Employee.objects.count() == 7
        again = User.objects.create_user(email=f"after@{school.slug}.test", role="learner")
        assert again.pk > highest_user_id  # no id the replaced schema handed out is ever reused
    # the replaced schema is kept aside, with the changes made after the backup
    assert result.replaced_schema and result.replaced_schema.startswith(f"{schema}__replaced_")
    with schema_context(result.replaced_schema):
        assert User.objects.filter(email=f"late@{school.slug}.test").exists()
    assert not schemas_named(f"{schema}\\_\\_restore\\_%")
    # media: the manifest's objects are checked; the deleted one is reported
    assert result.media.recorded == 2 and result.media.present == 1
    assert result.media.missing == [f"tenants/{schema}/files/policy.pdf"]
    # the host still serves the tenant, from the restored schema
    client = HostClient(f"{school.slug}.localhost").as_user(f"e1@{school.slug}.test")
    assert client.get("/api/me/").json()["email"] == f"e1@{school.slug}.test"
    # audit of the control plane
    connection.set_schema_to_public()
    assert AuditEvent.objects.filter(action="tenant.restored", target=school.slug).exists()

    # no other tenant was touched or locked: nothing of acme or globex was locked by this session
    # (it still holds every lock the restore took: the test's transaction is open), another session
    # can lock all of globex at once, and their contents are unchanged
    assert not locked_schemas() & {"acme", "globex"}
    with psycopg.connect(**connection.get_connection_params()) as other, other.transaction():
        names = [row[0] for row in other.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'globex'")]
        other.execute("SET LOCAL lock_timeout = '1s'")
        other.execute(
            "LOCK TABLE " + ", ".join(f'globex."{name}"' for name in names) + " IN ACCESS EXCLUSIVE MODE NOWAIT"
        )
    assert outside_digests("globex") == globex_before
    assert outside_digests("acme") == acme_before

    # grace period: the replaced schema survives a day, not the configured grace
    assert drop_expired(timezone.now() + timedelta(days=1)) == []
    later = timezone.now() + timedelta(days=settings.BACKUP_REPLACED_SCHEMA_GRACE_DAYS, minutes=1)
    assert drop_expired(later) == [result.replaced_schema]
    assert not schemas_named(result.replaced_schema)


def test_restore_with_drop_replaced_and_a_lost_schema(school):
    manifest = backup_tenant(school.slug).manifest
    result = restore_tenant(school.slug, "latest", drop_replaced=True)
    assert result.replaced_dropped and not schemas_named(f"{school.schema_name}\\_\\_%")
    # the live schema is gone altogether: the restore recreates it under its name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{school.schema_name}" CASCADE')
    result = restore_tenant(school.slug, manifest.id)
    assert result.replaced_schema is None
    assert_matches_manifest(school.schema_name, manifest)


# --- restore as a new tenant -------------------------------------------------------------------


def test_restore_as_new_slug_creates_a_suspended_copy_that_serves_its_own_host(school, cleanup):
    original = digests(school.schema_name)
    out = call_command_output("backup_tenant", school.slug)
    assert "backup" in out and "manifest:" in out
    manifest = backup_tenant(school.slug, pinned=True).manifest  # the copy comes from the second one
    copy_slug = f"{school.slug}-copy"
    cleanup.append(copy_slug)

    out = call_command_output("restore_tenant", school.slug, "--from", manifest.id, "--as", copy_slug, "--noinput")
    assert f"into {copy_slug}" in out and "new_tenant" in out

    copy = Tenant.objects.get(slug=copy_slug)
    assert copy.status == "suspended" and copy.schema_name == copy_slug.replace("-", "_")
    assert list(Domain.objects.filter(tenant=copy).values_list("domain", flat=True)) == [f"{copy_slug}.localhost"]
    assert_matches_manifest(copy.schema_name, manifest)
    assert digests(school.schema_name) == original  # the source is untouched
    # media copied into the new tenant's prefix (storages["media"] names resolve there)
    with schema_context(copy.schema_name):
        assert storages["media"].exists("files/handbook.pdf") and storages["media"].exists("files/policy.pdf")

    host = HostClient(f"{copy_slug}.localhost")
    response = host.get("/api/branding/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "tenant_suspended"
    update_tenant(copy, status="active")
    assert host.get("/api/branding/").status_code == 200
    me = host.as_user(f"e1@{school.slug}.test").get("/api/me/")
    assert me.status_code == 200 and me.json()["email"] == f"e1@{school.slug}.test"
    # the original still serves its own host, with its own data
    assert HostClient(f"{school.slug}.localhost").get("/api/branding/").status_code == 200

    with pytest.raises(Conflict) as taken:
        restore_tenant(school.slug, manifest.id, as_slug=copy_slug)
    assert taken.value.code == "slug_taken"


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- failures leave the live schema untouched ---------------------------------------------------


def test_missing_backup_fails_clearly(school):
    before = digests(school.schema_name)
    with pytest.raises(BackupNotFound):
        restore_tenant(school.slug, "latest")  # no backup yet
    with pytest.raises(BackupNotFound):
        restore_tenant(school.slug, "20200101T000000Z-abcdef")
    with pytest.raises(CommandError, match="backup_not_found"):
        call_command("restore_tenant", school.slug, "--from", "20200101T000000Z-abcdef", "--noinput")
    assert digests(school.schema_name) == before
    assert not schemas_named(f"{school.schema_name}\\_\\_%")


def _corrupt(slug: str, backup_id: str, how: str) -> None:
    s3, prefix = storage.client(), store.backup_prefix(slug, backup_id)
    key = prefix + "data/corporate_employee.copy.gz"
    if how == "manifest":
        s3.put_object(Bucket=store.bucket(), Key=prefix + "manifest.json", Body=b'{"format": "ffs-tenant-backup", "ver')
    elif how == "missing-object":
        s3.delete_object(Bucket=store.bucket(), Key=key)
    elif how == "flipped-bytes":  # same size, so only the content checks can notice
        body = bytearray(s3.get_object(Bucket=store.bucket(), Key=key)["Body"].read())
        body[len(body) // 2] ^= 0xFF
        s3.put_object(Bucket=store.bucket(), Key=key, Body=bytes(body))
    elif how == "other-rows":  # a row less, in an object the manifest's size and SHA-256 agree with
        raw = gzip.decompress(s3.get_object(Bucket=store.bucket(), Key=key)["Body"].read())
        shorter = gzip.compress(b"".join(raw.splitlines(keepends=True)[:-1]))
        s3.put_object(Bucket=store.bucket(), Key=key, Body=shorter)
        manifest = json.loads(s3.get_object(Bucket=store.bucket(), Key=prefix + "manifest.json")["Body"].read())
        for table in manifest["tables"]:
            if table["name"] == "corporate_employee":
                table["object_size"], table["object_sha256"] = len(shorter), hashlib.sha256(shorter).hexdigest()
        s3.put_object(Bucket=store.bucket(), Key=prefix + "manifest.json", Body=json.dumps(manifest).encode())


@pytest.mark.parametrize("how", ["manifest", "missing-object", "flipped-bytes", "other-rows"])
def test_corrupt_backup_fails_clearly_and_leaves_the_live_schema_untouched(school, how):
    backup_id = backup_tenant(school.slug).backup_id
    _corrupt(school.slug, backup_id, how)
    before = digests(school.schema_name)
    with pytest.raises(BackupCorrupt) as error:
        restore_tenant(school.slug, backup_id)
    assert error.value.code == "backup_corrupt" and error.value.message
    assert digests(school.schema_name) == before
    assert not schemas_named(f"{school.schema_name}\\_\\_%")  # the work schema was dropped
    with pytest.raises(BackupCorrupt):
        verify_backup(school.slug, backup_id)


# --- migration state ---------------------------------------------------------------------------


def test_backup_from_an_older_migration_state_is_restored_then_migrated_forward(school):
    call_command(
        "migrate_schemas",
        "learning",
        "0001",
        schema_name=school.schema_name,
        tenant=True,
        interactive=False,
        verbosity=0,
    )
    connection.set_schema_to_public()
    manifest = backup_tenant(school.slug).manifest
    assert ("learning", "0002_enrolment_archived_at") not in manifest.migrations

    result = restore_tenant(school.slug, manifest.id)

    assert result.path == "migrate"
    assert_matches_manifest(school.schema_name, manifest, migrated=True)  # the backup's columns, its rows
    with connection.cursor() as cursor:
        states = [schema_migrations(cursor.cursor, name) for name in (school.schema_name, "tenant_template")]
    assert states[0] == states[1]  # migrated forward to the current state
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'learning_enrolment' AND column_name = 'archived_at'",
            [school.schema_name],
        )
        assert cursor.fetchone()[0] == 1  # and the schema is current again
    with in_tenant(school.slug):
        assert Enrolment.objects.current().count() == 6


def test_backup_recording_unknown_migrations_is_refused_before_anything_is_built(school):
    result = backup_tenant(school.slug)
    key = result.key
    document = json.loads(storage.client().get_object(Bucket=store.bucket(), Key=key)["Body"].read())
    document["migrations"].append(["learning", "9999_from_the_future"])
    store.put_json(key, document)
    with pytest.raises(BackupIncompatible, match="9999_from_the_future"):
        restore_tenant(school.slug, result.backup_id)
    assert not schemas_named(f"{school.schema_name}\\_\\_%")


# --- locking -----------------------------------------------------------------------------------


def test_one_backup_or_restore_per_tenant_at_a_time_others_proceed(school, globex, cleanup):
    with tenant_lock(school.schema_name):
        with pytest.raises(BackupBusy):
            backup_tenant(school.slug)
        with pytest.raises(BackupBusy):
            restore_tenant(school.slug, "20200101T000000Z-abcdef")
        other = backup_tenant("globex")  # another tenant is not held up
    try:
        assert other.manifest is not None and other.manifest.schema == "globex"
    finally:
        store.delete_prefix(store.backup_prefix("globex", other.backup_id))
    assert backup_tenant(school.slug).manifest is not None  # released


# --- retention ---------------------------------------------------------------------------------


def _summary(moment: datetime, *, complete: bool = True, pinned: bool = False, suffix: str = "000000") -> BackupSummary:
    return BackupSummary(
        id=f"{moment:%Y%m%dT%H%M%SZ}-{suffix}", created_at=moment, complete=complete, pinned=pinned, objects=3, bytes=1
    )


def test_retention_keeps_seven_daily_and_four_weekly():
    now = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # a Wednesday
    nightly = [_summary(datetime(2026, 1, 1, 1, 30, tzinfo=UTC) + timedelta(days=n)) for n in range(77)]  # to Mar 18
    manual = _summary(datetime(2026, 3, 17, 15, 0, tzinfo=UTC), suffix="aaaaaa")  # a second one on Mar 17
    pinned = _summary(datetime(2026, 1, 10, 12, 0, tzinfo=UTC), pinned=True, suffix="bbbbbb")
    stale = _summary(datetime(2026, 3, 16, 1, 30, tzinfo=UTC), complete=False, suffix="cccccc")
    running = _summary(datetime(2026, 3, 18, 1, 45, tzinfo=UTC), complete=False, suffix="dddddd")
    decided = plan([*nightly, manual, pinned, stale, running], now=now, keep_daily=7, keep_weekly=4)

    kept_days = sorted({backup_id[:8] for backup_id in decided.keep})
    # 7 daily: Mar 12..18 (Mar 17: the newest of that day, the manual one)
    daily = [f"202603{day}" for day in range(12, 19)]
    # 4 weekly, the newest of each ISO week before the dailies' weeks (Mon Mar 9 on): Sundays
    weekly = ["20260215", "20260222", "20260301", "20260308"]
    assert kept_days == sorted({*daily, *weekly, "20260110"})
    assert manual.id in decided.keep and f"{datetime(2026, 3, 17, 1, 30):%Y%m%dT%H%M%SZ}-000000" in decided.delete
    assert decided.keep[pinned.id] == ["pinned"]
    assert running.id in decided.keep and stale.id in decided.delete
    assert "latest" in decided.keep[f"{datetime(2026, 3, 18, 1, 30):%Y%m%dT%H%M%SZ}-000000"]
    assert decided.keep[f"{datetime(2026, 3, 8, 1, 30):%Y%m%dT%H%M%SZ}-000000"] == ["weekly 2026-W10"]
    assert len(decided.keep) == 7 + 4 + 1 + 1  # daily, weekly, pinned, running
    # nothing is pruned by the passage of time alone: after 40 days without backups, 11 remain
    later = plan(nightly, now=now + timedelta(days=40), keep_daily=7, keep_weekly=4)
    assert len(later.keep) == 11


def test_prune_deletes_what_the_plan_does_not_keep(cleanup):
    slug = f"bk-ret-{uuid.uuid4().hex[:6]}"
    cleanup.append(slug)
    start = datetime(2026, 1, 1, 1, 30, tzinfo=UTC)
    ids = [f"{start + timedelta(days=n):%Y%m%dT%H%M%SZ}-{n:06x}" for n in range(30)]
    for backup_id in ids:
        store.put_json(store.backup_prefix(slug, backup_id) + "manifest.json", {"fake": True})
        store.put_json(store.backup_prefix(slug, backup_id) + "data/x.copy.gz", {"fake": True})
    decided = prune(slug, now=start + timedelta(days=29, hours=1))
    remaining = [backup.id for backup in list_backups(slug)]
    assert remaining == sorted(decided.keep) and len(remaining) == 7 + 3
    assert ids[-1] in remaining and ids[0] not in remaining


# --- the nightly schedule -------------------------------------------------------------------------


def test_nightly_beat_entry_fans_out_one_idempotent_backup_per_active_tenant(school, monkeypatch):
    entry = settings.CELERY_BEAT_SCHEDULE["tenant-backups"]
    assert entry["task"] == "tenants.tasks.backup_all_tenants" and entry["task"] in celery_app.tasks
    assert celery_app.amqp.router.route({}, "tenants.tasks.backup_tenant_daily")["queue"].name == "default"

    queued: list[tuple] = []
    monkeypatch.setattr(backup_tenant_daily, "apply_async", lambda args=(), **kw: queued.append(args))
    suspended = create_tenant(slug=f"{school.slug}-off", name="Off", admin_email="", seats=1, enqueue=False)
    provision(suspended.pk)
    update_tenant(Tenant.objects.get(pk=suspended.pk), status="suspended")
    count = backup_all_tenants()
    active = set(Tenant.objects.filter(kind="corporate", status="active").values_list("slug", flat=True))
    assert count == len(active) and {args[0] for args in queued} == active
    assert school.slug in active and suspended.slug not in active
    monkeypatch.undo()

    first = backup_tenant_daily.apply(args=(school.slug,)).get()
    second = backup_tenant_daily.apply(args=(school.slug,)).get()
    assert first.endswith(":done:pruned=0") and second.endswith(":skipped:pruned=0")
    [backup] = list_backups(school.slug)
    assert backup.complete and backup.day == f"{timezone.now().astimezone(UTC):%Y%m%d}"


def test_abandoned_work_schemas_are_dropped_after_a_day(school):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{school.schema_name}__restore_20200101000000"')
        cursor.execute(
            f'COMMENT ON SCHEMA "{school.schema_name}__restore_20200101000000" IS %s',
            [json.dumps({"ffs_backup": "restoring", "at": timezone.now().isoformat()})],
        )
        cursor.execute(f'CREATE SCHEMA "{school.schema_name}__replaced_20200101000000"')  # unmarked: never dropped
    assert [name for name, _ in marked_schemas()] == [f"{school.schema_name}__restore_20200101000000"]
    assert drop_expired(timezone.now() + timedelta(hours=2)) == []
    with tenant_lock(school.schema_name):  # a restore of that tenant still running: left alone
        assert drop_expired(timezone.now() + timedelta(days=1, minutes=1)) == []
    assert drop_expired(timezone.now() + timedelta(days=1, minutes=1)) == [
        f"{school.schema_name}__restore_20200101000000"
    ]
    assert schemas_named(f"{school.schema_name}\\_\\_%") == [f"{school.schema_name}__replaced_20200101000000"]


def test_data_that_does_not_verify_after_loading_is_refused(school):
    """The manifest's per-table checksum is what the loaded schema must give back: a forged one (the
    file and its stream digest still agree) stops the restore at verification."""
    result = backup_tenant(school.slug)
    document = json.loads(storage.client().get_object(Bucket=store.bucket(), Key=result.key)["Body"].read())
    for table in document["tables"]:
        if table["name"] == "accounts_user":
            table["checksum"] = "0" * 64
    store.put_json(result.key, document)
    before = digests(school.schema_name)
    with pytest.raises(RestoreFailed, match=r"verification failed: tables \['accounts_user'\]"):
        restore_tenant(school.slug, result.backup_id)
    assert digests(school.schema_name) == before
    assert not schemas_named(f"{school.schema_name}\\_\\_%")


def test_rows_referencing_public_rows_deleted_since_are_refused(school):
    backup_id = backup_tenant(school.slug).backup_id
    with in_tenant(school.slug):
        Enrolment.objects.all().delete()
    course_id = Course.objects.get(slug=f"{school.slug}-course").pk
    with connection.cursor() as cursor:  # SQL: the ORM's collector would look for tenant tables in public
        for table in ("catalog_course_authors", "catalog_courselicense", "catalog_lesson", "catalog_module"):
            cursor.execute(f"DELETE FROM public.{table} WHERE course_id = %s", [course_id])
        cursor.execute("DELETE FROM public.catalog_course WHERE id = %s", [course_id])
    run_deferred_checks()
    with pytest.raises(RestoreFailed, match="break a constraint"):
        restore_tenant(school.slug, backup_id)
    assert not schemas_named(f"{school.schema_name}\\_\\_%")


def test_large_streams_go_up_in_parts_and_come_back_checked(cleanup):
    """Above one part (8 MiB compressed) an upload is multipart, with bounded memory; the download
    checks size and SHA-256 and notices truncation."""
    slug = f"bk-big-{uuid.uuid4().hex[:6]}"
    cleanup.append(slug)
    key = store.backup_prefix(slug, "20260101T000000Z-000000") + "data/big.copy.gz"
    chunks = [os.urandom(1024 * 1024) for _ in range(19)]  # incompressible: 19 MiB, three parts
    calls: list[str] = []

    def record(params, **kwargs):
        calls.append("part")

    events = storage.client().meta.events
    events.register("before-parameter-build.s3.UploadPart", record)
    try:
        upload = store.CompressedUpload(key)
        for chunk in chunks:
            upload.write(chunk)
        stored = upload.finish()
    finally:
        events.unregister("before-parameter-build.s3.UploadPart", record)
    assert len(calls) == 3 and stored.size == store.head_size(key)
    assert b"".join(store.CompressedDownload(key, size=stored.size, sha256=stored.sha256)) == b"".join(chunks)
    with pytest.raises(BackupCorrupt, match="SHA-256"):
        list(store.CompressedDownload(key, sha256="0" * 64))
    body = storage.client().get_object(Bucket=store.bucket(), Key=key)["Body"].read()
    storage.client().put_object(Bucket=store.bucket(), Key=key, Body=body[: len(body) // 2])
    with pytest.raises(BackupCorrupt, match="truncated"):
        list(store.CompressedDownload(key))
