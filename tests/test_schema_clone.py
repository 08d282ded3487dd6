"""The fast template clone reproduces the template exactly: names matter to future migrations."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tenants.services.schema_clone import UnsupportedTemplateObject, clone_schema

pytestmark = pytest.mark.django_db


def catalogue(schema):
    queries = {
        "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
        "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
        "constraints": "SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s ORDER BY 1, 2",
        "indexes": "SELECT tablename, indexname, replace(indexdef, schemaname || '.', '') FROM pg_indexes "
        "WHERE schemaname = %s ORDER BY 1, 2",
        "triggers": "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal ORDER BY 1, 2",
        "functions": "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s ORDER BY 1",
    }
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("SET search_path = pg_catalog")
        for key, sql in queries.items():
            cursor.execute(sql, [schema])
            result[key] = [tuple(str(v).replace(f"{schema}.", "") for v in row) for row in cursor.fetchall()]
        cursor.execute("SET search_path = public")
    return result


def row_count(schema: str, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
        return cursor.fetchone()[0]


def test_clone_is_structurally_identical_to_template():
    clone_schema("tenant_template", "clone_check")
    template, clone = catalogue("tenant_template"), catalogue("clone_check")
    assert template["columns"], "template has tables"
    for key in template:
        assert clone[key] == template[key], key
    for table in ("django_migrations", "django_content_type", "auth_permission"):
        assert row_count("clone_check", table) == row_count("tenant_template", table) > 0


def test_clone_foreign_keys_point_inside_the_new_schema():
    clone_schema("tenant_template", "clone_fk")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'clone_fk' AND c.contype = 'f'"
        )
        targets = [row[0] for row in cursor.fetchall()]
    assert targets
    # inside the clone, or the shared catalogue in public; never the template
    assert all(t.startswith(("clone_fk.", "public.")) or "." not in t for t in targets), targets
    assert any(t.startswith("clone_fk.") for t in targets)
    assert not any(t.startswith("tenant_template.") for t in targets)


def test_unsupported_template_objects_are_refused_not_skipped():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA odd_template")
        cursor.execute("CREATE TABLE odd_template.t (id int)")
        cursor.execute("CREATE VIEW odd_template.v AS SELECT id FROM odd_template.t")
    with pytest.raises(UnsupportedTemplateObject), transaction.atomic():
        clone_schema("odd_template", "odd_clone")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'odd_clone'")
        assert cursor.fetchone()[0] == 0
