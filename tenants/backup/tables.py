"""One schema's tables as COPY streams: catalogue, deterministic text output, row checksums.

Every statement names its schema explicitly and runs on the raw psycopg cursor of Django's
connection, so it shares the caller's transaction (the backup's snapshot, the restore's load) and
never depends on the search_path django-tenants sets.

Checksums. For each table a dump records the row count, the SHA-256 of the stream as written (it
proves the file read back is the file written) and a content checksum: the sum, modulo 2^256, of the
SHA-256 of every row's COPY line. The sum does not depend on row order, so a restored table, whose
physical order is the load order, or a live table whose rows were rewritten in place by VACUUM or an
UPDATE to the same values, checks equal exactly when it holds the same multiset of rows. It is an
integrity check against corruption and mistakes, not a cryptographic commitment.

COPY's text output depends on session settings (time zone, date and interval styles, float digits,
bytea format); `deterministic_output` pins them so the same rows always print the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from django.db import connection
from psycopg import sql

from .errors import BackupIncompatible

MODULUS = 1 << 256
OUTPUT_SETTINGS = (
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO, YMD"),
    ("IntervalStyle", "postgres"),
    ("extra_float_digits", "1"),
    ("bytea_output", "hex"),
)
SUPPORTED_RELKINDS = {"r", "i", "S"}  # tables, their indexes, sequences they own


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class OwnedSequence:
    table: str
    column: str
    name: str


@dataclass(frozen=True)
class TableDigest:
    rows: int
    stream_sha256: str
    checksum: str


@contextmanager
def raw_cursor() -> Iterator[psycopg.Cursor[Any]]:
    """A psycopg cursor on Django's connection: same session, same transaction, COPY available."""
    connection.ensure_connection()
    raw = cast("psycopg.Connection[Any]", connection.connection)
    with raw.cursor() as cur:
        yield cur


def deterministic_output(cur: psycopg.Cursor[Any]) -> None:
    """Pin the settings COPY's text format depends on, for the rest of the transaction."""
    for name, value in OUTPUT_SETTINGS:
        cur.execute("SELECT set_config(%s, %s, true)", [name, value])


def schema_exists(cur: psycopg.Cursor[Any], schema: str) -> bool:
    cur.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", [schema])
    return cur.fetchone() is not None


def describe(cur: psycopg.Cursor[Any], schema: str) -> list[Table]:
    """The schema's tables and their stored columns, by name (generated columns are recomputed on
    load, so they are not dumped). Anything a dump could not reproduce is refused, as the clone does."""
    cur.execute(
        "SELECT c.relname, c.relkind, c.relkind <> 'S' OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
        "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')) "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s",
        [schema],
    )
    unsupported = sorted(
        (name, kind) for name, kind, owned in cur.fetchall() if kind not in SUPPORTED_RELKINDS or not owned
    )
    if unsupported:
        raise BackupIncompatible(f"schema {schema} holds objects a backup cannot reproduce: {unsupported}")
    cur.execute(
        "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
        "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
        "AND a.attgenerated = '' ORDER BY c.relname, a.attnum",
        [schema],
    )
    columns: dict[str, list[Column]] = {}
    for table, name, type_ in cur.fetchall():
        columns.setdefault(table, []).append(Column(name, type_))
    return [Table(name, tuple(cols)) for name, cols in sorted(columns.items())]


def owned_sequences(cur: psycopg.Cursor[Any], schema: str) -> list[OwnedSequence]:
    """Identity and serial sequences, by the column that owns them (their names differ per schema)."""
    cur.execute(
        "SELECT t.relname, a.attname, s.relname FROM pg_catalog.pg_depend d "
        "JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
        "JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
        "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass "
        "AND d.deptype IN ('a', 'i') AND n.nspname = %s ORDER BY 1, 2",
        [schema],
    )
    return [OwnedSequence(table, column, name) for table, column, name in cur.fetchall()]


def sequence_state(cur: psycopg.Cursor[Any], schema: str, sequence: str) -> tuple[int, bool]:
    cur.execute(
        sql.SQL("SELECT last_value, is_called FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(sequence))
    )
    row = cur.fetchone()
    assert row is not None
    return int(row[0]), bool(row[1])


@dataclass(frozen=True)
class PostData:
    """A schema's secondary indexes and foreign keys, as statements that recreate them."""

    indexes: list[str]
    foreign_keys: list[sql.Composed]


def set_aside_post_data(cur: psycopg.Cursor[Any], schema: str) -> PostData:
    """Drop the schema's foreign keys and secondary indexes (names and definitions kept) before a
    bulk load, as pg_restore does: building an index once and checking a foreign key with one join
    after the load is several times faster than maintaining them row by row (measured in
    docs/backup.md). Constraint-backed indexes (primary keys, unique constraints) stay."""
    cur.execute("SELECT set_config('search_path', 'pg_catalog', true)")  # definitions fully qualified
    cur.execute(
        "SELECT t.relname, c.conname, pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c "
        "JOIN pg_catalog.pg_class t ON t.oid = c.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s AND c.contype = 'f' ORDER BY c.oid",
        [schema],
    )
    foreign_keys = cur.fetchall()
    cur.execute(
        "SELECT i.relname, pg_catalog.pg_get_indexdef(i.oid) FROM pg_catalog.pg_index x "
        "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace "
        "WHERE n.nspname = %s AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c "
        "WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) ORDER BY i.oid",
        [schema],
    )
    indexes = cur.fetchall()
    for table, name, _definition in foreign_keys:
        cur.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(_qualified(schema, table), sql.Identifier(name))
        )
    for name, _definition in indexes:
        cur.execute(sql.SQL("DROP INDEX {}").format(_qualified(schema, name)))
    return PostData(
        indexes=[str(definition) for _name, definition in indexes],
        foreign_keys=[
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(_qualified(schema, table), sql.Identifier(name))
            + sql.SQL(definition)
            for table, name, definition in foreign_keys
        ],
    )


def restore_post_data(cur: psycopg.Cursor[Any], post: PostData) -> None:
    """Recreate what `set_aside_post_data` dropped; a foreign key that the rows break fails here."""
    for statement in post.indexes:
        cur.execute(statement)
    for constraint in post.foreign_keys:
        cur.execute(constraint)


def migration_state(cur: psycopg.Cursor[Any], schema: str) -> list[tuple[str, str]]:
    """The (app, migration) pairs recorded in the schema, sorted."""
    cur.execute(sql.SQL("SELECT app, name FROM {}.django_migrations ORDER BY app, name").format(sql.Identifier(schema)))
    return [(str(app), str(name)) for app, name in cur.fetchall()]


def _qualified(schema: str, table: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))


def _column_list(columns: tuple[Column, ...]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(column.name) for column in columns)


def copy_out_statement(schema: str, table: Table) -> sql.Composed:
    return sql.SQL("COPY {} ({}) TO STDOUT").format(_qualified(schema, table.name), _column_list(table.columns))


def copy_in_statement(schema: str, table: Table) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(_qualified(schema, table.name), _column_list(table.columns))


class RowDigest:
    """Row count, ordered stream SHA-256 and order-independent content checksum of COPY text rows."""

    def __init__(self) -> None:
        self.rows = 0
        self._stream = hashlib.sha256()
        self._sum = 0
        self._pending = b""

    def _row(self, line: bytes) -> None:
        self.rows += 1
        self._sum = (self._sum + int.from_bytes(hashlib.sha256(line).digest(), "big")) % MODULUS

    def update(self, data: bytes) -> None:
        self._stream.update(data)
        # psycopg hands over one row per read; anything else is split on the row terminator (text
        # COPY escapes newlines inside values, so 0x0A only ever ends a row)
        if not self._pending and data.endswith(b"\n") and data.count(b"\n") == 1:
            self._row(data)
            return
        *lines, self._pending = (self._pending + data).split(b"\n")
        for line in lines:
            self._row(line + b"\n")

    def result(self) -> TableDigest:
        if self._pending:
            raise ValueError("COPY stream does not end with a complete row")
        return TableDigest(self.rows, self._stream.hexdigest(), f"{self._sum:064x}")


def dump_table(
    cur: psycopg.Cursor[Any], schema: str, table: Table, sink: Callable[[bytes], None] | None = None
) -> TableDigest:
    """Stream one table's rows (to `sink`, if given) and return their digest; one row in memory."""
    digest = RowDigest()
    with cur.copy(copy_out_statement(schema, table)) as copy:
        for chunk in copy:
            data = bytes(chunk)
            digest.update(data)
            if sink is not None:
                sink(data)
    return digest.result()


def schema_digests(cur: psycopg.Cursor[Any], schema: str, tables: list[Table] | None = None) -> dict[str, TableDigest]:
    """Digest of every table (or of the given column lists), for verification and tests."""
    deterministic_output(cur)
    return {table.name: dump_table(cur, schema, table) for table in (tables or describe(cur, schema))}
