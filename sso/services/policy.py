"""The company's login policy as other parts of the platform see it."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from lib.errors import Forbidden

from ..models import IdentityProvider, SSOSettings


def _corporate() -> bool:
    from lib.db import tenant_connection

    return getattr(tenant_connection().tenant, "kind", None) == "corporate"


def password_login_guard(user: User) -> None:
    """With "SSO required" only the designated fallback admin may still sign in with a password."""
    if not _corporate():
        return
    config = SSOSettings.objects.filter(pk=1).only("sso_required", "fallback_admin_id").first()
    if config and config.sso_required and config.fallback_admin_id != user.pk:
        raise Forbidden("Your company signs in through its identity provider.", code="sso_required")


def logout_hook(user: User, family: str) -> str | None:
    """After the platform's logout: the IdP's logout URL if *this* session began with SSO."""
    if not _corporate():
        return None
    from .slo import logout_code

    return logout_code(user, family)


def login_options() -> dict[str, Any]:
    """What the host's login page shows: a button per enabled provider, and whether the password
    form is still for everyone."""
    if not _corporate():
        return {"providers": [], "sso_required": False}
    config = SSOSettings.objects.filter(pk=1).only("sso_required").first()
    providers = [
        {"name": idp.name, "protocol": idp.protocol, "login_url": f"/sso/{idp.protocol}/{idp.slug}/login/"}
        for idp in IdentityProvider.objects.filter(enabled=True).order_by("name")
    ]
    return {"providers": providers, "sso_required": bool(config and config.sso_required)}
