"""Platform-admin onboarding API, lifecycle, domains, routing and branding."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, schema_exists
from PIL import Image

from accounts.models import AuditEvent, User
from tenants import dns as tenant_dns
from tenants.models import Tenant
from tests.conftest import HostClient, error_code
from tests.dns_server import LocalDnsServer

pytestmark = pytest.mark.django_db


def create(client, slug="initech", **extra):
    body = {"slug": slug, "name": "Initech", "admin_email": f"boss@{slug}.test", "seats": 10, **extra}
    return client.post("/api/platform/tenants/", body, format="json")


def test_onboarding_provisions_schema_invites_admin_and_serves_host(platform_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = create(platform_admin)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "provisioning"
    tenant = Tenant.objects.get(slug="initech")
    assert tenant.status == "active"
    assert tenant.provisioning_state == "done"
    assert schema_exists("initech")
    detail = platform_admin.get("/api/platform/tenants/initech/").json()
    assert detail["provisioning"]["progress"] == 100
    assert detail["domains"][0]["host"] == "initech.localhost"
    assert detail["primary_url"].startswith("http://initech.localhost")
    # the clone carries the template's migration history and the append-only trigger
    with schema_context("initech"):
        assert User.objects.get(email="boss@initech.test").role == "tenant_admin"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'accounts_auditevent_no_update' "
                "AND tgrelid = 'initech.accounts_auditevent'::regclass"
            )
            assert cursor.fetchone()[0] == 1
    invitation = [m for m in mail.outbox if m.to == ["boss@initech.test"]]
    assert len(invitation) == 1
    assert re.search(r"http://initech\.localhost:\d+/invite/\S+", invitation[0].body)
    branding = HostClient("initech.localhost").get("/api/branding/")
    assert branding.status_code == 200
    assert branding.json()["display_name"] == "Initech"


def test_clone_keeps_sequences_independent(platform_admin, django_capture_on_commit_callbacks):
    """django-tenants #493: a clone must own its sequences, not share the template's."""

    def template_seq() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM tenant_template.accounts_user_id_seq")
            return cursor.fetchone()[0]

    with django_capture_on_commit_callbacks(execute=True):
        create(platform_admin, slug="seqtest")
    before = template_seq()
    with schema_context("seqtest"):
        first = User.objects.create_user(email="a@seq.test", role="learner").pk
        second = User.objects.create_user(email="b@seq.test", role="learner").pk
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('accounts_user', 'id')")
            assert cursor.fetchone()[0] == "seqtest.accounts_user_id_seq"
    assert second == first + 1
    assert template_seq() == before
    with schema_context("tenant_template"), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        assert cursor.fetchone()[0] == 0  # the template never receives tenant data


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("a", "invalid_slug"),
        ("Acme", "invalid_slug"),
        ("ac_me", "invalid_slug"),
        ("-acme", "invalid_slug"),
        ("acme-", "invalid_slug"),
        ("ac--me", "invalid_slug"),
        ("x" * 31, "invalid_slug"),
        ("www", "reserved_slug"),
        ("api", "reserved_slug"),
        ("admin", "reserved_slug"),
        ("static", "reserved_slug"),
        ("public", "reserved_slug"),
        ("tenant-template", "reserved_slug"),
        ("1acme", "invalid_slug"),
        ("acme;drop", "invalid_slug"),
    ],
)
def test_bad_slugs_are_refused(platform_admin, slug, code):
    response = create(platform_admin, slug=slug)
    assert response.status_code == 400
    assert error_code(response) in {code, "validation_error"}
    assert not Tenant.objects.filter(slug=slug, kind="corporate").exists()


@pytest.mark.parametrize("seats", [-1, "ten", 1.5, 10_000_001, None])
def test_bad_seats_are_refused(platform_admin, seats):
    response = create(platform_admin, slug="seaty", seats=seats)
    assert response.status_code == 400
    assert "seats" in response.json()["error"]["fields"]
    assert not Tenant.objects.filter(slug="seaty").exists()


def test_duplicate_slug_is_409(platform_admin):
    response = create(platform_admin, slug="acme")
    assert response.status_code == 409
    assert error_code(response) == "slug_taken"


def test_list_is_paged_and_searchable(platform_admin):
    body = platform_admin.get("/api/platform/tenants/").json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert {t["slug"] for t in body["results"]} >= {"acme", "globex"}
    assert "public" not in {t["slug"] for t in body["results"]}
    found = platform_admin.get("/api/platform/tenants/?search=glob").json()
    assert [t["slug"] for t in found["results"]] == ["globex"]


def test_suspend_answers_403_keeps_rows_and_resume_restores(platform_admin, acme):
    client = HostClient("acme.localhost")
    assert client.get("/api/branding/").status_code == 200  # warm the routing cache
    with schema_context("acme"):
        users_before = User.objects.count()
    response = platform_admin.patch("/api/platform/tenants/acme/", {"status": "suspended"}, format="json")
    assert response.status_code == 200
    refused = client.get("/api/branding/")
    assert refused.status_code == 403
    assert error_code(refused) == "tenant_suspended"
    page = client.get("/login")
    assert page.status_code == 403
    assert b"suspended" in page.content
    with schema_context("acme"):
        assert User.objects.count() == users_before
    assert platform_admin.patch("/api/platform/tenants/acme/", {"status": "active"}, format="json").status_code == 200
    assert client.get("/api/branding/").status_code == 200


def test_rename_seats_and_invalid_transition(platform_admin):
    response = platform_admin.patch(
        "/api/platform/tenants/globex/", {"name": "Globex Corp", "seats": 40}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Globex Corp"
    assert response.json()["seats"] == 40
    assert HostClient("globex.localhost").get("/api/branding/").json()["tenant"]["name"] == "Globex Corp"
    assert (
        platform_admin.patch("/api/platform/tenants/globex/", {"status": "archived"}, format="json").status_code == 200
    )
    assert (
        platform_admin.patch("/api/platform/tenants/globex/", {"status": "suspended"}, format="json").status_code == 409
    )
    assert (
        platform_admin.patch("/api/platform/tenants/globex/", {"status": "deleted"}, format="json").status_code == 400
    )
    assert AuditEvent.objects.filter(action="tenant.archived", target="globex").exists()


@pytest.mark.parametrize("step", ["schema", "verify", "admin", "activate"])
def test_failed_provisioning_reports_error_and_retry_completes(
    platform_admin, settings, step, django_capture_on_commit_callbacks
):
    settings.TENANT_PROVISIONING_FAIL_AT = step
    with django_capture_on_commit_callbacks(execute=True):
        create(platform_admin, slug="flaky")
    tenant = Tenant.objects.get(slug="flaky")
    assert tenant.status == "provisioning"
    assert tenant.provisioning_state == "failed"
    assert step in tenant.provisioning_error
    assert HostClient("flaky.localhost").get("/api/branding/").status_code == 503  # host not served half-made
    if schema_exists("flaky"):
        with schema_context("flaky"):
            assert not User.objects.exists() or step == "activate"
    settings.TENANT_PROVISIONING_FAIL_AT = None
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_admin.post("/api/platform/tenants/flaky/retry/")
    assert response.status_code == 202
    tenant.refresh_from_db()
    assert tenant.status == "active"
    with schema_context("flaky"):
        assert User.objects.filter(email="boss@flaky.test").count() == 1  # exactly one admin, one invitation
    assert len([m for m in mail.outbox if m.to == ["boss@flaky.test"]]) == 1
    assert platform_admin.post("/api/platform/tenants/flaky/retry/").status_code == 409


def test_custom_domain_add_verify_over_dns_route_and_remove(platform_admin, settings):
    response = platform_admin.post(
        "/api/platform/tenants/acme/domains/", {"host": "Learn.Acme-Corp.test"}, format="json"
    )
    assert response.status_code == 201, response.content
    domain = response.json()
    assert domain["host"] == "learn.acme-corp.test"
    assert domain["verified"] is False
    custom = HostClient("learn.acme-corp.test")
    assert custom.get("/api/branding/").status_code == 404  # unverified domains do not route
    with LocalDnsServer() as dns_server:
        settings.TENANT_DNS_NAMESERVERS = [f"127.0.0.1:{dns_server.port}"]
        tenant_dns.set_resolver(None)
        failed = platform_admin.post(f"/api/platform/tenants/acme/domains/{domain['id']}/verify/")
        assert failed.status_code == 400
        assert error_code(failed) == "verification_failed"
        dns_server.records[domain["verification_txt_name"]] = ["unrelated", domain["verification_txt_value"]]
        ok = platform_admin.post(f"/api/platform/tenants/acme/domains/{domain['id']}/verify/")
        assert ok.status_code == 200, ok.content
        assert ok.json()["verified"] is True
        assert "_ffs-verification.learn.acme-corp.test" in dns_server.queries
    assert custom.get("/api/branding/").json()["tenant"]["slug"] == "acme"
    assert (
        platform_admin.post(
            "/api/platform/tenants/globex/domains/", {"host": "learn.acme-corp.test"}, format="json"
        ).status_code
        == 409
    )
    # another tenant's domain id cannot be touched through this tenant
    assert platform_admin.delete(f"/api/platform/tenants/globex/domains/{domain['id']}/").status_code == 404
    assert platform_admin.delete(f"/api/platform/tenants/acme/domains/{domain['id']}/").status_code == 204
    assert custom.get("/api/branding/").status_code == 404


@pytest.mark.parametrize(
    "host", ["localhost", "evil.localhost", "no_underscores.test", "x", "-a.test", "a..b", "1.2.3.4"]
)
def test_bad_custom_domains_are_refused(platform_admin, host):
    response = platform_admin.post("/api/platform/tenants/acme/domains/", {"host": host}, format="json")
    assert response.status_code == 400


def test_primary_subdomain_cannot_be_removed(platform_admin, acme):
    domain_id = acme.domains.get(is_primary=True).pk
    response = platform_admin.delete(f"/api/platform/tenants/acme/domains/{domain_id}/")
    assert response.status_code == 409


def test_unknown_host_is_404_json_under_api_and_html_elsewhere(db):
    client = HostClient("nobody.localhost")
    api = client.get("/api/branding/")
    assert api.status_code == 404
    assert error_code(api) == "unknown_host"
    page = client.get("/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert b"Fashion Factory School" not in page.content  # never the public site


def test_host_resolution_is_cached_no_db_query_per_request(db):
    client = HostClient("acme.localhost")
    assert client.get("/api/branding/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get("/api/branding/").status_code == 200
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_cache_invalidated_across_processes_via_redis(db, acme):
    """Another process's in-process cache is emulated by clearing ours: Redis must carry the change."""
    from tenants import routing

    client = HostClient("acme.localhost")
    assert client.get("/api/branding/").status_code == 200
    Tenant.objects.filter(pk=acme.pk).update(status="suspended")  # bypasses signals...
    routing.clear_local_cache()
    assert client.get("/api/branding/").status_code == 200  # ...so the cached answer still stands
    acme.refresh_from_db()
    acme.save()  # a real change goes through save(): invalidation
    routing.clear_local_cache()
    assert client.get("/api/branding/").status_code == 403


def _png(size=(8, 8)) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    buf.seek(0)
    buf.name = "logo.png"
    return buf


def test_branding_update_and_upload_validation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = HostClient("acme.localhost").as_user("admin@acme.test")
    ok = admin.patch(
        "/api/tenant/branding/",
        {"primary_color": "#112233", "logo": _png(), "display_name": "Acme!"},
        format="multipart",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["primary_color"] == "#112233"
    assert ok.json()["logo_url"].startswith("/media/tenants/acme/branding/logo-")
    assert HostClient("acme.localhost").get("/api/branding/").json()["display_name"] == "Acme!"
    exe = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    exe.name = "logo.png"
    bad = admin.patch("/api/tenant/branding/", {"logo": exe}, format="multipart")
    assert bad.status_code == 400
    assert error_code(bad) == "invalid_image"
    svg = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    svg.name = "logo.svg"
    assert admin.patch("/api/tenant/branding/", {"logo": svg}, format="multipart").status_code == 400
    settings.UPLOAD_IMAGE_MAX_BYTES = 100
    big = admin.patch("/api/tenant/branding/", {"logo": _png((64, 64))}, format="multipart")
    assert big.status_code == 413
    assert error_code(big) == "file_too_large"
    for field, value in [
        ("primary_color", "red"),
        ("accent_color", "#12345"),
        ("metrika_id", "abc"),
        ("support_email", "nope"),
    ]:
        response = admin.patch("/api/tenant/branding/", {field: value}, format="multipart")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["error"]["fields"]
    # another tenant's branding is untouched
    assert HostClient("globex.localhost").get("/api/branding/").json()["primary_color"] != "#112233"


def test_failed_tenant_can_be_discarded_live_tenant_cannot(
    platform_admin, settings, django_capture_on_commit_callbacks
):
    settings.TENANT_PROVISIONING_FAIL_AT = "admin"
    with django_capture_on_commit_callbacks(execute=True):
        create(platform_admin, slug="doomed")
    assert schema_exists("doomed")
    assert platform_admin.delete("/api/platform/tenants/doomed/").status_code == 204
    assert not schema_exists("doomed")
    assert not Tenant.objects.filter(slug="doomed").exists()
    assert HostClient("doomed.localhost").get("/api/branding/").status_code == 404
    assert AuditEvent.objects.filter(action="tenant.discarded", target="doomed").exists()
    live = platform_admin.delete("/api/platform/tenants/acme/")
    assert live.status_code == 409
    assert error_code(live) == "not_discardable"
    settings.TENANT_PROVISIONING_FAIL_AT = None
    with django_capture_on_commit_callbacks(execute=True):
        assert create(platform_admin, slug="doomed").status_code == 202  # the slug is free again
    assert Tenant.objects.get(slug="doomed").status == "active"
