"""Typed environment parsing (12-factor) with a fallback to the local launcher's runtime file.

Why the fallback: `make run` starts embedded PostgreSQL/Redis and writes their URLs to
`.data/runtime.env`. Reading that file when `DATABASE_URL`/`REDIS_URL` are absent lets any
`manage.py` command run from the repository root find the running services without extra
environment variables, while real deployments always set the variables explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
RUNTIME_FILE = BASE_DIR / ".data" / "runtime.env"


def _runtime_values() -> dict[str, str]:
    values: dict[str, str] = {}
    if RUNTIME_FILE.exists():
        for line in RUNTIME_FILE.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    return values


_RUNTIME = _runtime_values()


def get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        value = _RUNTIME.get(name, default)
    return value


def get_str(name: str, default: str) -> str:
    value = get(name)
    return default if value is None else value


def get_bool(name: str, default: bool) -> bool:
    value = get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be a boolean, got {value!r}")


def get_int(name: str, default: int) -> int:
    value = get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {value!r}") from exc


def get_list(name: str, default: list[str]) -> list[str]:
    value = get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Parse `postgresql://user:pass@host:port/name?host=/socket/dir&sslmode=verify-full` into Django
    settings; TLS and timeout parameters go to libpq through OPTIONS."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError("DATABASE_URL must use the postgresql:// scheme")
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    # libpq connection parameters a managed PostgreSQL needs (Selectel: TLS with its CA file)
    options = {k: v[0] for k, v in query.items() if k in _LIBPQ_OPTIONS}
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or "postgres"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        **({"OPTIONS": options} if options else {}),
    }


_LIBPQ_OPTIONS = frozenset(
    {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", "target_session_attrs"}
)
