"""Accepting an invitation through the company's IdP.

With "SSO required" an invitation cannot be accepted with a password, and HR managers and tenant
admins are never linked to an IdP identity by e-mail alone (an IdP that lets people set their own
address could take over a privileged account). An invited person therefore proves two things in
one browser flow: the invitation link (they read that mailbox) and a sign-in at the company's IdP
with the same address. The invitation page asks for a one-time grant (10 minutes, Redis) and sends
the browser to the IdP with it; `signin.sign_in` links that identity to the invited account, marks
the invitation accepted and activates the person.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache

from accounts.services.users import valid_invitation
from lib import single_use

from . import policy

GRANT_TTL_SECONDS = 600


def _key(code: str) -> str:
    return f"sso:invitation-grant:{code}"


def start_options(raw_token: str) -> dict[str, Any]:
    """The sign-in buttons for an invitation, each carrying the same one-time grant."""
    invitation = valid_invitation(raw_token)  # 404 / 410 like the invitation page itself
    options = policy.login_options()
    if not options["providers"]:
        return {"providers": [], "sso_required": options["sso_required"]}
    code = secrets.token_urlsafe(24)
    cache.set(_key(code), {"user": invitation.user_id, "invitation": invitation.pk}, GRANT_TTL_SECONDS)
    return {
        "providers": [{**p, "login_url": f"{p['login_url']}?link={code}"} for p in options["providers"]],
        "sso_required": options["sso_required"],
    }


def claim(code: str) -> dict[str, int] | None:
    """Single use: of two callbacks with the same grant only one gets it."""
    if not code or len(code) > 64:
        return None
    value = single_use.take(_key(code))
    if value is None:
        return None
    return {"user": int(value["user"]), "invitation": int(value["invitation"])}
