"""SSO configuration by a tenant admin: providers, metadata import (XML, URL with SSRF protection),
OIDC discovery validation, secrets encrypted at rest, change history, SP metadata, login policy."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from lms.corporate.models import Group
from sso import crypto
from sso.models import IdentityProvider, IdentityProviderChange
from tests.conftest import HostClient, error_code

pytestmark = pytest.mark.django_db


def idp_metadata(entity_id: str = "https://idp.example.test/saml", days: int = 365) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      WantAuthnRequestsSigned="true">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{der}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.test/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.fixture
def admin() -> HostClient:
    return HostClient("acme.localhost").as_user("admin@acme.test")


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:
        code, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def local_server() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Handler.routes
    server.shutdown()


def test_saml_provider_from_metadata_xml(admin):
    created = admin.post(
        "/api/sso/providers/",
        {"protocol": "saml", "name": "Acme Entra", "preset": "entra", "metadata_xml": idp_metadata()},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "acme-entra" and body["enabled"] is False and body["configured"] is True
    assert body["idp_entity_id"] == "https://idp.example.test/saml"
    assert body["idp_sso_url"] == "https://idp.example.test/sso" and body["certificates"] == 1
    assert body["attribute_mapping"]["email"].endswith("/emailaddress")
    assert "metadata_xml" not in body
    enabled = admin.patch(f"/api/sso/providers/{body['id']}/", {"enabled": True}, format="json")
    assert enabled.json()["enabled"] is True
    history = admin.get(f"/api/sso/providers/{body['id']}/history/").json()["results"]
    assert [h["action"] for h in history][::-1] == ["metadata_imported", "created", "updated"]
    assert history[0]["fields"] == ["enabled"] and history[0]["actor"] == "admin@acme.test"
    duplicate = admin.post(
        "/api/sso/providers/", {"protocol": "saml", "name": "Other", "metadata_xml": idp_metadata()}, format="json"
    )
    assert duplicate.status_code == 409 and error_code(duplicate) == "idp_exists"


@pytest.mark.parametrize(
    "xml",
    [
        "not xml at all",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        idp_metadata().replace("md:SingleSignOnService", "md:Nothing"),
        idp_metadata().split("<md:KeyDescriptor")[0] + "<md:SingleSignOnService "
        'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://x/sso"/>'
        "</md:IDPSSODescriptor></md:EntityDescriptor>",
    ],
    ids=["garbage", "xxe", "no-sso-endpoint", "no-certificate"],
)
def test_bad_metadata_is_refused(admin, xml):
    response = admin.post(
        "/api/sso/providers/", {"protocol": "saml", "name": "Bad", "metadata_xml": xml}, format="json"
    )
    assert response.status_code == 400 and error_code(response) == "invalid_metadata", response.content
    with schema_context("acme"):
        assert not IdentityProvider.objects.exists()  # nothing half-made


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/metadata",
        "https://127.0.0.1/metadata",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/metadata",
        "https://[::1]/metadata",
        "https://localhost/metadata",
        "file:///etc/passwd",
        "https://user:pw@idp.example.test/metadata",
    ],
)
def test_metadata_url_cannot_reach_the_private_network(admin, url):
    idp = admin.post("/api/sso/providers/", {"protocol": "saml", "name": "Url"}, format="json").json()
    with override_settings(SSO_ALLOW_PRIVATE_URLS=False):
        response = admin.post(f"/api/sso/providers/{idp['id']}/metadata/", {"url": url}, format="json")
    assert response.status_code == 400 and error_code(response) == "unsafe_url", response.content


def test_metadata_url_fetch_and_redirect_refusal(admin, local_server):
    base, routes = local_server
    routes["/metadata"] = (200, {"Content-Type": "application/xml"}, idp_metadata("https://url-idp/").encode())
    routes["/moved"] = (302, {"Location": "http://169.254.169.254/"}, b"")
    routes["/huge"] = (200, {}, b"<x>" + b"a" * (600 * 1024) + b"</x>")
    idp = admin.post("/api/sso/providers/", {"protocol": "saml", "name": "Url"}, format="json").json()
    with override_settings(SSO_ALLOW_PRIVATE_URLS=True):  # the test IdP runs on 127.0.0.1
        ok = admin.post(f"/api/sso/providers/{idp['id']}/metadata/", {"url": f"{base}/metadata"}, format="json")
        assert ok.status_code == 200 and ok.json()["idp_entity_id"] == "https://url-idp/"
        moved = admin.post(f"/api/sso/providers/{idp['id']}/metadata/", {"url": f"{base}/moved"}, format="json")
        assert moved.status_code == 502 and error_code(moved) == "fetch_failed"
        huge = admin.post(f"/api/sso/providers/{idp['id']}/metadata/", {"url": f"{base}/huge"}, format="json")
        assert huge.status_code == 502 and "too large" in huge.json()["error"]["message"]


def test_oidc_provider_secret_is_encrypted_and_never_returned(admin, local_server):
    base, routes = local_server
    discovery = {
        "issuer": f"{base}/oidc",
        "authorization_endpoint": f"{base}/oidc/auth",
        "token_endpoint": f"{base}/oidc/token",
        "jwks_uri": f"{base}/oidc/jwks",
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
    }
    routes["/oidc/.well-known/openid-configuration"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(discovery).encode(),
    )
    routes["/plain/.well-known/openid-configuration"] = (
        200,
        {},
        json.dumps({**discovery, "code_challenge_methods_supported": ["plain"]}).encode(),
    )
    with override_settings(SSO_ALLOW_PRIVATE_URLS=True):
        created = admin.post(
            "/api/sso/providers/",
            {
                "protocol": "oidc",
                "name": "Acme Okta",
                "preset": "okta",
                "oidc_client_id": "lms",
                "oidc_client_secret": "s3cr3t-value",
                "oidc_discovery_url": f"{base}/oidc/.well-known/openid-configuration",
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        no_pkce = admin.patch(
            f"/api/sso/providers/{created.json()['id']}/",
            {"oidc_discovery_url": f"{base}/plain/.well-known/openid-configuration"},
            format="json",
        )
        assert no_pkce.status_code == 400 and "PKCE" in no_pkce.json()["error"]["message"]
    body = created.json()
    assert body["oidc_issuer"] == f"{base}/oidc" and body["has_client_secret"] is True and body["configured"]
    assert "s3cr3t-value" not in created.content.decode()
    with schema_context("acme"):
        stored = IdentityProvider.objects.get(pk=body["id"]).oidc_client_secret_encrypted
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sso_identityproviderchange WHERE snapshot::text LIKE %s", ["%s3cr3t%"])
            assert cursor.fetchone()[0] == 0
    assert "s3cr3t" not in stored and crypto.decrypt(stored) == "s3cr3t-value"
    history = admin.get(f"/api/sso/providers/{body['id']}/history/").content.decode()
    assert "s3cr3t" not in history


def test_mapping_and_role_validation(admin):
    idp = admin.post("/api/sso/providers/", {"protocol": "saml", "name": "Map"}, format="json").json()
    url = f"/api/sso/providers/{idp['id']}/"
    with schema_context("acme"):
        group = Group.objects.create(name="Designers")
    ok = admin.patch(url, {"group_mapping": [{"idp_group": "design-team", "group_id": group.pk}]}, format="json")
    assert ok.json()["group_mapping"] == [{"idp_group": "design-team", "group_id": group.pk}]
    for payload, field in [
        ({"group_mapping": [{"idp_group": "x", "group_id": 999999}]}, "group_mapping"),
        ({"attribute_mapping": {"first_name": "givenName"}}, "attribute_mapping"),
        ({"attribute_mapping": {"email": "mail", "salary": "x"}}, "attribute_mapping"),
        ({"default_role": "tenant_admin"}, "default_role"),
        ({"enabled": True}, "enabled"),
    ]:
        response = admin.patch(url, payload, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], (payload, response.json())


def test_sso_required_needs_an_enabled_provider_and_a_fallback_admin(admin):
    assert error_code(admin.patch("/api/sso/settings/", {"sso_required": True}, format="json")) == "invalid_sso_config"
    idp = admin.post(
        "/api/sso/providers/", {"protocol": "saml", "name": "Req", "metadata_xml": idp_metadata()}, format="json"
    ).json()
    admin.patch(f"/api/sso/providers/{idp['id']}/", {"enabled": True}, format="json")
    refused = admin.patch("/api/sso/settings/", {"sso_required": True}, format="json")
    assert "still sign in with a password" in refused.json()["error"]["fields"]["sso_required"][0]
    with schema_context("acme"):
        from accounts.models import User

        fallback = User.objects.get(email="admin@acme.test").pk
        hr = User.objects.get(email="hr@acme.test").pk
    assert admin.patch("/api/sso/settings/", {"fallback_admin_id": hr}, format="json").status_code == 400
    done = admin.patch("/api/sso/settings/", {"fallback_admin_id": fallback, "sso_required": True}, format="json")
    assert done.status_code == 200 and done.json()["sso_required"] is True


def test_sp_metadata_is_per_tenant_and_signed(admin, acme_client, public_client):
    settings_doc = admin.get("/api/sso/settings/").json()
    assert settings_doc["sp"]["entity_id"] == "http://acme.localhost:8000/sso/saml/metadata/"
    response = acme_client.get("/sso/saml/metadata/")
    assert response.status_code == 200 and response["Content-Type"] == "application/samlmetadata+xml"
    xml = response.content.decode()
    assert 'entityID="http://acme.localhost:8000/sso/saml/metadata/"' in xml
    assert "http://acme.localhost:8000/sso/saml/acs/" in xml and "<ds:Signature" in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    from onelogin.saml2.utils import OneLogin_Saml2_Utils  # type: ignore[import-untyped]

    assert OneLogin_Saml2_Utils.validate_metadata_sign(xml, settings_doc["sp"]["certificate"])
    globex = HostClient("globex.localhost").get("/sso/saml/metadata/").content.decode()
    assert "globex.localhost" in globex and settings_doc["sp"]["certificate"].split("\n")[1] not in globex
    assert public_client.get("/sso/saml/metadata/").status_code == 404


def test_certificate_expiry_warning(admin):
    admin.post(
        "/api/sso/providers/",
        {"protocol": "saml", "name": "Old", "metadata_xml": idp_metadata("https://old/", days=10)},
        format="json",
    )
    warnings = admin.get("/api/sso/settings/").json()["certificate_warnings"]
    assert [w["provider"] for w in warnings] == ["old"] and warnings[0]["expired"] is False


def test_only_tenant_admins_configure_sso(admin):
    hr = HostClient("acme.localhost").as_user("hr@acme.test")
    assert hr.get("/api/sso/providers/").status_code == 403
    with schema_context("acme"):
        assert IdentityProviderChange.objects.count() == 0


def test_certificate_expiry_mails_tenant_admins_at_30_and_7_days(admin):
    from datetime import UTC, datetime, timedelta

    from lms.corporate.models import Notification
    from sso.services.config import notify_certificate_expiry
    from tests.corporate_fixtures import in_tenant

    admin.post(
        "/api/sso/providers/",
        {"protocol": "saml", "name": "Expiring", "metadata_xml": idp_metadata("https://exp/", days=20)},
        format="json",
    )
    now = datetime.now(UTC)
    with in_tenant("acme"):
        assert notify_certificate_expiry(now) == 1  # one tenant admin, threshold 30
        assert notify_certificate_expiry(now + timedelta(days=1)) == 0  # same threshold: once
        assert notify_certificate_expiry(now + timedelta(days=14)) == 1  # 6 days left: the 7-day notice
        rows = list(Notification.objects.filter(kind="sso_certificate").order_by("id"))
    assert [r.to_email for r in rows] == ["admin@acme.test", "admin@acme.test"]
    assert "Expiring" in rows[0].body_text and "/admin/sso" in rows[0].body_text


def test_the_openapi_shape_describes_every_key_of_a_provider_document(admin):
    from sso import api_schema

    created = admin.post(
        "/api/sso/providers/",
        {"protocol": "saml", "name": "Doc", "slug": "doc", "metadata_xml": idp_metadata()},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert set(created.json()) == set(api_schema.PROVIDER_FIELDS)
    schema = HostClient("localhost").get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "trust_email_for_linking" in schema.content.decode()


def test_key_rotation_re_encrypts_every_secret_with_the_newest_key(admin, settings):
    """Rotation: new key first, `rotate_sso_secrets`, then the old key can go — and every secret
    (SP private key, client secret) still decrypts."""
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from sso.models import SSOSettings
    from sso.services import config

    with schema_context("acme"):
        plain_key = config.sp_private_key(config.sp_settings())  # under the development default key
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SSO_ENCRYPTION_KEYS = old
    with schema_context("acme"):
        SSOSettings.objects.filter(pk=1).update(sp_private_key_encrypted=crypto.encrypt(plain_key))
    created = admin.post(
        "/api/sso/providers/",
        {"protocol": "oidc", "name": "Rotating", "slug": "rotating", "oidc_client_secret": "s3cret-value"},
        format="json",
    )
    assert created.status_code == 201, created.content
    settings.SSO_ENCRYPTION_KEYS = f"{new},{old}"
    out = io.StringIO()
    call_command("rotate_sso_secrets", stdout=out)
    assert "acme: 2 secrets re-encrypted" in out.getvalue()
    settings.SSO_ENCRYPTION_KEYS = new  # the old key is gone
    with schema_context("acme"):
        idp = IdentityProvider.objects.get(slug="rotating")
        assert crypto.decrypt(idp.oidc_client_secret_encrypted) == "s3cret-value"
        assert config.sp_private_key(SSOSettings.objects.get(pk=1)) == plain_key
