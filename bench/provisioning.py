"""Provisioning speed: template clone vs running migrations, at 10 and at 200 existing tenants.

Also: `migrate_schemas` with nothing to apply at 200 tenants, standard vs parallel executor.
Run: `.venv/bin/python bench/provisioning.py` (uses the dev PostgreSQL server, database ffs_bench).
Goal (issue #2): clone <= 1 s and >= 5x faster than migrating.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from _common import ROOT, median, use_bench_database

use_bench_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import schema_exists  # noqa: E402

from tenants.models import Domain, Tenant, TenantStatus  # noqa: E402
from tenants.services.provisioning import _step_schema, _step_verify, ensure_template_schema  # noqa: E402

RUNS = 5


def make_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.create(slug=slug, schema_name=slug.replace("-", "_"), name=slug, status=TenantStatus.ACTIVE)
    Domain.objects.create(domain=f"{slug}.bench.local", tenant=tenant, is_primary=True, verified=True)
    return tenant


def clone(slug: str) -> float:
    tenant = make_tenant(slug)
    started = time.perf_counter()
    _step_schema(tenant)
    _step_verify(tenant)
    return time.perf_counter() - started


def migrate(slug: str) -> float:
    tenant = make_tenant(slug)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
    call_command("migrate_schemas", schema_name=tenant.schema_name, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    return time.perf_counter() - started


def grow_to(count: int) -> None:
    existing = Tenant.objects.filter(slug__startswith="filler-").count()
    for i in range(existing, count):
        clone(f"filler-{i:04d}")


def measure(label: str, existing: int) -> dict[str, float]:
    grow_to(existing)
    clones = [clone(f"c{existing}-{i}") for i in range(RUNS)]
    migrations = [migrate(f"m{existing}-{i}") for i in range(RUNS)]
    for i in range(RUNS):  # measured tenants must not change the count of the next round
        for prefix in ("c", "m"):
            tenant = Tenant.objects.get(slug=f"{prefix}{existing}-{i}")
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{tenant.schema_name}" CASCADE')
            tenant.delete()
    result = {"clone": median(clones), "migrate": median(migrations)}
    print(
        f"{label}: clone median {result['clone']:.3f} s (min {min(clones):.3f}, max {max(clones):.3f}); "
        f"migrate median {result['migrate']:.3f} s (min {min(migrations):.3f}, max {max(migrations):.3f}); "
        f"ratio {result['migrate'] / result['clone']:.1f}x",
        flush=True,
    )
    return result


def migrate_noop() -> None:
    env = dict(os.environ)
    for executor in ("standard", "multiprocessing"):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate_schemas", "--tenant", "--executor", executor, "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        tenants = Tenant.objects.exclude(schema_name="public").count()
        print(
            f"migrate_schemas --tenant (nothing to apply, {tenants} tenants, executor={executor}): "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )


def main() -> None:
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_template_schema()
    assert schema_exists("tenant_template")
    measure("10 existing tenants", 10)
    measure("200 existing tenants", 200)
    migrate_noop()


if __name__ == "__main__":
    main()
