"""One lock per tenant schema for backups and restores: a PostgreSQL advisory lock.

Why advisory and on a connection of its own: it locks no table (other tenants, and this tenant's
own requests, run on unhindered), it is released if the process dies, and it must survive the
restore's own connection being closed and reopened by the migration executor. Keyed by the schema
name (`hashtext`), so it also covers a restore `--as` a slug that has no tenant row yet. Two schemas
whose names collide in the hash would only make one of them wait for the other: never unsafe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection

from .errors import BackupBusy

LOCK_CLASS = 0x7E4B  # provisioning uses 0x7E4A


@contextmanager
def tenant_lock(schema: str) -> Iterator[None]:
    """Hold the schema's backup/restore lock, or raise `BackupBusy` at once if someone else does."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as lock_connection:
        row = lock_connection.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_CLASS, schema]).fetchone()
        if not row or not row[0]:
            raise BackupBusy(f"another backup or restore of {schema} is running; try again later")
        try:
            yield
        finally:
            lock_connection.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_CLASS, schema])
