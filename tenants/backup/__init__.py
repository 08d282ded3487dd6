"""Logical backup and restore of one tenant schema (docs/backup.md).

A backup is a directory of objects in the backups bucket, `<BACKUP_PREFIX>/<slug>/<backup id>/`:
one gzip'd `COPY … TO STDOUT` stream per table (`data/<table>.copy.gz`), a list of the tenant's
media objects (`media.jsonl.gz`) and, written last, `manifest.json` (migration state, columns, row
counts, checksums, sequences). A directory without a manifest is an unfinished backup.

Why COPY through psycopg instead of pg_dump: no client binary of the server's major version to ship
in the image, works on managed PostgreSQL with the application's own role, streams table by table
with bounded memory, and gives per-table checksums that a restore re-checks against the database.

Modules: `tables` (catalogue + COPY streams + checksums), `store` (S3 objects), `manifest`,
`media`, `migration_state`, `schemas` (work/replaced schemas, swap), `locks`, `retention`,
`dump` (`backup_tenant`), `restore` (`restore_tenant`, `verify_backup`).
"""
