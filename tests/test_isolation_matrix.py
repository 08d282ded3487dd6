"""Tenant-isolation matrix over every URL pattern, discovered from the URL resolver.

Endpoints added later are covered without edits: each DRF view is called with every method it
serves, from three angles — no credentials, a valid token of another tenant, and a role that is
too low — and must answer 401/403/404 with the error shape, never data. Public endpoints must be
listed here on purpose (PUBLIC_ENDPOINTS), so making one public is a reviewed decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from lib.api import ScopedMixin
from tenants.models import Domain
from tests.conftest import HostClient

pytestmark = pytest.mark.django_db

# name of the URL pattern -> why it may be called without a token
PUBLIC_ENDPOINTS = {
    "auth-token": "sign-in",
    "auth-refresh": "uses the HttpOnly cookie, not a bearer token",
    "auth-logout": "uses the HttpOnly cookie",
    "auth-invitation": "invitation token in the URL is the credential",
    "auth-invitation-accept": "invitation token in the URL is the credential",
    "auth-password-reset": "answers 202 whether or not the account exists",
    "auth-password-reset-confirm": "reset token is the credential",
    "catalog-courses": "the storefront catalogue is public (a tenant host lists only its licensed courses)",
    "catalog-categories": "category names",
    "catalog-course": "course landing page; drafts only for their authors with ?preview=1",
    "learning-lesson": "free-preview lessons open without an account; others check enrolment (403)",
    "verify": "certificate verification page shows only the certificate's own facts",
    "auth-sso-options": "the sign-in buttons of the requesting host (provider names and login paths)",
    "auth-sso-discover": "home-realm discovery on the base domain: only where an e-mail domain signs in",
    "auth-sso-invitation": "invitation token in the URL is the credential (IdP buttons with a one-time grant)",
}
NON_SCOPED_ALLOWED = {"schema", "docs", "spa"}  # OpenAPI document + docs UI (no data), the SPA shell
# Plain Django views (not DRF) and why each is safe without the scoped base class.
PLAIN_VIEWS = {
    "branding": "public branding of the requesting host only; a lean view for speed (docs/performance.md)",
    "spa": "serves the same static index.html on every host",
    "api-not-found": "JSON 404 for unknown /api/ paths",
    "media": "development-only media files (production serves media from object storage)",
    "learning-progress": "playback heartbeat hot path: same bearer check (accounts.authentication), covered below",
    "sso-saml-metadata": "public SAML SP metadata of the requesting tenant host (certificate and URLs only)",
    "sso-saml-login": "starts a SAML login at this tenant's own IdP (redirect only); tests/test_sso_saml.py",
    "sso-saml-acs": "consumes an IdP response: trusted only after the tenant's own checks; tests/test_sso_saml.py",
    "sso-saml-logout": "SP-initiated logout: needs the one-time code made at this tenant's logout; test_sso_saml.py",
    "sso-saml-sls": "single logout endpoint: signed LogoutRequest/Response of this tenant's IdP only; test_sso_saml.py",
    "sso-oidc-login": "starts an OIDC login at this tenant's own provider (redirect only); tests/test_sso_oidc.py",
    "sso-oidc-callback": "completes an OIDC login: state is single-use and bound to this tenant; tests/test_sso_oidc.py",
}
# Plain views that require a token: they join the anonymous / foreign-token checks below.
PLAIN_AUTHENTICATED = {"learning-progress": ("PUT",)}


@dataclass(frozen=True)
class Endpoint:
    name: str
    view: type
    methods: tuple[str, ...]
    params: tuple[str, ...]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry


def discover() -> list[Endpoint]:
    endpoints = []
    for pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        view = getattr(callback, "cls", None)
        if view is None or not issubclass(view, APIView):
            if pattern.name in PLAIN_AUTHENTICATED:
                endpoints.append(
                    Endpoint(
                        pattern.name,
                        type(callback),
                        PLAIN_AUTHENTICATED[pattern.name],
                        tuple(pattern.pattern.regex.groupindex),
                    )
                )
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            methods = tuple(sorted(m.upper() for m in actions))
        else:
            methods = tuple(sorted(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)))
        params = tuple(pattern.pattern.regex.groupindex)
        endpoints.append(Endpoint(pattern.name or "", view, methods, params))
    return endpoints


ENDPOINTS = discover()


def test_every_plain_view_is_listed():
    """A non-DRF view bypasses the scoped permission: each one must be a reviewed exception."""
    plain = set()
    for pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None)
        if view is None or not issubclass(view, APIView):
            plain.add(pattern.name)
    assert plain == set(PLAIN_VIEWS), plain


@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "globex.localhost"])
def test_branding_shows_only_the_requesting_host(host):
    body = HostClient(host).get("/api/branding/").json()
    assert body["tenant"]["slug"] == {"localhost": "public"}.get(host, host.split(".")[0])
    assert HostClient(host).post("/api/branding/", {}).status_code == 405


def test_discovery_finds_the_api():
    names = {e.name for e in ENDPOINTS}
    assert {"auth-token", "me", "platform-tenant-list", "platform-tenant-detail", "audit-list"} <= names
    assert len(ENDPOINTS) >= 15


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_api_view_is_scoped(endpoint):
    if endpoint.name in NON_SCOPED_ALLOWED or endpoint.name in PLAIN_AUTHENTICATED:
        return
    assert issubclass(endpoint.view, ScopedMixin), f"{endpoint.view} must inherit lib.api.ScopedAPIView/ViewSet"
    is_public = getattr(endpoint.view, "public", False)
    assert is_public == (endpoint.name in PUBLIC_ENDPOINTS), f"{endpoint.name}: public={is_public}"


def _url(endpoint: Endpoint, objects: dict[str, str]) -> str:
    values = dict(objects)
    if endpoint.name.startswith("platform-"):
        values["slug"] = "globex"
    return reverse(endpoint.name, kwargs={p: values[p] for p in endpoint.params})


def _call(client: HostClient, method: str, url: str):
    return client.generic(method, url, data="{}", content_type="application/json")


def _assert_refused(response, context):
    assert response.status_code in {401, 403, 404}, (context, response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"error"}, (context, body)


SCOPED = [e for e in ENDPOINTS if e.name not in NON_SCOPED_ALLOWED and e.name not in PUBLIC_ENDPOINTS]


@pytest.fixture
def globex_domain_id(db, video_bytes):
    """Real objects to aim at: globex's domain, a course licensed to globex, a globex learner's
    enrolment, quiz attempt and certificate — so "wrong tenant" requests target data that exists."""
    from django_tenants.utils import schema_context

    from accounts.models import User
    from lms.learning.services import certificates, quizzes
    from lms.learning.services.enrolment import enrol
    from tests.learning_fixtures import build_course, license_to

    course = build_course("matrix-course", video=video_bytes)
    license_to("globex", course)
    lesson = course.lessons.get(title="Check")
    with schema_context("globex"):
        from lib.db import tenant_connection
        from tenants.models import Tenant

        tenant_connection().set_tenant(Tenant.objects.get(slug="globex"))
        learner = User.objects.get(email="li@globex.test")
        enrolment, _ = enrol(learner, course, source="self")
        attempt, _ = quizzes.start_attempt(learner, lesson.pk)
        certificate = certificates.issue(enrolment)
        corporate = _globex_corporate_objects(course, learner)
    return {
        "domain_id": str(Domain.objects.get(domain="globex.localhost").pk),
        "token": "not-a-real-token-000",
        "pk": "1",
        "slug": course.slug,
        "lesson_id": str(course.lessons.get(title="Watch").pk),
        "module_id": str(course.modules.first().pk),
        "attempt_id": str(attempt.pk),
        "code": certificate.code,
        "asset_id": str(course.lessons.get(title="Watch").media_id),
        "license_id": str(course.licenses.first().pk),
        "part_number": "1",
        **corporate,
    }


def _globex_corporate_objects(course, learner) -> dict[str, str]:
    """Globex's own employee, department, group, import, assignment and rule (ids that exist)."""
    from accounts.models import User
    from lms.corporate.models import Department, Employee, Group, ImportJob
    from lms.corporate.services import assignments, rules

    admin = User.objects.get(email="admin@globex.test")
    department = Department.objects.create(name="Globex HQ", path="Globex HQ")
    group = Group.objects.create(name="Globex group")
    job = ImportJob.objects.create(filename="x.csv", content=b"email\n", status="done")
    made = assignments.create_assignments(
        course, [learner.pk], due=assignments.DueSpec(), required=True, source="manual"
    )
    rule, _ = rules.create_rule(
        {"name": "r", "course": course.slug, "target": {"kind": "group", "id": group.pk}}, actor=admin
    )
    from sso.services import config as sso_config

    provider = sso_config.create_provider({"protocol": "saml", "name": "Globex IdP"}, actor=admin)
    return {
        "employee_id": str(Employee.objects.get(user=learner).pk),
        "department_id": str(department.pk),
        "group_id": str(group.pk),
        "job_id": str(job.pk),
        "assignment_id": str(made[0].pk),
        "rule_id": str(rule.pk),
        "provider_id": str(provider.pk),
    }


@pytest.mark.parametrize("endpoint", SCOPED, ids=lambda e: e.name)
@pytest.mark.parametrize("host", ["localhost", "acme.localhost"])
def test_no_credentials_is_refused(endpoint, host, globex_domain_id):
    client = HostClient(host)
    for method in endpoint.methods:
        response = _call(client, method, _url(endpoint, globex_domain_id))
        _assert_refused(response, (endpoint.name, method, host, "anonymous"))


@pytest.mark.parametrize("endpoint", SCOPED, ids=lambda e: e.name)
def test_token_of_another_tenant_is_refused(endpoint, globex_domain_id):
    """A globex admin's token on acme's host, and acme's on the public host."""
    cases = [
        (HostClient("globex.localhost").as_user("admin@globex.test"), "acme.localhost"),
        (HostClient("acme.localhost").as_user("admin@acme.test"), "localhost"),
        (HostClient("localhost").as_user("admin@ffs.local"), "acme.localhost"),
    ]
    for source, target_host in cases:
        token = source._credentials["HTTP_AUTHORIZATION"]
        client = HostClient(target_host)
        client.credentials(HTTP_AUTHORIZATION=token)
        for method in endpoint.methods:
            response = _call(client, method, _url(endpoint, globex_domain_id))
            _assert_refused(response, (endpoint.name, method, target_host, "foreign token"))
            assert response.status_code == 401  # the token itself is refused before any view logic


@pytest.mark.parametrize(
    "endpoint", [e for e in SCOPED if getattr(e.view, "allowed_roles", None)], ids=lambda e: e.name
)
def test_too_low_role_is_refused(endpoint, globex_domain_id):
    candidates = [
        ("acme.localhost", "anna@acme.test", "learner"),
        ("localhost", "student@ffs.local", "student"),
        ("acme.localhost", "hr@acme.test", "hr_manager"),
        ("localhost", "author@ffs.local", "content_author"),
        ("globex.localhost", "li@globex.test", "learner"),
    ]
    low = [
        HostClient(host).as_user(email) for host, email, role in candidates if role not in endpoint.view.allowed_roles
    ]
    assert low
    for client in low:
        for method in endpoint.methods:
            response = _call(client, method, _url(endpoint, globex_domain_id))
            _assert_refused(response, (endpoint.name, method, client.host, client.email, "low role"))
