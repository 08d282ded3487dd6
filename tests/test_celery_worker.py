"""A real Celery worker process: a task queued from tenant A runs in schema A."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from tenants.tasks import schema_probe

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.celery, pytest.mark.django_db]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    db = settings.DATABASES["default"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test", CELERY_TASK_ALWAYS_EAGER="0")
    # The worker must see the test database, not the development one.
    env["DATABASE_URL"] = (
        f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
        if str(db["HOST"]).startswith("/")
        else f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["TEST_DATABASE_NAME"] = db["NAME"]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait(client, key, proc, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = client.get(key)
        if value:
            return value.decode()
        if proc.poll() is not None:
            raise AssertionError(f"worker died: {proc.stdout.read().decode() if proc.stdout else ''}")
        time.sleep(0.1)
    raise AssertionError("task did not run")


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_task_runs_in_the_schema_that_queued_it(worker, acme, globex):
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        client = redis.Redis.from_url(settings.TEST_REDIS_URL)
        keys = {}
        for tenant in (acme, globex):
            with schema_context(tenant.schema_name):
                connection.set_tenant(tenant)
                key = f"probe:{uuid.uuid4().hex}"
                schema_probe.delay(key, "admin@acme.test")
                keys[tenant.schema_name] = key
        connection.set_schema_to_public()
        public_key = f"probe:{uuid.uuid4().hex}"
        schema_probe.delay(public_key, "admin@ffs.local")
        assert _wait(client, keys["acme"], worker) == "acme:1"
        assert _wait(client, keys["globex"], worker) == "globex:0"  # acme's admin does not exist in globex
        assert _wait(client, public_key, worker) == "public:1"
    finally:
        app.conf.task_always_eager = True
