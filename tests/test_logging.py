"""JSON log lines, request ids and redaction (docs/logging.md).

The journey test drives sign-in, refresh, invitations, a password reset, logout and a SAML sign-in
against the development IdP through the test client while the root logger's real handler (LOGGING
with LOG_FORMAT=json) writes into a buffer; every line must parse as JSON, carry the request id and
tenant, and contain none of the secrets the journey handled.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory

from lib.logs import context
from lib.logs.celery import HEADER, add_request_id, bind, unbind
from lib.logs.config import logging_config
from lib.logs.formatters import JsonFormatter, PlainFormatter, utc_timestamp
from lib.logs.redaction import REDACTED, RedactionFilter, is_sensitive_key, luhn_valid, scrub
from tests.conftest import PASSWORD, HostClient
from tests.sso_idps import SamlIdP, post_form

HOST = "acme.localhost:8000"  # the port is part of the SAML endpoints the IdP posts to
CARD = "4111111111111111"
CARD_GROUPED = "4111 1111 1111 1111"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger configured by LOGGING with LOG_FORMAT=json, its stdout handler pointed at a
    buffer: exactly what a pod writes, filters and formatter included."""
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config("json", "INFO"))
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert len(handlers) == 1
    handlers[0].setStream(buffer)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


def parse(buffer: io.StringIO) -> list[dict[str, Any]]:
    lines = buffer.getvalue().splitlines()
    assert lines, "nothing was logged"
    records = []
    for line in lines:
        record = json.loads(line)  # every line is one JSON object
        assert isinstance(record, dict), line
        records.append(record)
    return records


# --- redaction units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("login password=Hunter2-Secret ok", "Hunter2-Secret"),
        ('{"password": "two words"}', "two words"),
        ("{'refresh_token': 'abcDEF123xyz'}", "abcDEF123xyz"),
        ("Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1", "eyJhbGciOiJIUzI1NiJ9"),
        ("Cookie: ffs_refresh=K9fP2mQ7xZ1bV8nR4tY6uW3; csrftoken=abcdef", "K9fP2mQ7xZ1bV8nR4tY6uW3"),
        ("/sso/oidc/callback/?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj", "SplxlOBeZQQYbYS6WxSbIA"),
        ("/sso/oidc/callback/?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj", "af0ifjsldkj"),
        ("one-time code: 481516", "481516"),
        ("paid with " + CARD_GROUPED, CARD_GROUPED),
        ("paid with " + CARD, CARD),
        ("card_number=5555-5555-5555-4444 cvv=737", "737"),
        ("card ending 4444, CVV 737", "737"),
        ("SAMLResponse=" + "PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXMi" * 4, "PHNhbWxwOlJlc3BvbnNl"),
        ('<samlp:Response ID="r1"><saml:Assertion>olga</saml:Assertion></samlp:Response>', "olga"),
        ("accept /api/auth/invitations/q3Zt8Yv2Kp9LmN4bX7cR1wQe5AsD/accept/", "q3Zt8Yv2Kp9LmN4bX7cR1wQe5AsD"),
        ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "MIIEvQIBAD"),
    ],
)
def test_scrub_removes_secrets(text, secret):
    assert secret not in scrub(text)


@pytest.mark.parametrize(
    "text",
    [
        "api error 401 invalid_credentials on /api/auth/token/: Invalid e-mail or password.",
        "status_code=404 error_code=not_found company=acme course=fashion-illustration-101",
        "task 123e4567-e89b-12d3-a456-426614174000 in lib.metrics.http.PrometheusAfterMiddleware",
        "GET /api/learning/lessons/42/progress/ 200 3.1ms",
        "order 1234567890123 of 2027-01-15",  # 13 digits failing the Luhn check: not a card
    ],
)
def test_scrub_keeps_ordinary_text(text):
    assert scrub(text) == text


def test_sensitive_keys_and_luhn():
    for key in ("password", "new_password", "Authorization", "Set-Cookie", "SAMLResponse", "code", "cvv", "kwargs"):
        assert is_sensitive_key(key), key
    for key in ("status_code", "error_code", "company", "path", "email", "tenant"):
        assert not is_sensitive_key(key), key
    assert luhn_valid(CARD) and not luhn_valid("4111111111111112")


def _record(msg: str, args: Any = (), **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("ffs.test", logging.WARNING, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_redaction_filter_covers_arguments_extras_and_exceptions():
    try:
        raise ValueError("refresh failed for token=Zm9vYmFyYmF6cXV4")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = _record(
        "login %(email)s with %(password)s",
        {"email": "kate@acme.test", "password": "Pa55-word-42"},
        payload={"user": {"password": "Pa55-word-42", "cvv": "737", "name": "Kate"}, "card": CARD},
        SAMLResponse="PHNhbWxw",
    )
    record.exc_info = exc_info
    RedactionFilter().filter(record)
    line = JsonFormatter().format(record)
    document = json.loads(line)
    assert "Pa55-word-42" not in line and "737" not in line and CARD not in line and "Zm9vYmFyYmF6cXV4" not in line
    assert "PHNhbWxw" not in line
    assert document["message"] == f"login kate@acme.test with {REDACTED}"
    assert document["payload"]["user"] == {"password": REDACTED, "cvv": REDACTED, "name": "Kate"}
    assert "ValueError" in document["exc_info"]


def test_request_secrets_are_replaced_verbatim_wherever_they_appear():
    request = RequestFactory().get(
        "/sso/oidc/callback/",
        {"code": "plain", "state": "st4te-value"},
        HTTP_AUTHORIZATION="Bearer opaque-token-value",
        HTTP_COOKIE="ffs_refresh=plainrefreshvalue",
    )
    bound = context.bind_request(request, "req-12345678")
    try:
        record = _record("echo %s %s %s", ("opaque-token-value", "plainrefreshvalue", "st4te-value"))
        RedactionFilter().filter(record)
    finally:
        context.unbind(bound)
    assert record.getMessage() == f"echo {REDACTED} {REDACTED} {REDACTED}"


def test_formats_json_and_plain():
    record = _record("hello", request_id="abcdef0123456789", tenant="acme", user_id=7, method="GET")
    document = json.loads(JsonFormatter().format(record))
    assert TIMESTAMP.match(document["timestamp"])
    assert document["timestamp"] == utc_timestamp(record.created)
    assert {k: document[k] for k in ("level", "logger", "message", "request_id", "tenant", "user_id", "method")} == {
        "level": "WARNING",
        "logger": "ffs.test",
        "message": "hello",
        "request_id": "abcdef0123456789",
        "tenant": "acme",
        "user_id": 7,
        "method": "GET",
    }
    plain = PlainFormatter().format(record)
    assert plain.endswith("WARNING ffs.test [acme abcdef01 user=7] hello")
    multiline = json.loads(JsonFormatter().format(_record("a\nb")))
    assert multiline["message"] == "a\nb"  # still one line on the wire


def test_log_format_setting_is_validated():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config("xml")


# --- request ids --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        ("acme.localhost", "/api/branding/", 200),
        ("10.0.0.7", "/healthz", 200),  # before routing: any host
        ("unknown.example", "/api/branding/", 404),  # routing refusal
    ],
)
def test_request_id_is_taken_when_sane_and_echoed(json_log, host, path, status):
    client = HostClient(host)
    given = "edge-4f1c2b7a9d3e"
    response = client.get(path, HTTP_X_REQUEST_ID=given)
    assert response.status_code == status
    assert response["X-Request-ID"] == given
    generated = client.get(path, HTTP_X_REQUEST_ID='bad id"\n{"level":"forged"}')
    assert re.fullmatch(r"[0-9a-f]{32}", generated["X-Request-ID"])
    assert client.get(path)["X-Request-ID"] != generated["X-Request-ID"]
    if path == "/healthz":  # probes are logged at DEBUG (below the default level) when they pass
        assert "ffs.access" not in json_log.getvalue()
    else:
        access = [r for r in parse(json_log) if r["logger"] == "ffs.access"]
        assert access[0]["request_id"] == given
        assert access[0]["status"] == status and access[0]["path"] == path and access[0]["method"] == "GET"
        assert access[1]["request_id"] == generated["X-Request-ID"]


def test_celery_tasks_carry_the_request_id():
    request = RequestFactory().get("/")
    headers: dict[str, Any] = {}
    bound = context.bind_request(request, "req-from-web-1234")
    try:
        add_request_id(headers=headers)  # before_task_publish, in the web process
    finally:
        context.unbind(bound)
    assert headers == {HEADER: "req-from-web-1234"}

    class Request:
        def __init__(self, headers: dict[str, Any]) -> None:
            self.headers = headers

    class Task:
        request = Request(headers)

    assert context.current_request_id() is None
    bind(task_id="t-1", task=Task())  # task_prerun, in the worker
    try:
        assert context.current_request_id() == "req-from-web-1234"
    finally:
        unbind(task_id="t-1")
    assert context.current_request_id() is None


# --- the journey --------------------------------------------------------------------------------


SAML_USERS = {
    "julia": {"email": ["julia@acme.test"], "firstName": ["Julia"], "lastName": ["Journey"], "groups": []},
}


@pytest.fixture(scope="module")
def idp() -> Iterator[SamlIdP]:
    yield SamlIdP("journey-idp", SAML_USERS)


def _saml_fields(client: HostClient, idp: SamlIdP) -> dict[str, str]:
    start = client.get("/sso/saml/journey-sso/login/", {"next": "/learning"})
    assert start.status_code == 302, start.content[:300]
    import requests

    answer = requests.get(start["Location"] + "&user=julia&mode=ok", timeout=10)
    assert answer.status_code == 200, answer.text
    action, fields = post_form(answer.text)
    assert action == f"http://{HOST}/sso/saml/acs/"
    return fields


def _link_token(message: Any) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0).rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_journey_logs_are_json_with_context_and_no_secrets(json_log, idp, django_capture_on_commit_callbacks):
    secrets: set[str] = {PASSWORD}
    client = HostClient(HOST)

    # password sign-in (a wrong password first), then an authenticated call and a refresh
    wrong = client.post("/api/auth/token/", {"email": "hr@acme.test", "password": "Wrong-Passw0rd-77"}, format="json")
    assert wrong.status_code == 401
    secrets.add("Wrong-Passw0rd-77")
    signed_in = client.post(
        "/api/auth/token/",
        {"email": "admin@acme.test", "password": PASSWORD},
        format="json",
        HTTP_X_REQUEST_ID="journey-login-0001",
    )
    assert signed_in.status_code == 200 and signed_in["X-Request-ID"] == "journey-login-0001"
    access = signed_in.json()["access"]
    secrets |= {access, signed_in.cookies[settings.REFRESH_COOKIE_NAME].value}
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert me.status_code == 200
    admin_id = me.json()["id"]
    refreshed = client.post("/api/auth/refresh/")
    assert refreshed.status_code == 200
    secrets |= {refreshed.json()["access"], refreshed.cookies[settings.REFRESH_COOKIE_NAME].value}

    # an invitation: sent, looked up, accepted, then refused when used again (logged with its path)
    admin = HostClient(HOST)
    admin.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    with django_capture_on_commit_callbacks(execute=True):
        invited = admin.post("/api/auth/invitations/", {"email": "nina@acme.test", "role": "learner"}, format="json")
    assert invited.status_code == 201, invited.content
    invitation = _link_token(mail.outbox[-1])
    secrets.add(invitation)
    assert client.get(f"/api/auth/invitations/{invitation}/").status_code == 200
    new_password = "Nina-Journey-Passw0rd-1"
    secrets.add(new_password)
    accepted = client.post(f"/api/auth/invitations/{invitation}/accept/", {"password": new_password}, format="json")
    assert accepted.status_code == 200, accepted.content
    secrets |= {accepted.json()["access"], accepted.cookies[settings.REFRESH_COOKIE_NAME].value}
    again = client.post(f"/api/auth/invitations/{invitation}/accept/", {"password": new_password}, format="json")
    assert again.status_code >= 400

    # a password reset for the new account, then sign-out
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/auth/password-reset/", {"email": "nina@acme.test"}, format="json").status_code == 202
    reset = _link_token(mail.outbox[-1])
    secrets.add(reset)
    reset_password = "Nina-Reset-Passw0rd-2"
    secrets.add(reset_password)
    confirmed = client.post(
        "/api/auth/password-reset/confirm/", {"token": reset, "password": reset_password}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.content
    last_refresh = confirmed.cookies[settings.REFRESH_COOKIE_NAME].value
    secrets |= {confirmed.json()["access"], last_refresh}
    assert client.post("/api/auth/logout/").status_code == 204

    # SAML sign-in against the development IdP; then the same response replayed (refused, logged)
    idp.trust_sp(HostClient(HOST).get("/sso/saml/metadata/").content.decode())
    provider = admin.post(
        "/api/sso/providers/",
        {
            "protocol": "saml",
            "name": "Journey IdP",
            "slug": "journey-sso",
            "preset": "okta",
            "metadata_xml": idp.metadata(),
            "allowed_domains": ["acme.test"],
        },
        format="json",
    )
    assert provider.status_code == 201, provider.content
    assert (
        admin.patch(f"/api/sso/providers/{provider.json()['id']}/", {"enabled": True}, format="json").status_code == 200
    )
    browser = HostClient(HOST)
    fields = _saml_fields(browser, idp)
    secrets.add(fields["SAMLResponse"])
    secrets.add(fields["SAMLResponse"][40:120])  # any stretch of the payload, not only all of it
    signed_in_by_saml = browser.post("/sso/saml/acs/", fields)
    assert signed_in_by_saml.status_code == 303, signed_in_by_saml.content[:300]
    secrets.add(signed_in_by_saml.cookies[settings.REFRESH_COOKIE_NAME].value)
    assert browser.post("/sso/saml/acs/", fields).status_code == 403  # replay: refused and logged

    # careless code: secrets handed to the logger directly must be redacted too
    careless = logging.getLogger("ffs.journey")
    careless.info("charge card %s cvv %s", CARD_GROUPED, "737")
    careless.info("payment", extra={"card": {"number": CARD, "cvv": "737"}, "SAMLResponse": fields["SAMLResponse"]})
    careless.warning("headers %s", {"Authorization": f"Bearer {access}", "Cookie": f"ffs_refresh={last_refresh}"})
    secrets |= {CARD, CARD_GROUPED}

    output = json_log.getvalue()
    records = parse(json_log)
    leaked = sorted(secret for secret in secrets if secret and secret in output)
    assert not leaked, f"secrets in the log: {leaked}"
    assert "eyJ" not in output  # no JWT at all
    assert "SAMLResponse=" not in output
    assert "cvv 737" not in output

    lines = [r for r in records if r["logger"] == "ffs.access"]
    assert len(lines) >= 15
    for line in lines:
        assert TIMESTAMP.match(line["timestamp"]) and line["level"] in {"INFO", "ERROR", "DEBUG"}
        assert re.fullmatch(r"[A-Za-z0-9._:-]{8,128}", line["request_id"]), line
        assert line["tenant"] == "acme", line
        assert set(line) >= {"method", "path", "status", "duration_ms"} and "?" not in line["path"], line
    assert any(line["request_id"] == "journey-login-0001" and line["path"] == "/api/auth/token/" for line in lines)
    me_line = next(line for line in lines if line["path"] == "/api/me/")
    assert me_line["user_id"] == admin_id and me_line["status"] == 200
    accept_lines = [line for line in lines if line["path"].endswith("/accept/")]
    assert accept_lines and all(line["path"] == f"/api/auth/invitations/{REDACTED}/accept/" for line in accept_lines)
    # lines logged inside a request carry its id and tenant
    errors = [r for r in records if r["logger"] == "ffs.api.errors"]
    assert errors and all(r["request_id"] and r["tenant"] == "acme" for r in errors)
    refused = [r for r in records if r["logger"] == "ffs.sso"]
    assert refused and all(r["request_id"] and r["tenant"] == "acme" for r in refused)
