"""Build a schema at a backup's migration state, and bring it forward afterwards.

The fast path of a restore clones the template (tenants/services/schema_clone.py), which is only
right when the backup was taken at the template's migration state. Backups are kept for weeks, so a
release with a migration in between is the normal case, not an exception: for it the restore builds
an empty schema migrated to exactly the backup's state, loads the rows there (columns match), checks
them, and then runs the ordinary tenant migrations forward, data migrations included, as
`migrate_platform` would have done to the live schema.

Refused (`BackupIncompatible`), before anything is created: a backup that records migrations this
release does not know (taken by a newer release, or a migration was deleted or squashed away), or an
inconsistent state (a migration without one of its dependencies).
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from lib.db import tenant_connection

from .errors import BackupIncompatible

State = tuple[tuple[str, str], ...]


def plan_for(state: State) -> list[tuple[str, str]]:
    """The migrations to apply, in dependency order, to reach `state` from an empty schema."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    wanted = set(state)
    unknown = sorted(node for node in wanted if node not in graph.nodes)
    if unknown:
        raise BackupIncompatible(
            "The backup records migrations this release does not have (taken by a newer release, or a "
            f"migration was removed): {', '.join(f'{app}.{name}' for app, name in unknown[:5])}"
        )
    ordered: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for node in sorted(wanted):
        for step in graph.forwards_plan(node):
            if step not in wanted:
                raise BackupIncompatible(f"The backup's migration state is inconsistent: {node} without {step}")
            if step not in seen:
                seen.add(step)
                ordered.append(step)
    return ordered


def build_at_state(schema: str, state: State) -> None:
    """Create `schema` and apply exactly the migrations of `state` (no post-migrate signals: the
    content types and permissions come from the backup)."""
    steps = plan_for(state)
    conn = tenant_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    try:
        # django_migrations must be created in the new schema, not found in public (as django-tenants does)
        conn.set_schema(schema, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        conn.set_schema(schema)
        executor = MigrationExecutor(connection)
        plan = [(executor.loader.graph.nodes[step], False) for step in steps]
        executor.migrate(steps, plan=plan)
    finally:
        conn.set_schema_to_public()


def migrate_forward(schema: str) -> None:
    """Every pending tenant migration, with post-migrate signals, exactly as for a live tenant."""
    call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
    tenant_connection().set_schema_to_public()
