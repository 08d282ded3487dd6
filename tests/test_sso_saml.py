"""SAML sign-in against pysaml2's IdP on 127.0.0.1: JIT provisioning with group mapping (the
auto-assignment rules fire), linking, token hand-off, connection test, and the negative suite —
each refusal answered with the error page and an audit entry."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from unittest import mock

import pytest
import requests
from django.conf import settings
from django_tenants.utils import schema_context
from lxml import etree  # type: ignore[import-untyped]

from accounts.models import AuditEvent, User
from lms.corporate.models import Assignment, Employee, Group, Membership
from tenants.models import Tenant
from tests.conftest import HostClient
from tests.sso_idps import SamlIdP, post_form

pytestmark = pytest.mark.django_db
HOST = "acme.localhost:8000"
USERS = {
    "olga": {
        "email": ["olga@acme.test"],
        "firstName": ["Olga"],
        "lastName": ["Sokol"],
        "groups": ["designers", "everyone"],
        "employeeNumber": ["S-1"],
        "department": ["Studio/Milan"],
    },
    "anna": {"email": ["ANNA@acme.test"], "firstName": ["Anna"], "lastName": ["Ivanova"], "groups": []},
    "mallory": {"email": ["hr@acme.test"], "firstName": ["Not"], "lastName": ["Helen"]},
    "anna-twin": {"email": ["anna@acme.test"], "firstName": ["Anna"], "lastName": ["Twin"]},
    "outsider": {"email": ["eve@elsewhere.test"], "firstName": ["Eve"], "lastName": ["Outside"]},
    "newhr": {"email": ["new.hr@acme.test"], "firstName": ["Nina"], "lastName": ["Newhire"]},
}


@pytest.fixture(scope="module")
def idp() -> Iterator[SamlIdP]:
    yield SamlIdP("acme-idp", USERS)


@pytest.fixture
def sso(idp, course_a):
    """Acme trusts the IdP (metadata imported by the admin API); designers get course A by rule."""
    admin = HostClient(HOST).as_user("admin@acme.test")
    idp.trust_sp(HostClient(HOST).get("/sso/saml/metadata/").content.decode())
    with schema_context("acme"):
        group = Group.objects.create(name="Designers")
    provider = admin.post(
        "/api/sso/providers/",
        {
            "protocol": "saml",
            "name": "Acme SSO",
            "slug": "acme-sso",
            "preset": "okta",
            "metadata_xml": idp.metadata(),
            "group_mapping": [{"idp_group": "designers", "group_id": group.pk}],
            "allowed_domains": ["acme.test"],
        },
        format="json",
    )
    assert provider.status_code == 201, provider.content
    enabled = admin.patch(f"/api/sso/providers/{provider.json()['id']}/", {"enabled": True}, format="json")
    assert enabled.status_code == 200, enabled.content
    admin.post(
        "/api/hr/rules/",
        {"name": "Designers", "course": course_a.slug, "target": {"kind": "group", "id": group.pk}},
        format="json",
    )
    return {"admin": admin, "provider_id": provider.json()["id"], "group": group}


def _to_idp(client: HostClient, user: str, mode: str = "ok", next_path: str = "/learning") -> dict[str, str]:
    start = client.get("/sso/saml/acme-sso/login/", {"next": next_path})
    assert start.status_code == 302, start.content[:300]
    answer = requests.get(start["Location"] + f"&user={user}&mode={mode}", timeout=10)
    assert answer.status_code == 200, answer.text
    action, fields = post_form(answer.text)
    assert action == f"http://{HOST}/sso/saml/acs/"
    return fields


def _refused(response, reason_part: str) -> None:
    assert response.status_code == 403, response.content[:500]
    assert _count("refused") >= 1
    page = response.content.decode()
    assert 'data-testid="sso-error-reference"' in page
    reference = page.split('data-testid="sso-error-reference">')[1].split("<")[0]
    with schema_context("acme"):
        event = AuditEvent.objects.filter(action="sso.login_refused").order_by("-id").first()
    assert event is not None and event.details["reference"] == reference
    assert reason_part in event.details["reason"], event.details


def _count(result: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value("sso_logins_total", {"protocol": "saml", "result": result}) or 0.0


def test_jit_login_maps_groups_assigns_by_rule_and_hands_over_tokens(sso, course_a):
    before = _count("success")
    client = HostClient(HOST)
    fields = _to_idp(client, "olga", next_path="/learn/compliance-a")
    response = client.post("/sso/saml/acs/", fields)
    assert response.status_code == 303 and response["Location"] == "/learn/compliance-a"
    cookie = response.cookies[settings.REFRESH_COOKIE_NAME]
    assert cookie["httponly"] and cookie["path"] == "/api/auth/"
    with schema_context("acme"):
        user = User.objects.get(email="olga@acme.test")
        employee = Employee.objects.select_related("department").get(user=user)
        assert (user.first_name, user.role, user.is_active) == ("Olga", "learner", True)
        assert employee.employee_id == "S-1" and employee.department.path == "Studio/Milan"
        assert list(Membership.objects.filter(employee=employee).values_list("group__name", "source")) == [
            ("Designers", "sso")
        ]
        assert Assignment.objects.filter(user=user, course=course_a).exists()  # the group rule fired
        assert AuditEvent.objects.filter(action="sso.user_provisioned", target="olga@acme.test").exists()
    refreshed = client.post("/api/auth/refresh/")
    assert refreshed.status_code == 200 and refreshed.json()["user"]["email"] == "olga@acme.test"
    assert _count("success") == before + 1


def test_existing_user_is_linked_by_email_then_by_subject(sso):
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303
    with schema_context("acme"):
        from social_django.models import UserSocialAuth

        link = UserSocialAuth.objects.get(provider="saml:acme-sso")
        assert link.uid == "acme-idp-anna" and link.user.email == "anna@acme.test"
        assert User.objects.filter(email__iexact="anna@acme.test").count() == 1
        User.objects.filter(email="anna@acme.test").update(email="anna.renamed@acme.test")
    again = HostClient(HOST)
    assert again.post("/sso/saml/acs/", _to_idp(again, "anna")).status_code == 303  # found by subject
    with schema_context("acme"):
        assert not User.objects.filter(email="anna@acme.test").exists()


def test_linking_by_email_needs_a_vouched_domain_or_explicit_trust(sso):
    """An IdP's e-mail attribute is not proof of owning an existing account: with no allowed or
    verified domain the account is not linked, unless the admin trusts this IdP's addresses."""
    admin, pid = sso["admin"], sso["provider_id"]
    assert admin.patch(f"/api/sso/providers/{pid}/", {"allowed_domains": []}, format="json").status_code == 200
    client = HostClient(HOST)
    _refused(client.post("/sso/saml/acs/", _to_idp(client, "anna")), "not vouched")
    trust = admin.patch(f"/api/sso/providers/{pid}/", {"trust_email_for_linking": True}, format="json")
    assert trust.status_code == 200 and trust.json()["trust_email_for_linking"] is True
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303


def test_addresses_outside_the_allowed_domains_are_neither_created_nor_linked(sso):
    client = HostClient(HOST)
    _refused(client.post("/sso/saml/acs/", _to_idp(client, "outsider")), "not allowed")
    with schema_context("acme"):
        assert not User.objects.filter(email="eve@elsewhere.test").exists()
    bad = sso["admin"].patch(
        f"/api/sso/providers/{sso['provider_id']}/", {"allowed_domains": ["not a domain"]}, format="json"
    )
    assert bad.status_code == 400 and "allowed_domains" in bad.json()["error"]["fields"]


def test_an_account_linked_to_one_subject_is_not_linked_to_a_second(sso):
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303
    twin = HostClient(HOST)
    _refused(twin.post("/sso/saml/acs/", _to_idp(twin, "anna-twin")), "already linked")


def test_an_invited_hr_manager_gets_in_through_the_idp_when_sso_is_required(sso, django_capture_on_commit_callbacks):
    """Review finding: with "SSO required" an invited HR manager could neither set a password nor
    be linked by e-mail (privileged). The invitation page hands out a one-time grant: the link
    proves the mailbox, the IdP sign-in with the same address proves the identity."""
    import re

    from django.core import mail

    admin = sso["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        invited = admin.post(
            "/api/auth/invitations/", {"email": "new.hr@acme.test", "role": "hr_manager"}, format="json"
        )
    assert invited.status_code == 201, invited.content
    found = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert found
    token = found.group(0).rsplit("/", 1)[1]
    with schema_context("acme"):
        fallback = User.objects.get(email="admin@acme.test").pk
    admin.patch("/api/sso/settings/", {"fallback_admin_id": fallback, "sso_required": True}, format="json")
    client = HostClient(HOST)
    accepted = client.post(f"/api/auth/invitations/{token}/accept/", {"password": "brand-New-passw0rd"}, format="json")
    assert accepted.status_code == 403
    _refused(client.post("/sso/saml/acs/", _to_idp(client, "newhr")), "privileged")  # no grant: never by e-mail
    options = client.post(f"/api/auth/sso/invitations/{token}/").json()
    login_url = options["providers"][0]["login_url"]
    assert "link=" in login_url and options["sso_required"] is True

    def through_idp(user: str) -> dict[str, str]:
        start = client.get(login_url)
        assert start.status_code == 302, start.content[:300]
        answer = requests.get(start["Location"] + f"&user={user}", timeout=10)
        return post_form(answer.text)[1]

    _refused(client.post("/sso/saml/acs/", through_idp("anna")), "not the invited address")  # grant used up
    options = client.post(f"/api/auth/sso/invitations/{token}/").json()
    login_url = options["providers"][0]["login_url"]
    assert client.post("/sso/saml/acs/", through_idp("newhr")).status_code == 303
    assert client.post("/api/auth/refresh/").json()["user"]["email"] == "new.hr@acme.test"
    with schema_context("acme"):
        person = User.objects.get(email="new.hr@acme.test")
        assert person.is_active and person.role == "hr_manager"
        assert person.invitations.get().accepted_at is not None
    assert client.post(f"/api/auth/sso/invitations/{token}/").status_code == 410  # the invitation is used


def test_encrypted_assertions_are_accepted(sso):
    client = HostClient(HOST)
    fields = _to_idp(client, "olga", mode="encrypted")
    raw = base64.b64decode(fields["SAMLResponse"])
    assert b"EncryptedAssertion" in raw and b"olga@acme.test" not in raw  # nothing readable in transit
    assert client.post("/sso/saml/acs/", fields).status_code == 303
    with schema_context("acme"):
        assert User.objects.filter(email="olga@acme.test").exists()


def test_connection_test_shows_attributes_and_changes_nothing(sso):
    client = HostClient(HOST)
    url = sso["admin"].post(f"/api/sso/providers/{sso['provider_id']}/test/").json()["url"]
    start = client.get(url)
    answer = requests.get(start["Location"] + "&user=olga", timeout=10)
    _, fields = post_form(answer.text)
    page = client.post("/sso/saml/acs/", fields)
    assert page.status_code == 200
    text = page.content.decode()
    assert "acme-idp-olga" in text and "designers" in text and "olga@acme.test" in text
    with schema_context("acme"):
        assert not User.objects.filter(email="olga@acme.test").exists()
    _refused(HostClient(HOST).get(url), "one-time code")  # used up
    _refused(HostClient(HOST).get("/sso/saml/acme-sso/login/", {"test": "guessed"}), "one-time code")


def test_a_solicited_response_works_once(sso):
    client = HostClient(HOST)
    fields = _to_idp(client, "anna")
    assert client.post("/sso/saml/acs/", fields).status_code == 303
    _refused(HostClient(HOST).post("/sso/saml/acs/", fields), "unsolicited")  # its RelayState state is used up


def test_unsolicited_responses_need_opt_in_and_are_replay_protected(sso):
    client = HostClient(HOST)
    fields = {"SAMLResponse": _to_idp(client, "anna", mode="unsolicited")["SAMLResponse"]}
    _refused(HostClient(HOST).post("/sso/saml/acs/", fields), "unsolicited")  # not opted in
    with schema_context("acme"):
        from sso.models import IdentityProvider

        IdentityProvider.objects.update(allow_idp_initiated=True)
    assert HostClient(HOST).post("/sso/saml/acs/", fields).status_code == 303  # IdP-initiated, opted in
    _refused(HostClient(HOST).post("/sso/saml/acs/", fields), "replayed assertion")


def test_a_solicited_response_stripped_of_its_outer_in_response_to_is_not_unsolicited(sso):
    """The outer Response is not signed: removing its InResponseTo must not turn a response to
    someone else's login into an accepted IdP-initiated one — the signed assertion still names it."""
    with schema_context("acme"):
        from sso.models import IdentityProvider

        IdentityProvider.objects.update(allow_idp_initiated=True)
    fields = _to_idp(HostClient(HOST), "anna")
    document = _doc(fields)
    assert document.get("InResponseTo")
    del document.attrib["InResponseTo"]
    stripped = {"SAMLResponse": base64.b64encode(etree.tostring(document)).decode()}  # no RelayState either
    _refused(HostClient(HOST).post("/sso/saml/acs/", stripped), "")
    with schema_context("acme"):
        assert not AuditEvent.objects.filter(action="sso.login", target="anna@acme.test").exists()


def test_relay_state_bound_to_a_browser_works_only_there(sso):
    """Over HTTPS the login start records a hash of the browser's flow cookie with the RelayState
    state; the ACS then refuses the response in any other browser (login CSRF, leaked responses)."""
    from django.core.cache import cache

    from sso.services import browser

    client = HostClient(HOST)
    fields = _to_idp(client, "anna")
    with schema_context("acme"):
        key = f"sso:saml:state:{fields['RelayState']}"
        cache.set(key, {**cache.get(key), "browser": browser.fingerprint("f" * 43)}, 60)
    _refused(HostClient(HOST).post("/sso/saml/acs/", fields), "browser")  # no flow cookie
    fields = _to_idp(client, "anna")
    with schema_context("acme"):
        key = f"sso:saml:state:{fields['RelayState']}"
        cache.set(key, {**cache.get(key), "browser": browser.fingerprint("f" * 43)}, 60)
    client.cookies["ffs-sso-flow"] = "f" * 43
    assert client.post("/sso/saml/acs/", fields).status_code == 303


def test_assertions_without_an_end_of_validity_are_refused():
    """The replay cache must know how long to remember an id: no NotOnOrAfter, no login."""
    from sso.models import IdentityProvider
    from sso.services.saml import SSORefused, _remember_assertion

    class NoExpiry:
        def get_assertion_id(self) -> str:
            return "_id-without-expiry"

        def _query_assertion(self, path: str) -> list[etree._Element]:
            return [etree.Element("SubjectConfirmationData")] if "Subject" in path else [etree.Element("Conditions")]

    with pytest.raises(SSORefused) as refused:
        _remember_assertion(IdentityProvider(pk=1, slug="x"), NoExpiry())
    assert refused.value.reason == "assertion without NotOnOrAfter"


@pytest.mark.parametrize(
    "mode, reason",
    [
        ("wrong_audience", "udience"),
        ("wrong_destination", "received at"),
        ("unsigned", "ign"),
        ("sha1", "eprecated"),
    ],
)
def test_bad_responses_from_the_real_idp_are_refused(sso, mode, reason):
    client = HostClient(HOST)
    fields = _to_idp(client, "olga", mode=mode)
    _refused(client.post("/sso/saml/acs/", fields), reason)
    with schema_context("acme"):
        assert not User.objects.filter(email="olga@acme.test").exists()


def _logout_id(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    raw = parse_qs(urlsplit(url).query)["SAMLRequest"][0]
    return str(OneLogin_Saml2_Logout_Request.get_id(OneLogin_Saml2_Utils.decode_base64_and_inflate(raw)))


def _doc(fields: dict[str, str]) -> etree._Element:
    return etree.fromstring(base64.b64decode(fields["SAMLResponse"]))


def _encode(root: etree._Element, fields: dict[str, str]) -> dict[str, str]:
    return {**fields, "SAMLResponse": base64.b64encode(etree.tostring(root)).decode()}


NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}


def _evil_copy(assertion: etree._Element) -> etree._Element:
    evil = etree.fromstring(etree.tostring(assertion))
    for signature in evil.findall("ds:Signature", NS):
        evil.remove(signature)
    evil.set("ID", "_evil")
    name_id = evil.find("saml:Subject/saml:NameID", NS)
    name_id.text = "acme-idp-admin"
    for value in evil.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
        if value.text == "olga@acme.test":
            value.text = "admin@acme.test"
    return evil


def test_xml_signature_wrapping_variants_are_refused(sso):
    # 1. an unsigned evil assertion before the signed one
    client = HostClient(HOST)
    fields = _to_idp(client, "olga")
    root = _doc(fields)
    signed = root.find("saml:Assertion", NS)
    root.insert(list(root).index(signed), _evil_copy(signed))
    _refused(client.post("/sso/saml/acs/", _encode(root, fields)), "")
    # 2. the signed assertion hidden inside the evil one's Signature/Object, the evil one in its place
    client = HostClient(HOST)
    fields = _to_idp(client, "olga")
    root = _doc(fields)
    signed = root.find("saml:Assertion", NS)
    evil = _evil_copy(signed)
    wrapper = etree.SubElement(evil, "{http://www.w3.org/2000/09/xmldsig#}Signature")
    etree.SubElement(wrapper, "{http://www.w3.org/2000/09/xmldsig#}Object").append(signed)
    root.append(evil)
    _refused(client.post("/sso/saml/acs/", _encode(root, fields)), "")
    # 3. the signed assertion's content edited (the e-mail), signature left as it was
    client = HostClient(HOST)
    fields = _to_idp(client, "olga")
    root = _doc(fields)
    for value in root.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
        if value.text == "olga@acme.test":
            value.text = "admin@acme.test"
    _refused(client.post("/sso/saml/acs/", _encode(root, fields)), "")
    with schema_context("acme"):
        assert not AuditEvent.objects.filter(action="sso.login").exists()


def test_expired_assertion_is_refused(sso):
    client = HostClient(HOST)
    fields = _to_idp(client, "olga")
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    later = OneLogin_Saml2_Utils.now() + 3600  # the SP's clock, an hour on: past NotOnOrAfter + drift
    with mock.patch("onelogin.saml2.utils.OneLogin_Saml2_Utils.now", return_value=later):
        _refused(client.post("/sso/saml/acs/", fields), "")


def test_response_for_tenant_a_posted_to_tenant_b_is_refused(sso):
    """Globex has its own SAML IdP; acme's (validly signed) response posted to globex's ACS names an
    issuer globex does not trust, and is refused before anything in it is used."""
    globex_host = "globex.localhost:8000"
    globex_idp = SamlIdP("globex-idp", {"li": {"email": ["li@globex.test"]}})
    globex_idp.trust_sp(HostClient(globex_host).get("/sso/saml/metadata/").content.decode())
    globex_admin = HostClient(globex_host).as_user("admin@globex.test")
    created = globex_admin.post(
        "/api/sso/providers/",
        {
            "protocol": "saml",
            "name": "Globex SSO",
            "slug": "globex-sso",
            "metadata_xml": globex_idp.metadata(),
            "allowed_domains": ["globex.test"],
        },
        format="json",
    )
    globex_admin.patch(f"/api/sso/providers/{created.json()['id']}/", {"enabled": True}, format="json")
    client = HostClient(HOST)
    fields = _to_idp(client, "olga")
    globex = HostClient(globex_host).post("/sso/saml/acs/", fields)
    assert globex.status_code == 403
    with schema_context("globex"):
        event = AuditEvent.objects.filter(action="sso.login_refused").order_by("-id").first()
        assert event is not None and "not an enabled provider" in event.details["reason"]
        assert not User.objects.filter(email="olga@acme.test").exists()
    # and globex's own IdP works for globex
    start = HostClient(globex_host).get("/sso/saml/globex-sso/login/")
    answer = requests.get(start["Location"] + "&user=li", timeout=10)
    _, globex_fields = post_form(answer.text)
    assert HostClient(globex_host).post("/sso/saml/acs/", globex_fields).status_code == 303


def test_jit_off_and_seat_limit_give_clear_pages(sso, acme):
    admin = sso["admin"]
    admin.patch(f"/api/sso/providers/{sso['provider_id']}/", {"jit_enabled": False}, format="json")
    client = HostClient(HOST)
    response = client.post("/sso/saml/acs/", _to_idp(client, "olga"))
    _refused(response, "JIT is off")
    assert "ask your HR department" in response.content.decode()
    admin.patch(f"/api/sso/providers/{sso['provider_id']}/", {"jit_enabled": True}, format="json")
    used = admin.get("/api/hr/seats/").json()["used"]
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used)
    client = HostClient(HOST)
    response = client.post("/sso/saml/acs/", _to_idp(client, "olga"))
    _refused(response, "seat limit")
    assert "seats" in response.content.decode()


def test_unknown_provider_and_open_redirects(sso):
    _refused(HostClient(HOST).get("/sso/saml/nope/login/"), "unknown or disabled")
    client = HostClient(HOST)
    fields = _to_idp(client, "anna", next_path="https://evil.test/steal")
    assert client.post("/sso/saml/acs/", fields)["Location"] == "/learning"
    client = HostClient(HOST)
    fields = _to_idp(client, "anna", next_path="//evil.test/x")
    assert client.post("/sso/saml/acs/", fields)["Location"] == "/learning"


def test_idp_initiated_logout_ends_every_session_and_needs_a_signature(sso, idp):
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303
    assert client.post("/api/auth/refresh/").status_code == 200
    sls = f"http://{HOST}/sso/saml/sls/"
    sp = f"http://{HOST}/sso/saml/metadata/"
    unsigned = idp.logout_request(sp, sls, "acme-idp-anna", signed=False)
    _refused(HostClient(HOST).get(unsigned.split(HOST, 1)[1]), "unsigned LogoutRequest")
    signed = idp.logout_request(sp, sls, "acme-idp-anna")
    answer = HostClient(HOST).get(signed.split(HOST, 1)[1])
    assert answer.status_code == 302 and answer["Location"].startswith(f"{idp.base}/slo?SAMLResponse=")
    assert client.post("/api/auth/refresh/").status_code == 401  # the session is over
    with schema_context("acme"):
        assert AuditEvent.objects.filter(action="sso.logout", target="anna@acme.test").exists()
    # the same signed LogoutRequest replayed later does not end the next session
    again = HostClient(HOST)
    assert again.post("/sso/saml/acs/", _to_idp(again, "anna")).status_code == 303
    _refused(HostClient(HOST).get(signed.split(HOST, 1)[1]), "replayed LogoutRequest")
    assert again.post("/api/auth/refresh/").status_code == 200
    # ...nor once the "seen" cache has forgotten it: by then it is too old to be honoured
    from django.core.cache import cache

    with schema_context("acme"):
        assert cache.delete(f"sso:slo:seen:{sso['provider_id']}:{_logout_id(signed)}")
    with mock.patch("sso.services.slo._now", return_value=time.time() + 11 * 60):
        _refused(HostClient(HOST).get(signed.split(HOST, 1)[1]), "stale LogoutRequest")
    assert again.post("/api/auth/refresh/").status_code == 200


def test_sp_initiated_logout_round_trip(sso, idp):
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303
    logout = client.post("/api/auth/logout/")
    assert logout.status_code == 200
    url = logout.json()["sso_logout_url"]
    to_idp = HostClient(HOST).get(url)
    assert to_idp.status_code == 302 and to_idp["Location"].startswith(f"{idp.base}/slo?SAMLRequest=")
    back = requests.get(to_idp["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    done = HostClient(HOST).get(back.headers["Location"].split(HOST, 1)[1])
    assert done.status_code == 302 and done["Location"] == "/login"
    _refused(HostClient(HOST).get(back.headers["Location"].split(HOST, 1)[1]), "did not send")  # used up
    _refused(HostClient(HOST).get(url), "one-time code")


def test_a_password_session_logs_out_locally_even_after_an_sso_login(sso):
    client = HostClient(HOST)
    assert client.post("/sso/saml/acs/", _to_idp(client, "anna")).status_code == 303
    password = HostClient(HOST)
    from tests.conftest import PASSWORD

    assert (
        password.post("/api/auth/token/", {"email": "anna@acme.test", "password": PASSWORD}, format="json").status_code
        == 200
    )
    assert password.post("/api/auth/logout/").status_code == 204  # no trip to the IdP for this session
    assert client.post("/api/auth/logout/").status_code == 200  # the SSO session goes to the IdP


def test_privileged_accounts_are_never_linked_automatically(sso, acme):
    client = HostClient(HOST)
    _refused(client.post("/sso/saml/acs/", _to_idp(client, "mallory")), "privileged account")
    from tenants.models import LoginDomain

    LoginDomain.objects.create(tenant=acme, domain="acme.test", verified=True)  # not even with a verified domain
    client = HostClient(HOST)
    _refused(client.post("/sso/saml/acs/", _to_idp(client, "mallory")), "privileged account")
    with schema_context("acme"):
        from social_django.models import UserSocialAuth

        assert not UserSocialAuth.objects.filter(user__email="hr@acme.test").exists()
