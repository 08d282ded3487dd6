"""Login experience and policy: sign-in buttons per host, "SSO required" with a fallback admin,
verified e-mail domains (real DNS TXT lookups against a local DNS server) and home-realm discovery."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tenants import dns as tenant_dns
from tests.conftest import PASSWORD, HostClient, error_code
from tests.dns_server import LocalDnsServer
from tests.test_sso_config import idp_metadata

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> HostClient:
    return HostClient("acme.localhost").as_user("admin@acme.test")


@pytest.fixture
def enabled_saml(admin) -> dict[str, object]:
    created = admin.post(
        "/api/sso/providers/",
        {"protocol": "saml", "name": "Acme Okta", "slug": "acme-okta", "metadata_xml": idp_metadata()},
        format="json",
    ).json()
    admin.patch(f"/api/sso/providers/{created['id']}/", {"enabled": True}, format="json")
    return created


def test_login_page_buttons_per_host(admin, enabled_saml, public_client):
    options = HostClient("acme.localhost").get("/api/auth/sso/options/").json()
    assert options == {
        "providers": [{"name": "Acme Okta", "protocol": "saml", "login_url": "/sso/saml/acme-okta/login/"}],
        "sso_required": False,
    }
    assert HostClient("globex.localhost").get("/api/auth/sso/options/").json()["providers"] == []
    assert public_client.get("/api/auth/sso/options/").json() == {"providers": [], "sso_required": False}


def test_sso_required_turns_password_login_off_except_for_the_fallback(admin, enabled_saml):
    with schema_context("acme"):
        from accounts.models import User

        fallback = User.objects.get(email="admin@acme.test").pk
    assert (
        admin.patch(
            "/api/sso/settings/", {"fallback_admin_id": fallback, "sso_required": True}, format="json"
        ).status_code
        == 200
    )
    client = HostClient("acme.localhost")
    refused = client.post("/api/auth/token/", {"email": "hr@acme.test", "password": PASSWORD}, format="json")
    assert refused.status_code == 403 and error_code(refused) == "sso_required"
    wrong = client.post("/api/auth/token/", {"email": "hr@acme.test", "password": "wrong"}, format="json")
    assert wrong.status_code in (400, 401)  # a wrong password still says only that
    assert (
        client.post("/api/auth/token/", {"email": "admin@acme.test", "password": PASSWORD}, format="json").status_code
        == 200
    )
    assert HostClient("acme.localhost").get("/api/auth/sso/options/").json()["sso_required"] is True
    # other tenants are untouched
    assert (
        HostClient("globex.localhost")
        .post("/api/auth/token/", {"email": "hr@globex.test", "password": PASSWORD}, format="json")
        .status_code
        == 200
    )


def test_sso_required_also_closes_password_reset_and_invitation_acceptance(
    admin, enabled_saml, django_capture_on_commit_callbacks
):
    """Review finding: "SSO required" was bypassable by setting a password through a reset link or an
    invitation. Both now run the same guard as the password login; the fallback admin keeps both."""
    import re

    from django.core import mail

    def link(message) -> str:
        found = re.search(r"https?://\S+", message.body)
        assert found, message.body
        return found.group(0).rsplit("/", 1)[1]

    client = HostClient("acme.localhost")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/auth/password-reset/", {"email": "hr@acme.test"}, format="json").status_code == 202
        invited = admin.post("/api/auth/invitations/", {"email": "new.sso@acme.test", "role": "learner"}, format="json")
    assert invited.status_code == 201
    reset_token, invitation_token = link(mail.outbox[0]), link(mail.outbox[1])
    with schema_context("acme"):
        from accounts.models import User

        fallback = User.objects.get(email="admin@acme.test").pk
    admin.patch("/api/sso/settings/", {"fallback_admin_id": fallback, "sso_required": True}, format="json")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/auth/password-reset/", {"email": "hr@acme.test"}, format="json")
    assert answer.status_code == 202 and mail.outbox == []  # same answer, no useless link sent
    used = client.post(
        "/api/auth/password-reset/confirm/", {"token": reset_token, "password": "brand-New-passw0rd"}, format="json"
    )
    assert used.status_code == 403 and error_code(used) == "sso_required"
    accepted = client.post(
        f"/api/auth/invitations/{invitation_token}/accept/", {"password": "brand-New-passw0rd"}, format="json"
    )
    assert accepted.status_code == 403 and error_code(accepted) == "sso_required"
    assert client.post("/api/auth/token/", {"email": "hr@acme.test", "password": "brand-New-passw0rd"}).status_code in (
        400,
        401,
        403,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/auth/password-reset/", {"email": "admin@acme.test"}, format="json")
    assert len(mail.outbox) == 1  # the fallback admin can still recover the account


def test_verified_domain_sends_people_to_their_idp(admin, enabled_saml, settings, public_client):
    added = admin.post("/api/sso/domains/", {"domain": "Acme-Corp.test"}, format="json")
    assert added.status_code == 201, added.content
    domain = added.json()
    assert domain["domain"] == "acme-corp.test" and domain["txt_record_name"] == "_ffs-sso.acme-corp.test"
    discover = {"email": "Someone@acme-corp.test"}
    assert public_client.post("/api/auth/sso/discover/", discover, format="json").json() == {"redirect": None}
    with LocalDnsServer() as dns_server:
        settings.TENANT_DNS_NAMESERVERS = [f"127.0.0.1:{dns_server.port}"]
        tenant_dns.set_resolver(None)
        try:
            failed = admin.post(f"/api/sso/domains/{domain['id']}/verify/")
            assert failed.status_code == 400 and error_code(failed) == "verification_failed"
            dns_server.records[domain["txt_record_name"]] = [domain["txt_record_value"]]
            assert admin.post(f"/api/sso/domains/{domain['id']}/verify/").json()["verified"] is True
        finally:
            tenant_dns.set_resolver(None)
    redirect = public_client.post("/api/auth/sso/discover/", discover, format="json").json()["redirect"]
    assert redirect == "http://acme.localhost:8000/sso/saml/acme-okta/login/?next=/learning"
    assert public_client.post("/api/auth/sso/discover/", {"email": "x@unknown.test"}, format="json").json() == {
        "redirect": None
    }
    globex = HostClient("globex.localhost").as_user("admin@globex.test")
    taken = globex.post("/api/sso/domains/", {"domain": "acme-corp.test"}, format="json")
    assert taken.status_code == 409 and error_code(taken) == "domain_taken"
    assert globex.post("/api/sso/domains/", {"domain": "gmail.com"}, format="json").status_code == 400
    assert globex.delete(f"/api/sso/domains/{domain['id']}/").status_code == 404  # not globex's
    assert HostClient("acme.localhost").post("/api/auth/sso/discover/", discover, format="json").status_code == 404
