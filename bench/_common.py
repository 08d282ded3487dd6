"""Shared helpers for the benchmark scripts: a dedicated database, never the development one."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_bench_database(name: str = "ffs_bench") -> str:
    """Point Django at a fresh database `name` on the same server as the dev database."""
    from config import env

    base = env.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/ffs"
    parsed = env.database_from_url(base)
    import psycopg

    conn = psycopg.connect(
        host=str(parsed["HOST"]) or None,
        port=str(parsed["PORT"]) or None,
        user=str(parsed["USER"]),
        password=str(parsed["PASSWORD"]) or None,
        dbname="postgres",
        autocommit=True,
    )
    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    conn.execute(f"CREATE DATABASE {name}")
    conn.close()
    url = base.replace(f"/{parsed['NAME']}", f"/{name}", 1)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CACHE_KEY_PREFIX", "bench")
    return url


def median(values: list[float]) -> float:
    return statistics.median(values)
