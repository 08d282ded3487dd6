"""OIDC sign-in against panva's oidc-provider on 127.0.0.1 (PKCE required by the provider): JIT
with group mapping, single-use state, nonce, issuer, cross-tenant state and code injection."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from lms.corporate.models import Group, Membership
from tests.conftest import HostClient
from tests.sso_idps import OidcProvider

pytestmark = pytest.mark.django_db
ACME, GLOBEX = "acme.localhost:8000", "globex.localhost:8000"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    server = OidcProvider(
        clients=[
            {
                "client_id": "acme-lms",
                "client_secret": "acme-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"http://{ACME}/sso/oidc/callback/"],
                "post_logout_redirect_uris": [f"http://{ACME}/login"],
            },
            {
                "client_id": "globex-lms",
                "client_secret": "globex-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"http://{GLOBEX}/sso/oidc/callback/"],
            },
        ],
        accounts={
            "olga": {
                "email": "olga@acme.test",
                "email_verified": True,
                "given_name": "Olga",
                "family_name": "Oidc",
                "groups": ["designers"],
            },
            "li": {"email": "li@globex.test", "email_verified": True, "given_name": "Li", "family_name": "Wei"},
            "anna-silent": {"email": "anna@acme.test", "given_name": "Anna"},
            "anna": {"email": "anna@acme.test", "email_verified": True, "given_name": "Anna"},
        },
    )
    yield server
    server.stop()


def _configure(
    host: str,
    admin_email: str,
    client_id: str,
    secret: str,
    provider: OidcProvider,
    group_mapping: list[dict[str, object]] | None = None,
) -> dict[str, object]:
    admin = HostClient(host).as_user(admin_email)
    created = admin.post(
        "/api/sso/providers/",
        {
            "protocol": "oidc",
            "name": "Company OIDC",
            "slug": "company-oidc",
            "preset": "keycloak",
            "oidc_client_id": client_id,
            "oidc_client_secret": secret,
            "oidc_discovery_url": provider.discovery_url,
            "oidc_scopes": "openid email profile groups",
            "group_mapping": group_mapping or [],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    enabled = admin.patch(f"/api/sso/providers/{created.json()['id']}/", {"enabled": True}, format="json")
    assert enabled.status_code == 200, enabled.content
    return {"admin": admin, "id": created.json()["id"]}


@pytest.fixture(scope="module")
def globex_provider() -> Iterator[OidcProvider]:
    """Globex's own provider (a different issuer, keys and accounts from acme's)."""
    server = OidcProvider(
        clients=[
            {
                "client_id": "globex-lms",
                "client_secret": "globex-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"http://{GLOBEX}/sso/oidc/callback/"],
            }
        ],
        accounts={"li": {"email": "li@globex.test", "email_verified": True, "given_name": "Li", "family_name": "Wei"}},
    )
    yield server
    server.stop()


@pytest.fixture
def acme_oidc(provider) -> dict[str, object]:
    with schema_context("acme"):
        group = Group.objects.create(name="Designers")
    return _configure(
        ACME, "admin@acme.test", "acme-lms", "acme-secret", provider, [{"idp_group": "designers", "group_id": group.pk}]
    )


def _authorize(client: HostClient, next_path: str = "/learning") -> str:
    start = client.get("/sso/oidc/company-oidc/login/", {"next": next_path})
    assert start.status_code == 302, start.content[:300]
    return str(start["Location"])


def _callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def _refused(response, schema: str, reason_part: str) -> None:
    assert response.status_code == 403, response.content[:400]
    with schema_context(schema):
        event = AuditEvent.objects.filter(action="sso.login_refused").order_by("-id").first()
    assert event is not None and reason_part in event.details["reason"], event.details if event else None


def test_pkce_and_nonce_are_sent_and_jit_maps_groups(provider, acme_oidc):
    client = HostClient(ACME)
    url = _authorize(client)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0] and "code_verifier" not in query
    callback = provider.login(url, "olga")
    response = client.get(_callback_path(callback))
    assert response.status_code == 303 and response["Location"] == "/learning"
    assert settings.REFRESH_COOKIE_NAME in response.cookies
    with schema_context("acme"):
        user = User.objects.get(email="olga@acme.test")
        assert (user.first_name, user.last_name) == ("Olga", "Oidc")
        assert list(Membership.objects.filter(employee__user=user).values_list("group__name", "source")) == [
            ("Designers", "sso")
        ]
        from social_django.models import UserSocialAuth

        assert UserSocialAuth.objects.get(user=user).provider == "oidc:company-oidc"
    assert client.post("/api/auth/refresh/").json()["user"]["email"] == "olga@acme.test"


def test_existing_account_is_linked_only_when_the_provider_verified_the_email(provider, acme_oidc):
    """OIDC: `email_verified: true` is what vouches for an address; without it an existing account
    is not taken over by whoever set that address at the provider."""
    client = HostClient(ACME)
    _refused(client.get(_callback_path(provider.login(_authorize(client), "anna-silent"))), "acme", "not vouched")
    client = HostClient(ACME)
    assert client.get(_callback_path(provider.login(_authorize(client), "anna"))).status_code == 303
    assert client.post("/api/auth/refresh/").json()["user"]["email"] == "anna@acme.test"


def test_state_is_single_use(provider, acme_oidc):
    client = HostClient(ACME)
    callback = _callback_path(provider.login(_authorize(client), "olga"))
    assert client.get(callback).status_code == 303
    _refused(HostClient(ACME).get(callback), "acme", "state")


def test_acme_state_and_code_are_worthless_at_globex(provider, globex_provider, acme_oidc):
    _configure(GLOBEX, "admin@globex.test", "globex-lms", "globex-secret", globex_provider)
    acme_callback = _callback_path(provider.login(_authorize(HostClient(ACME)), "olga"))
    # the whole acme callback replayed on globex's host: globex has no such state
    _refused(HostClient(GLOBEX).get(acme_callback), "globex", "state")
    # acme's code injected into a genuine globex login: the provider refuses the exchange
    globex = HostClient(GLOBEX)
    globex_state = parse_qs(urlsplit(_authorize(globex)).query)["state"][0]
    acme_code = parse_qs(urlsplit(acme_callback).query)["code"][0]
    _refused(globex.get("/sso/oidc/callback/", {"code": acme_code, "state": globex_state}), "globex", "token endpoint")
    with schema_context("globex"):
        reason = AuditEvent.objects.filter(action="sso.login_refused").order_by("-id").first().details["reason"]
    assert "invalid_grant" in reason and "grant request is invalid" not in reason  # no free text kept
    with schema_context("globex"):
        assert not User.objects.filter(email="olga@acme.test").exists()


def test_nonce_mismatch_is_refused(provider, acme_oidc):
    client = HostClient(ACME)
    url = _authorize(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    callback = provider.login(url, "olga")
    flow = client.cookies["ffs-sso-flow"].value
    with schema_context("acme"):
        from sso.services import browser

        key = f"sso:oidc:flow:{browser.fingerprint(flow)}"
        session = cache.get(key)
        transaction = session[f"oidc_oauth2_state_{state}"]
        session[f"oidc_oauth2_state_{state}"] = {**transaction, "oidc_nonce": "another-login-s-nonce"}
        cache.set(key, session, 60)
    _refused(client.get(_callback_path(callback)), "acme", "nonce")


def test_callback_works_only_in_the_browser_that_started_the_login(provider, acme_oidc):
    """A leaked callback URL (history, proxy log) or a login-CSRF attempt: another browser has no
    flow cookie, is refused, and does not use up the state of the browser that did start it."""
    victim = HostClient(ACME)
    callback = _callback_path(provider.login(_authorize(victim), "olga"))
    attacker = HostClient(ACME)
    _refused(attacker.get(callback), "acme", "browser")
    attacker.cookies["ffs-sso-flow"] = "x" * 43  # a guessed cookie finds no flow either
    _refused(attacker.get(callback), "acme", "state")
    assert victim.get(callback).status_code == 303


def test_issuer_mismatch_is_refused(provider, acme_oidc):
    client = HostClient(ACME)
    callback = provider.login(_authorize(client), "olga")
    with schema_context("acme"):
        from sso.models import IdentityProvider

        IdentityProvider.objects.update(oidc_issuer="http://impostor.test")
    _refused(client.get(_callback_path(callback)), "acme", "issuer")


def test_error_from_the_provider_and_unknown_state(acme_oidc):
    _refused(
        HostClient(ACME).get("/sso/oidc/callback/", {"error": "access_denied", "state": "x"}), "acme", "access_denied"
    )
    _refused(HostClient(ACME).get("/sso/oidc/callback/", {"code": "c", "state": "forged"}), "acme", "state")


def test_connection_test_creates_nobody(provider, acme_oidc):
    url = acme_oidc["admin"].post(f"/api/sso/providers/{acme_oidc['id']}/test/").json()["url"]
    client = HostClient(ACME)
    start = client.get(url)
    page = client.get(_callback_path(provider.login(str(start["Location"]), "olga")))
    assert page.status_code == 200 and "olga@acme.test" in page.content.decode()
    with schema_context("acme"):
        assert not User.objects.filter(email="olga@acme.test").exists()


def test_logout_also_ends_the_provider_session(provider, acme_oidc):
    import requests

    client = HostClient(ACME)
    assert client.get(_callback_path(provider.login(_authorize(client), "olga"))).status_code == 303
    logout = client.post("/api/auth/logout/")
    assert logout.status_code == 200
    url = logout.json()["sso_logout_url"]
    assert url.startswith(f"{provider.issuer}/session/end?") and "id_token_hint=" in url
    assert "post_logout_redirect_uri=http%3A%2F%2Facme.localhost%3A8000%2Flogin" in url
    assert requests.get(url, timeout=10).status_code == 200  # the provider accepts our hint and asks to confirm
    with schema_context("acme"):
        from social_django.models import UserSocialAuth

        stored = UserSocialAuth.objects.get(provider="oidc:company-oidc").extra_data["id_token"]
        assert not stored.startswith("ey")  # the ID token is kept encrypted


def test_logout_still_signs_out_when_the_provider_is_down(provider, acme_oidc):
    """Review finding: a failing discovery during logout rolled back the token revocation (500,
    cookie kept, silent refresh signed the person back in). The local logout must stand."""
    from sso.models import IdentityProvider
    from sso.services.oidc_backend import TenantOpenIdConnect

    client = HostClient(ACME)
    assert client.get(_callback_path(provider.login(_authorize(client), "olga"))).status_code == 303
    with schema_context("acme"):
        IdentityProvider.objects.update(oidc_discovery_url="http://127.0.0.1:9/.well-known/openid-configuration")
    TenantOpenIdConnect.get_openid_configuration.invalidate()
    logout = client.post("/api/auth/logout/")
    assert logout.status_code in (200, 204) and not (logout.content and logout.json().get("sso_logout_url"))
    assert client.post("/api/auth/refresh/").status_code == 401
    # a login start with the provider unreachable: the refusal page and an audit entry, not a 500
    _refused(HostClient(ACME).get("/sso/oidc/company-oidc/login/"), "acme", "discovery unavailable")


def test_login_starts_are_rate_limited_per_address(provider, acme_oidc, settings):
    settings.SSO_LOGIN_STARTS_PER_MINUTE = 3
    client = HostClient(ACME)
    answers = [client.get("/sso/oidc/company-oidc/login/").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    assert HostClient(GLOBEX).get("/sso/oidc/company-oidc/login/").status_code != 429  # per tenant


def test_abandoned_login_nonces_are_swept_daily(provider, acme_oidc):
    import time

    from social_django.models import Association, Nonce

    from sso.tasks import forget_abandoned_oidc_flows

    _authorize(HostClient(ACME))  # started, never finished
    with schema_context("acme"):
        assert Nonce.objects.count() >= 1 and Association.objects.count() >= 1
        assert forget_abandoned_oidc_flows() == 0  # fresh ones stay: the login may still finish
        Nonce.objects.update(timestamp=int(time.time()) - 2 * 86_400)
        Association.objects.update(issued=int(time.time()) - 2 * 86_400)
        assert forget_abandoned_oidc_flows() >= 2
        assert Nonce.objects.count() == 0 and Association.objects.count() == 0


def test_each_start_renews_the_flow_cookie_and_old_flows_are_pruned(provider, acme_oidc):
    from django.core.cache import cache

    from sso.services import browser

    client = HostClient(ACME)
    first = client.get("/sso/oidc/company-oidc/login/")
    second = client.get("/sso/oidc/company-oidc/login/")
    assert second.cookies["ffs-sso-flow"]["max-age"] == browser.FLOW_TTL_SECONDS  # renewed, same flow
    assert second.cookies["ffs-sso-flow"].value == first.cookies["ffs-sso-flow"].value
    flow = browser.fingerprint(first.cookies["ffs-sso-flow"].value)
    with schema_context("acme"):
        session = cache.get(f"sso:oidc:flow:{flow}")
        # both logins may still finish (two tabs)
        assert len([k for k in session if k.startswith("ffs_flow_")]) == 2
        index = session["oidc_oauth2_transaction_index"]
        session["oidc_oauth2_transaction_index"] = {s: t - 3600 for s, t in index.items()}  # both expired
        cache.set(f"sso:oidc:flow:{flow}", session, 60)
    client.get("/sso/oidc/company-oidc/login/")
    with schema_context("acme"):
        session = cache.get(f"sso:oidc:flow:{flow}")
        assert len([k for k in session if k.startswith("ffs_flow_")]) == 1  # only the new login's
