"""Issue #5 journey in real Chromium: an employee of one company signs in through its SAML IdP
(pysaml2) and an employee of another through its OIDC provider (panva oidc-provider); both are
created just in time with their IdP groups mapped, and the course a group rule assigns appears in
"My learning". Set-up (tenants, course, licences, IdP configuration) goes through the API."""

from __future__ import annotations

import re
import time
import urllib.request
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.test_corporate_journey import _article_course, _token, _wait_mail
from tests.e2e.test_onboarding_journey import _shot
from tests.sso_idps import OidcProvider, SamlIdP

pytestmark = pytest.mark.e2e
ADMIN_PASSWORD = "Sso-admin-passw0rd-2026"


def _tenant(live_stack: dict[str, Any], slug: str, name: str) -> dict[str, Any]:
    base, port = live_stack["base"], live_stack["port"]
    admin = _token(base, "admin@ffs.local")
    created = requests.post(
        f"{base}/api/platform/tenants/",
        headers=admin,
        timeout=10,
        json={"slug": slug, "name": name, "admin_email": f"admin@{slug}.test", "seats": 20},
    )
    assert created.status_code == 202, created.text
    for _ in range(120):
        if requests.get(f"{base}/api/platform/tenants/{slug}/", headers=admin, timeout=10).json()["status"] == "active":
            break
        time.sleep(0.5)
    licence = requests.post(
        f"{base}/api/platform/tenants/{slug}/licenses/",
        headers=admin,
        timeout=10,
        json={"course_slug": "e2e-sso-course", "all": False},
    )
    assert licence.status_code in (200, 201), licence.text
    invitation = _wait_mail(live_stack["mail_dir"], f"admin@{slug}.test", "/invite/")
    token = re.search(r"/invite/(\S+)", invitation).group(1)  # type: ignore[union-attr]
    api = f"http://127.0.0.1:{port}/api"
    host = {"Host": f"{slug}.localhost:{port}"}
    accepted = requests.post(
        f"{api}/auth/invitations/{token}/accept/", headers=host, timeout=10, json={"password": ADMIN_PASSWORD}
    )
    assert accepted.ok, accepted.text
    auth = {**host, "Authorization": f"Bearer {accepted.json()['access']}"}
    group = requests.post(f"{api}/hr/groups/", headers=auth, json={"name": "Stylists"}, timeout=10).json()
    rule = requests.post(
        f"{api}/hr/rules/",
        headers=auth,
        timeout=10,
        json={"name": "Stylists learn", "course": "e2e-sso-course", "target": {"kind": "group", "id": group["id"]}},
    )
    assert rule.status_code == 201, rule.text
    return {"api": api, "auth": auth, "group": str(group["id"]), "origin": f"http://{slug}.localhost:{port}"}


def _enable(t: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    created = requests.post(f"{t['api']}/sso/providers/", headers=t["auth"], json=payload, timeout=10)
    assert created.status_code == 201, created.text
    enabled = requests.patch(
        f"{t['api']}/sso/providers/{created.json()['id']}/", headers=t["auth"], json={"enabled": True}, timeout=10
    )
    assert enabled.ok, enabled.text
    return dict(created.json())


def _saml_idp(t: dict[str, Any], slug: str, port: int) -> SamlIdP:
    idp = SamlIdP(
        f"{slug}-saml",
        {"kate": {"email": [f"kate@{slug}.test"], "firstName": ["Kate"], "lastName": ["Saml"], "groups": ["stylists"]}},
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sso/saml/metadata/", headers={"Host": f"{slug}.localhost:{port}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        idp.trust_sp(answer.read().decode())
    _enable(
        t,
        {
            "protocol": "saml",
            "name": f"{slug.title()} SAML",
            "slug": f"{slug}-saml",
            "preset": "okta",
            "metadata_xml": idp.metadata(),
            "group_mapping": [{"idp_group": "stylists", "group_id": int(t["group"])}],
        },
    )
    return idp


def _oidc_provider(t: dict[str, Any], slug: str) -> OidcProvider:
    provider = OidcProvider(
        clients=[
            {
                "client_id": f"{slug}-lms",
                "client_secret": f"{slug}-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"{t['origin']}/sso/oidc/callback/"],
            }
        ],
        accounts={
            "mark": {
                "email": f"mark@{slug}.test",
                "email_verified": True,
                "given_name": "Mark",
                "family_name": "Oidc",
                "groups": ["stylists"],
            }
        },
    )
    _enable(
        t,
        {
            "protocol": "oidc",
            "name": f"{slug.title()} ID",
            "slug": f"{slug}-id",
            "preset": "keycloak",
            "oidc_discovery_url": provider.discovery_url,
            "oidc_client_id": f"{slug}-lms",
            "oidc_client_secret": f"{slug}-secret",
            "oidc_scopes": "openid email profile groups",
            "group_mapping": [{"idp_group": "stylists", "group_id": int(t["group"])}],
        },
    )
    return provider


def _open_login(browser: Any, origin: str) -> Any:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{origin}/login")
    page.evaluate("localStorage.setItem('ffs.lang', 'en')")
    page.goto(f"{origin}/login")
    return page


def _finds_course(page: Any, origin: str) -> None:
    expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=20_000)
    page.goto(f"{origin}/learning")
    expect(page.get_by_text("Styling with SSO").first).to_be_visible(timeout=15_000)


def test_employees_of_each_company_sign_in_with_saml_and_with_oidc(browser, live_stack):
    """Two companies, each with its own SAML IdP and its own OIDC provider; in each, one employee
    signs in through SAML and another through OIDC; both are created on the spot with the mapped
    group, whose rule put the course in "My learning"."""
    base, port = live_stack["base"], live_stack["port"]
    _article_course(base, "e2e-sso-course", "Styling with SSO")
    providers: list[OidcProvider] = []
    try:
        for slug in ("nordwind", "sudwind"):
            t = _tenant(live_stack, slug, slug.title())
            _saml_idp(t, slug, port)
            providers.append(_oidc_provider(t, slug))

            page = _open_login(browser, t["origin"])
            if slug == "nordwind":
                _shot(page, "sso-login-buttons")
            page.get_by_role("link", name=f"Sign in with {slug.title()} SAML").click()
            page.get_by_role("link", name=f"kate@{slug}.test").click()
            _finds_course(page, t["origin"])
            if slug == "nordwind":
                _shot(page, "sso-saml-my-learning")
            page.context.close()

            page = _open_login(browser, t["origin"])
            page.get_by_role("link", name=f"Sign in with {slug.title()} ID").click()
            page.locator("input[name=login]").fill("mark")
            page.locator("input[name=password]").fill("any")
            page.locator("button[type=submit]").first.click()
            page.locator("button[type=submit]").first.click()  # consent
            _finds_course(page, t["origin"])
            page.context.close()

            for email in (f"kate@{slug}.test", f"mark@{slug}.test"):
                found = requests.get(
                    f"{t['api']}/hr/employees/", headers=t["auth"], params={"search": email}, timeout=10
                ).json()["results"]
                assert len(found) == 1, (slug, email, found)
                assert found[0]["status"] == "active" and found[0]["groups"][0]["name"] == "Stylists"
    finally:
        for provider in providers:
            provider.stop()
