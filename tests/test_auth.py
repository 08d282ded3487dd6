"""Password login, token scoping, refresh rotation and reuse detection, invitations, resets."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError, transaction
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, RefreshToken
from tests.conftest import PASSWORD, HostClient, error_code

pytestmark = pytest.mark.django_db


def login(client: HostClient, email: str, password: str = PASSWORD):
    return client.post("/api/auth/token/", {"email": email, "password": password}, format="json")


def test_login_returns_access_token_and_httponly_refresh_cookie(acme_client):
    response = login(acme_client, "ADMIN@acme.test")  # e-mail is case-insensitive
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["user"]["email"] == "admin@acme.test"
    assert body["user"]["role"] == "tenant_admin"
    assert body["user"]["tenant"]["slug"] == "acme"
    cookie = response.cookies[settings.REFRESH_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/auth/"
    me = acme_client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.status_code == 200
    assert me.json()["email"] == "admin@acme.test"


def test_wrong_password_is_401_in_error_shape_and_audited(acme_client, acme):
    response = login(acme_client, "admin@acme.test", "wrong-password")
    assert response.status_code == 401
    assert error_code(response) == "invalid_credentials"
    with schema_context(acme.schema_name):
        assert AuditEvent.objects.filter(action="auth.login_failed", target="admin@acme.test").exists()


def test_same_email_in_other_tenant_is_another_user(globex_client):
    # admin@acme.test exists only in acme's schema
    assert login(globex_client, "admin@acme.test").status_code == 401


def test_token_from_one_tenant_is_rejected_on_another_host(acme_client, globex_client):
    access = login(acme_client, "admin@acme.test").json()["access"]
    response = globex_client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"


def test_throttling_locks_account_ip_pair_with_retry_after(acme_client, globex_client):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert login(acme_client, "hr@acme.test", "nope-nope-nope").status_code == 401
    response = login(acme_client, "hr@acme.test")  # even the right password is refused while locked
    assert response.status_code == 429
    assert error_code(response) == "throttled"
    assert int(response["Retry-After"]) > 0
    # another account from the same IP is unaffected
    assert login(acme_client, "anna@acme.test").status_code == 200
    # same e-mail on another tenant is unaffected (counters are schema-scoped)
    assert login(globex_client, "hr@globex.test").status_code == 200


def test_refresh_rotates_and_reuse_revokes_the_family(acme_client):
    first = login(acme_client, "anna@acme.test")
    old_refresh = first.cookies[settings.REFRESH_COOKIE_NAME].value
    rotated = acme_client.post("/api/auth/refresh/")
    assert rotated.status_code == 200
    new_refresh = rotated.cookies[settings.REFRESH_COOKIE_NAME].value
    assert new_refresh != old_refresh
    # replaying the old token (as a thief would) fails and revokes the whole family
    acme_client.cookies[settings.REFRESH_COOKIE_NAME] = old_refresh
    reuse = acme_client.post("/api/auth/refresh/")
    assert reuse.status_code == 401
    assert error_code(reuse) == "invalid_refresh_token"
    acme_client.cookies[settings.REFRESH_COOKIE_NAME] = new_refresh
    assert acme_client.post("/api/auth/refresh/").status_code == 401
    assert RefreshToken.objects.filter(user__email="anna@acme.test", revoked_at__isnull=True).count() == 0


def test_refresh_cookie_of_one_tenant_is_unknown_on_another(acme_client, globex_client):
    refresh = login(acme_client, "anna@acme.test").cookies[settings.REFRESH_COOKIE_NAME].value
    globex_client.cookies[settings.REFRESH_COOKIE_NAME] = refresh
    assert globex_client.post("/api/auth/refresh/").status_code == 401


def test_logout_revokes_refresh(acme_client):
    login(acme_client, "boris@acme.test")
    assert acme_client.post("/api/auth/logout/").status_code == 204
    assert acme_client.post("/api/auth/refresh/").status_code == 401


def _link(message):
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_invitation_flow(acme_client, acme, django_capture_on_commit_callbacks):
    admin = HostClient("acme.localhost").as_user("admin@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/api/auth/invitations/", {"email": "New.Person@Acme.test", "role": "learner"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert len(mail.outbox) == 1
    url = _link(mail.outbox[0])
    assert url.startswith("http://acme.localhost:")
    token = url.rsplit("/", 1)[1]
    info = acme_client.get(f"/api/auth/invitations/{token}/")
    assert info.status_code == 200
    assert info.json()["email"] == "new.person@acme.test"
    weak = acme_client.post(f"/api/auth/invitations/{token}/accept/", {"password": "123"}, format="json")
    assert weak.status_code == 400
    assert "password" in weak.json()["error"]["fields"]
    accepted = acme_client.post(
        f"/api/auth/invitations/{token}/accept/", {"password": "a-Strong-passw0rd"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["user"]["role"] == "learner"
    again = acme_client.post(f"/api/auth/invitations/{token}/accept/", {"password": "a-Strong-passw0rd"}, format="json")
    assert again.status_code == 410
    assert login(acme_client, "new.person@acme.test", "a-Strong-passw0rd").status_code == 200


def test_invitation_token_is_not_valid_on_another_tenant(
    acme_client, globex_client, django_capture_on_commit_callbacks
):
    admin = HostClient("acme.localhost").as_user("admin@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/api/auth/invitations/", {"email": "x@acme.test", "role": "learner"}, format="json")
    token = _link(mail.outbox[0]).rsplit("/", 1)[1]
    assert globex_client.get(f"/api/auth/invitations/{token}/").status_code == 404


def test_learner_cannot_invite(acme_client):
    learner = HostClient("acme.localhost").as_user("anna@acme.test")
    response = learner.post("/api/auth/invitations/", {"email": "y@acme.test", "role": "tenant_admin"}, format="json")
    assert response.status_code == 403


def test_tenant_admin_cannot_invite_public_roles():
    admin = HostClient("acme.localhost").as_user("admin@acme.test")
    response = admin.post("/api/auth/invitations/", {"email": "y@acme.test", "role": "platform_admin"}, format="json")
    assert response.status_code == 400
    assert error_code(response) == "invalid_role"


def test_password_reset_flow(acme_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            acme_client.post("/api/auth/password-reset/", {"email": "anna@acme.test"}, format="json").status_code == 202
        )
        # unknown e-mails get the same answer and no mail
        assert (
            acme_client.post("/api/auth/password-reset/", {"email": "ghost@acme.test"}, format="json").status_code
            == 202
        )
    assert len(mail.outbox) == 1
    token = _link(mail.outbox[0]).rsplit("/", 1)[1]
    login(acme_client, "anna@acme.test")  # an existing session...
    response = acme_client.post(
        "/api/auth/password-reset/confirm/", {"token": token, "password": "brand-New-passw0rd"}, format="json"
    )
    assert response.status_code == 200
    assert login(acme_client, "anna@acme.test", "brand-New-passw0rd").status_code == 200
    # ...was ended by the reset; the token is single-use
    reuse = acme_client.post(
        "/api/auth/password-reset/confirm/", {"token": token, "password": "other-New-passw0rd"}, format="json"
    )
    assert reuse.status_code == 400


def test_bad_input_gets_validation_error_shape(acme_client):
    response = acme_client.post("/api/auth/token/", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"email", "password"}
    malformed = acme_client.generic("POST", "/api/auth/token/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert error_code(malformed) == "malformed_request"


def test_audit_log_is_append_only_in_every_schema(acme):
    for schema in ("public", acme.schema_name):
        with schema_context(schema):
            event = AuditEvent.objects.create(action="test.event")
            with pytest.raises(DatabaseError), transaction.atomic():
                AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
            with pytest.raises(DatabaseError), transaction.atomic():
                AuditEvent.objects.filter(pk=event.pk).delete()
            assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_audit_log_readable_by_admins_only(acme_client):
    login(acme_client, "hr@acme.test")
    admin = HostClient("acme.localhost").as_user("admin@acme.test")
    response = admin.get("/api/audit/?search=auth.login")
    assert response.status_code == 200
    assert any(e["actor_email"] == "hr@acme.test" for e in response.json()["results"])
    hr = HostClient("acme.localhost").as_user("hr@acme.test")
    assert hr.get("/api/audit/").status_code == 403


def test_production_hashes_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config import settings as prod_settings

    assert prod_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("secret-password", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("secret-password", encoded)
