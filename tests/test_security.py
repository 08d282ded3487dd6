"""Security baseline (docs/security.md): the Content-Security-Policy (Yandex.Metrika only for the
tenants that enabled it), nonces on server-rendered pages, HSTS and secure cookies in production,
and `manage.py check --deploy` clean with production settings."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from lib.security import METRIKA_ORIGINS, base_policy, origin_of, storage_origins
from tenants import routing
from tenants.models import Branding, Tenant
from tests.conftest import HostClient

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def enable_metrika(tenant: Tenant, counter: str = "98765432") -> None:
    Branding.objects.update_or_create(tenant=tenant, defaults={"display_name": tenant.name, "metrika_id": counter})
    routing.invalidate_tenant(tenant.pk)


def test_spa_policy_without_metrika_fits_the_spa_and_storage(globex):
    response = HostClient("globex.localhost").get("/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    csp = policy(response)
    assert "mc.yandex" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    storage = origin_of(settings.S3_ENDPOINT_URL)
    assert storage  # presigned playback, download and upload URLs
    for directive in ("img-src", "media-src", "connect-src"):
        assert storage in csp[directive], directive
    assert "data:" in csp["img-src"]  # the SPA's blank favicon


def test_metrika_is_allowed_only_for_the_tenant_that_enabled_it(acme, globex):
    enable_metrika(acme)
    with_metrika = HostClient("acme.localhost").get("/learning")
    csp = policy(with_metrika)
    for directive in ("script-src", "img-src", "connect-src", "frame-src"):
        for origin in METRIKA_ORIGINS:
            assert origin in csp[directive], (directive, origin)
    assert "'self'" in csp["script-src"] and "'self'" in csp["frame-src"]
    assert "'unsafe-inline'" not in csp["script-src"]

    without = HostClient("globex.localhost").get("/learning")
    assert "mc.yandex" not in without["Content-Security-Policy"]
    storefront = HostClient("localhost").get("/")
    assert "mc.yandex" not in storefront["Content-Security-Policy"]
    # API answers are not documents: the base policy, and no branding lookup on the hot path
    assert "mc.yandex" not in HostClient("acme.localhost").get("/api/branding/")["Content-Security-Policy"]
    # the branding document the SPA reads carries the counter id (it loads the tag from it)
    assert HostClient("acme.localhost").get("/api/branding/").json()["metrika_id"] == "98765432"

    enable_metrika(acme, "")  # switched off again: gone from the policy at once
    assert "mc.yandex" not in HostClient("acme.localhost").get("/")["Content-Security-Policy"]


def _nonce_matches(response) -> None:
    nonces = re.findall(r'<style nonce="([^"]+)">', response.content.decode())
    assert len(nonces) == 1, response.content[:300]
    assert f"'nonce-{nonces[0]}'" in policy(response)["style-src"]


def test_server_rendered_pages_style_by_nonce(acme):
    refused = HostClient("nowhere.example").get("/some/page")  # tenant routing refusal, before any view
    assert refused.status_code == 404
    _nonce_matches(refused)
    sso_error = HostClient("acme.localhost:8000").get("/sso/saml/no-such-idp/login/")  # SSO pages: public port
    assert sso_error.status_code == 403
    _nonce_matches(sso_error)
    # pages that did not ask for a nonce get none in their policy
    assert "nonce-" not in HostClient("acme.localhost").get("/")["Content-Security-Policy"]


def test_api_docs_have_no_inline_script():
    client = HostClient("localhost")
    page = client.get("/api/docs/")
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>", page.content.decode())
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert client.get("/api/docs/", {"script": ""}).status_code == 200


def test_storage_origins_follow_the_addressing_style():
    assert storage_origins("https://s3.ru-1.storage.selcloud.ru", ["media"], "path", "ru-1") == [
        "https://s3.ru-1.storage.selcloud.ru"
    ]
    assert storage_origins("https://s3.example.com:9000/", ["media", None], "virtual", "x") == [
        "https://s3.example.com:9000",
        "https://media.s3.example.com:9000",
    ]
    assert "https://media.s3.eu-west-1.amazonaws.com" in storage_origins(None, ["media"], "auto", "eu-west-1")
    cdn = base_policy(
        static_url="https://cdn.example.com/static/",
        media_url="https://assets.example.com/",
        storage=["https://s3.example.com"],
        production=True,
    )["DIRECTIVES"]
    assert "https://cdn.example.com" in cdn["script-src"] and "https://assets.example.com" in cdn["img-src"]
    assert cdn["upgrade-insecure-requests"] is True


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_hsts_on_secure_requests():
    response = HostClient("acme.localhost").get("/api/branding/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),  # a dummy, long and random like a real one
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", ""), output


def test_production_settings_secure_cookies_hsts_and_json_logs():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SECURE_HSTS_PRELOAD', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        "'REFRESH_COOKIE_SECURE', 'LOG_FORMAT', 'DEBUG', 'SILENCED_SYSTEM_CHECKS')}"
        " | {'upgrade': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests'],"
        " 'proxy': list(s.SECURE_PROXY_SSL_HEADER)}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "REFRESH_COOKIE_SECURE": True,
        "LOG_FORMAT": "json",
        "DEBUG": False,
        "SILENCED_SYSTEM_CHECKS": ["security.W003"],  # why: config/settings.py and docs/security.md
        "upgrade": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
