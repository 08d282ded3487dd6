"""A live stack for browser tests: a fresh database, gunicorn and a real Celery worker.

The database is separate from the development one (`ffs_e2e`), created and seeded here, and the
dev mail backend writes one file per message into a temporary directory the tests read, exactly as
a person would read `.data/mail/`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _db_url(name: str) -> str:
    db = settings.DATABASES["default"]
    host = str(db["HOST"])
    if host.startswith("/"):
        return f"postgresql://{db['USER']}@/{name}?host={host}"
    return f"postgresql://{db['USER']}@{host or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin_conn():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"],
        dbname="postgres",
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    data_dir = tmp_path_factory.mktemp("e2e-data")
    dbname = "ffs_e2e"
    with _admin_conn() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {dbname}")
    port = _free_port()
    redis_db = urllib.parse.urlparse(settings.REDIS_URL)._replace(path="/13").geturl()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="dev",
        DATABASE_URL=_db_url(dbname),
        REDIS_URL=redis_db,
        FFS_DATA_DIR=str(data_dir),
        PORT=str(port),
        PUBLIC_PORT=str(port),
        CACHE_KEY_PREFIX="e2e",
        WEB_ACCESS_LOG="-",
        WEB_CONCURRENCY="2",
        LOGIN_MAX_FAILURES="50",
        SSO_ALLOW_PRIVATE_URLS="true",  # the test identity providers run on 127.0.0.1
    )
    subprocess.run([sys.executable, "-c", f"import redis; redis.Redis.from_url({redis_db!r}).flushdb()"], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate_platform", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "seed_demo", "--public-only"], cwd=ROOT, env=env, check=True)
    logs = data_dir / "logs"
    logs.mkdir()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "platform/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=(logs / "web.log").open("wb"),
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,provisioning,notifications",
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=(logs / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
        ),
    ]
    base = f"http://localhost:{port}"
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError("live server did not start: " + (logs / "web.log").read_text()[-2000:])
    yield {"base": base, "port": port, "mail_dir": data_dir / "mail", "logs": logs, "env": env}
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()
