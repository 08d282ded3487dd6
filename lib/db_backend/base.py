"""django-tenants' PostgreSQL wrapper with django-prometheus' exporting cursors.

Both libraries ship a `DatabaseWrapper` subclass of Django's PostgreSQL wrapper, and both extend it
cooperatively (every override calls `super()`), so one class inheriting from the two combines them:

    DatabaseWrapper -> django_tenants wrapper (search_path per schema)
                    -> django_prometheus wrapper (connection counters, cursor_factory that times
                       every execute) -> Django's PostgreSQL wrapper

django-prometheus installs its cursor class as psycopg's `cursor_factory`, so statements run on
the raw driver connection (the progress heartbeat's fast path, django-tenants' own
`SET search_path`) are counted as well: the metrics describe every round trip the process makes.
Labels are the database alias and vendor only, never the schema (unbounded).

django-tenants' `ORIGINAL_BACKEND` setting could reach the same result, but it is read once at
import time by a third-party module; an explicit class keeps the composition visible and typed.
"""

from __future__ import annotations

from django_prometheus.db.backends.postgresql import base as prometheus_base
from django_tenants.postgresql_backend import base as tenants_base

# Django looks these up on the engine module.
DatabaseError = tenants_base.DatabaseError
IntegrityError = tenants_base.IntegrityError


class DatabaseWrapper(tenants_base.DatabaseWrapper, prometheus_base.DatabaseWrapper):  # type: ignore[misc]
    """Schema routing first (it wraps `_cursor`), query metrics underneath (connection, cursors)."""
