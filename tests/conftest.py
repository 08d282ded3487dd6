"""Shared fixtures. The test database gets the public storefront and two corporate tenants
(acme, globex) once per session, through the real provisioning path (template clone)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import issue_access_token
from lib import localcache
from tenants import routing
from tenants.models import Tenant
from tests.learning_fixtures import video_bytes  # noqa: F401  (shared fixture)

pytest_plugins = ["tests.corporate_fixtures"]  # corporate fixtures (courses licensed to acme, HR client)

PASSWORD = "demo-password-2026"
HOSTS = {"public": "localhost", "acme": "acme.localhost", "globex": "globex.localhost"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _clean_caches():
    # A request through the test client leaves the connection on that host's schema, as a real
    # request does; each test starts from public like a fresh request would.
    connection.set_schema_to_public()
    localcache.clear_all()  # every per-process cache, host routing included
    caches["default"].clear()  # the test Redis database only (settings_test)
    yield
    localcache.clear_all()


class HostClient(APIClient):
    """An API client bound to one host, with helpers to authenticate as a user of that host."""

    def __init__(self, host: str, **kwargs):
        super().__init__(HTTP_HOST=host, **kwargs)
        self.host = host
        self.email = ""

    def as_user(self, email: str) -> HostClient:
        tenant = routing.resolve_host(self.host.split(":")[0])
        assert tenant is not None
        with schema_context(tenant.schema_name):
            user = User.objects.get(email=email)
        token, _ = issue_access_token(
            user_id=user.pk, role=user.role, schema=tenant.schema_name, tenant_slug=tenant.slug
        )
        self.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.email = email
        return self


@pytest.fixture
def public_client(db) -> HostClient:
    return HostClient(HOSTS["public"])


@pytest.fixture
def acme_client(db) -> HostClient:
    return HostClient(HOSTS["acme"])


@pytest.fixture
def globex_client(db) -> HostClient:
    return HostClient(HOSTS["globex"])


@pytest.fixture
def platform_admin(public_client) -> HostClient:
    return public_client.as_user("admin@ffs.local")


@pytest.fixture
def acme(db) -> Tenant:
    return Tenant.objects.get(slug="acme")


@pytest.fixture
def globex(db) -> Tenant:
    return Tenant.objects.get(slug="globex")


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]["code"]
