"""Health endpoints on any host, SPA fallback, and the bootstrap command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from tests.conftest import HostClient

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def media_bucket() -> None:
    from lib import storage

    storage.ensure_bucket()  # the test bucket (idempotent): /readyz checks it exists


@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "10.0.0.7", "unknown.example"])
def test_healthz_and_readyz_answer_on_any_host(host, media_bucket):
    client = HostClient(host)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["ok"] is True
    assert ready.json()["checks"]["redis"]["ok"] is True
    assert ready.json()["checks"]["storage"]["ok"] is True


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _not_ready(response, failing: str) -> dict[str, object]:
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["status"] == "unavailable"
    assert {name for name, check in body["checks"].items() if not check["ok"]} == {failing}
    return dict(body["checks"][failing])


def test_readyz_names_unreachable_storage(settings, media_bucket):
    settings.S3_ENDPOINT_URL = f"http://127.0.0.1:{_closed_port()}"
    check = _not_ready(HostClient("10.0.0.7").get("/readyz"), "storage")
    assert check["error"] == "EndpointConnectionError"


def test_readyz_names_a_missing_bucket(settings, media_bucket):
    settings.S3_BUCKET_MEDIA = "ffs-test-no-such-bucket"
    check = _not_ready(HostClient("10.0.0.7").get("/readyz"), "storage")
    assert check["error"] == "ClientError 404"


def test_readyz_storage_check_has_its_own_timeout(monkeypatch, settings, media_bucket):
    """A storage endpoint that accepts connections and never answers costs the timeout, no more."""
    import socket
    import time

    from lib import health

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        settings.S3_ENDPOINT_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
        monkeypatch.setitem(health.CHECK_TIMEOUT_SECONDS, "storage", 0.5)
        started = time.monotonic()
        check = _not_ready(HostClient("10.0.0.7").get("/readyz"), "storage")
        assert time.monotonic() - started < 2.0
        assert check["error"] in {"timeout", "ReadTimeoutError"}
    finally:
        silent.close()


def test_unknown_api_path_is_json_404():
    response = HostClient("acme.localhost").get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_spa_is_served_for_client_routes():
    response = HostClient("acme.localhost").get("/platform/tenants/new")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_openapi_schema_lists_the_api():
    response = HostClient("localhost").get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/platform/tenants/" in paths
    assert "/api/auth/token/" in paths


def test_create_platform_admin_reads_password_from_env(monkeypatch):
    monkeypatch.setenv("BOOT_PW", "bootstrap-Passw0rd-1")
    call_command("create_platform_admin", "--email", "Boot@FFS.local", "--password-env", "BOOT_PW")
    with schema_context("public"):
        user = User.objects.get(email="boot@ffs.local")
        assert user.role == "platform_admin"
        assert user.check_password("bootstrap-Passw0rd-1")
        assert AuditEvent.objects.filter(action="user.platform_admin_bootstrapped", target="boot@ffs.local").exists()
    monkeypatch.setenv("BOOT_PW", "short")
    with pytest.raises(CommandError):
        call_command("create_platform_admin", "--email", "weak@ffs.local", "--password-env", "BOOT_PW")


def test_settings_find_the_embedded_services_without_env_vars(tmp_path):
    """`manage.py` from the repo root reads .data/runtime.env when DATABASE_URL/REDIS_URL are unset."""
    runtime = tmp_path / "runtime.env"
    runtime.write_text(
        "DATABASE_URL=postgresql://postgres@/ffs?host=/some/socket/dir\nREDIS_URL=redis://127.0.0.1:6399/0\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    code = (
        f"import config.env as e, pathlib; e.RUNTIME_FILE = pathlib.Path({str(runtime)!r}); e._RUNTIME = e._runtime_values();"
        "import importlib, config.settings as s; importlib.reload(s);"
        "print(s.DATABASES['default']['HOST'], s.DATABASES['default']['NAME'], s.REDIS_URL)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["/some/socket/dir", "ffs", "redis://127.0.0.1:6399/0"]


def test_dev_mail_backend_writes_one_file_per_message(settings, tmp_path):
    from django.core.mail import EmailMessage, get_connection

    settings.EMAIL_FILE_PATH = tmp_path
    connection = get_connection("lib.mail.FilePerMessageBackend")
    sent = connection.send_messages(
        [EmailMessage("a", "body a", to=["a@x.test"]), EmailMessage("b", "body b", to=["b@x.test"])]
    )
    assert sent == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert any("a@x.test" in f.name for f in files)
    assert "body b" in "".join(f.read_text() for f in files)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("", "ru"), ("en-US,en;q=0.9", "en"), ("de-DE,en;q=0.5", "en"), ("fr", "ru"), ("ru-RU", "ru"), ("xx;q=bad", "ru")],
)
def test_language_follows_accept_language(header, expected):
    response = HostClient("acme.localhost").get("/api/me/", HTTP_ACCEPT_LANGUAGE=header)
    assert response["Content-Language"] == expected
    assert "Accept-Language" in response["Vary"]


def test_spa_assets_can_come_from_a_cdn(settings, tmp_path):
    from lib import spa

    index = tmp_path / "index.html"
    index.write_text('<script type="module" src="/static/assets/app.js"></script>')
    settings.FRONTEND_DIST = tmp_path
    settings.STATIC_URL = "https://cdn.example.test/ffs/"
    spa._cache.clear()
    body = HostClient("acme.localhost").get("/").content
    spa._cache.clear()
    assert b'src="https://cdn.example.test/ffs/assets/app.js"' in body


def test_database_url_passes_tls_parameters_to_libpq_and_nothing_else():
    from config.env import database_from_url

    parsed = database_from_url(
        "postgresql://lms:p%40ss@db.internal:6432/lms?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem&evil=1"
    )
    assert (parsed["HOST"], parsed["PORT"], parsed["USER"], parsed["PASSWORD"]) == (
        "db.internal",
        "6432",
        "lms",
        "p@ss",
    )
    assert parsed["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/ca.pem"}
    assert "OPTIONS" not in database_from_url("postgresql://lms@localhost/lms")
