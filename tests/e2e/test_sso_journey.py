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


def test_employees_sign_in_with_saml_and_oidc_and_find_their_course(browser, live_stack):
    base, port = live_stack["base"], live_stack["port"]
    _article_course(base, "e2e-sso-course", "Styling with SSO")
    saml_co = _tenant(live_stack, "nordwind", "Nordwind")
    oidc_co = _tenant(live_stack, "sudwind", "Sudwind")

    idp = SamlIdP(
        "nordwind-idp",
        {
            "kate": {
                "email": ["kate@nordwind.test"],
                "firstName": ["Kate"],
                "lastName": ["Saml"],
                "groups": ["stylists"],
            }
        },
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sso/saml/metadata/", headers={"Host": f"nordwind.localhost:{port}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        idp.trust_sp(answer.read().decode())
    _enable(
        saml_co,
        {
            "protocol": "saml",
            "name": "Nordwind IdP",
            "slug": "nordwind-idp",
            "preset": "okta",
            "metadata_xml": idp.metadata(),
            "group_mapping": [{"idp_group": "stylists", "group_id": int(saml_co["group"])}],
        },
    )

    provider = OidcProvider(
        clients=[
            {
                "client_id": "sudwind-lms",
                "client_secret": "sudwind-secret",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "redirect_uris": [f"{oidc_co['origin']}/sso/oidc/callback/"],
            }
        ],
        accounts={
            "mark": {
                "email": "mark@sudwind.test",
                "email_verified": True,
                "given_name": "Mark",
                "family_name": "Oidc",
                "groups": ["stylists"],
            }
        },
    )
    try:
        _enable(
            oidc_co,
            {
                "protocol": "oidc",
                "name": "Sudwind ID",
                "slug": "sudwind-id",
                "preset": "keycloak",
                "oidc_discovery_url": provider.discovery_url,
                "oidc_client_id": "sudwind-lms",
                "oidc_client_secret": "sudwind-secret",
                "oidc_scopes": "openid email profile groups",
                "group_mapping": [{"idp_group": "stylists", "group_id": int(oidc_co["group"])}],
            },
        )

        # SAML: the login page's button → the IdP → back, signed in, the course is there
        page = browser.new_context(locale="en-US").new_page()
        page.goto(f"{saml_co['origin']}/login")
        page.evaluate("localStorage.setItem('ffs.lang', 'en')")
        page.goto(f"{saml_co['origin']}/login")
        _shot(page, "sso-login-buttons")
        page.get_by_role("button", name="Sign in with Nordwind IdP").or_(
            page.get_by_role("link", name="Sign in with Nordwind IdP")
        ).first.click()
        page.get_by_role("link", name="kate@nordwind.test").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=20_000)
        page.goto(f"{saml_co['origin']}/learning")
        expect(page.get_by_text("Styling with SSO").first).to_be_visible(timeout=15_000)
        _shot(page, "sso-saml-my-learning")
        page.context.close()

        # OIDC: the provider's login and consent pages → back, signed in, the course is there
        page = browser.new_context(locale="en-US").new_page()
        page.goto(f"{oidc_co['origin']}/login")
        page.evaluate("localStorage.setItem('ffs.lang', 'en')")
        page.goto(f"{oidc_co['origin']}/login")
        page.get_by_role("button", name="Sign in with Sudwind ID").or_(
            page.get_by_role("link", name="Sign in with Sudwind ID")
        ).first.click()
        page.locator("input[name=login]").fill("mark")
        page.locator("input[name=password]").fill("any")
        page.locator("button[type=submit]").first.click()
        page.locator("button[type=submit]").first.click()  # consent
        expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=20_000)
        page.goto(f"{oidc_co['origin']}/learning")
        expect(page.get_by_text("Styling with SSO").first).to_be_visible(timeout=15_000)
        page.context.close()
    finally:
        provider.stop()

    for t, email in ((saml_co, "kate@nordwind.test"), (oidc_co, "mark@sudwind.test")):
        found = requests.get(f"{t['api']}/hr/employees/", headers=t["auth"], params={"search": email}, timeout=10)
        employee = found.json()["results"][0]
        assert employee["status"] == "active" and employee["groups"][0]["name"] == "Stylists"
