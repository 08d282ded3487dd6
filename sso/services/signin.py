"""From a verified external identity to a signed-in employee (both SAML and OIDC end here).

The identity is linked by (provider, subject) in social_django's table, which lives in the tenant's
schema: the same IdP subject in two companies is two unrelated rows. A first login links by e-mail
or, with JIT on, creates the person through the corporate directory's own rules (seat limit,
employee profile); each login refreshes names, department, manager and the groups mapped from the
IdP, and re-applies the auto-assignment rules for that person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from accounts.models import User, normalize_email
from accounts.roles import Role
from accounts.services import audit, auth
from lib.errors import DomainError
from lms.corporate.models import Employee, Membership, MembershipSource
from lms.corporate.services import people
from lms.corporate.services.people import SeatLimitReached

from ..models import IdentityProvider, Protocol
from .saml import SSORefused

logger = logging.getLogger("ffs.sso")


@dataclass
class ExternalIdentity:
    provider: IdentityProvider
    subject: str
    attributes: dict[str, list[str]]
    invitation_grant: str = ""  # a one-time grant from the invitation page (services/invitations.py)


def mapped(identity: ExternalIdentity) -> dict[str, Any]:
    """The LMS fields from the IdP's attributes, by the provider's attribute mapping."""
    result: dict[str, Any] = {}
    for field, attribute in (identity.provider.attribute_mapping or {}).items():
        values = [v for v in identity.attributes.get(attribute, []) if str(v).strip()]
        if not values:
            continue
        result[field] = [str(v).strip() for v in values] if field == "groups" else str(values[0]).strip()
    return result


def provider_key(idp: IdentityProvider) -> str:
    return f"{idp.protocol}:{idp.slug}"


@transaction.atomic
def sign_in(identity: ExternalIdentity, request: HttpRequest) -> auth.TokenPair:
    from social_django.models import UserSocialAuth  # type: ignore[import-untyped]

    idp = identity.provider
    values = mapped(identity)
    email = normalize_email(values.get("email", ""))
    if not identity.subject:
        raise SSORefused("no subject (NameID/sub) in the identity", provider=idp.slug)
    link = (
        UserSocialAuth.objects.select_related("user").filter(provider=provider_key(idp), uid=identity.subject).first()
    )
    user: User | None = link.user if link else None
    if identity.invitation_grant:
        _check_domain(idp, identity, email)
        user = _accept_invitation(idp, identity, email, link, request)
    elif user is None and email:
        _check_domain(idp, identity, email)
        user = User.objects.filter(email=email).first()
        if user is not None:
            _check_linking(idp, identity, user, email)
    if user is None:
        if not email:
            raise SSORefused(
                "the IdP sent no e-mail attribute",
                "Your identity provider did not send an e-mail "
                "address; ask your administrator to check the attribute mapping.",
                provider=idp.slug,
            )
        if not idp.jit_enabled:
            raise SSORefused(
                "not provisioned and JIT is off",
                "You do not have an account here yet; ask your HR department to add you.",
                provider=idp.slug,
            )
        people.lock_seats()
        try:
            people.require_seats(1)
        except SeatLimitReached as exc:
            raise SSORefused(
                "seat limit reached",
                "All seats of your company's learning platform are taken; ask your HR department to free one.",
                provider=idp.slug,
            ) from exc
        user = User.objects.create_user(
            email=email,
            role=idp.default_role,
            first_name=values.get("first_name", "")[:150],
            last_name=values.get("last_name", "")[:150],
        )
        audit.record("sso.user_provisioned", actor=user, target=user.email, request=request, provider=idp.slug)
    employee, _ = Employee.objects.select_for_update().get_or_create(user=user)
    if employee.deactivated_at is not None:
        raise SSORefused("deactivated employee", "Your account was deactivated by your company.", provider=idp.slug)
    if link is None:
        UserSocialAuth.objects.create(user=user, provider=provider_key(idp), uid=identity.subject, extra_data={})
    _refresh_profile(user, employee, values, idp)
    audit.record("sso.login", actor=user, target=user.email, request=request, provider=idp.slug)
    return auth.issue_pair(user, request)


def _accept_invitation(
    idp: IdentityProvider, identity: ExternalIdentity, email: str, link: Any, request: HttpRequest
) -> User:
    """The invited person came from their invitation page: the grant names the account, and the
    IdP's address must be the invited one. This is how HR managers and admins get in when "SSO
    required" is on — the invitation link proves the mailbox, the IdP the identity."""
    from django.utils import timezone

    from accounts.models import Invitation

    from .invitations import claim

    grant = claim(identity.invitation_grant)
    if grant is None:
        raise SSORefused(
            "invitation grant unknown, expired or used",
            "This invitation sign-in has expired; open the invitation link again.",
            provider=idp.slug,
        )
    invitation = Invitation.objects.select_for_update().select_related("user").filter(pk=grant["invitation"]).first()
    if invitation is None or invitation.user_id != grant["user"] or invitation.accepted_at is not None:
        raise SSORefused("invitation gone or already accepted", "This invitation was already used.", provider=idp.slug)
    user = invitation.user
    if not email or email != user.email:
        raise SSORefused(
            f"IdP e-mail {email!r} is not the invited address",
            "Sign in at your identity provider with the address the invitation was sent to.",
            provider=idp.slug,
        )
    if link is not None and link.user_id != user.pk:
        raise SSORefused("this IdP identity belongs to another account", provider=idp.slug)
    from social_django.models import UserSocialAuth

    if link is None and UserSocialAuth.objects.filter(user=user, provider=provider_key(idp)).exists():
        raise SSORefused(f"{email} is already linked to another identity of this provider", provider=idp.slug)
    from accounts.services.users import accept_guards

    try:
        for guard in accept_guards:  # the directory's rules (a deactivated employee stays out)
            guard(user)
    except DomainError as exc:
        raise SSORefused(f"invitation refused: {exc.code}", exc.message, provider=idp.slug) from exc
    now = timezone.now()
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(expires_at=now)
    audit.record("user.invitation_accepted", actor=user, target=user.email, request=request, method="sso")
    return user


def allowed_domains(idp: IdentityProvider) -> set[str]:
    """The e-mail domains this IdP may vouch for: its own list, else the company's verified ones."""
    from .domains import verified_domains

    return set(idp.allowed_domains or []) or verified_domains()


def _check_domain(idp: IdentityProvider, identity: ExternalIdentity, email: str) -> None:
    """Before anyone is created or linked: the address must be in a domain this IdP may vouch for.
    A shared IdP (Google, a multi-tenant Entra app) would otherwise let anyone in the world with an
    account there into the company; Google's `hd` claim names the Workspace domain."""
    allowed = allowed_domains(idp)
    if not allowed:
        if idp.preset == "google":
            raise SSORefused(
                "a Google provider without allowed domains would admit every Google account",
                "Sign-in is not configured completely; ask your administrator to set the allowed domains.",
                provider=idp.slug,
            )
        return  # a company's own IdP with no domains set: it speaks for its own directory
    domain = email.rsplit("@", 1)[-1]
    hosted = [v.lower() for v in identity.attributes.get("hd", [])]
    if idp.preset == "google" and not hosted:
        # a consumer Google account can carry any address: only Workspace accounts (hd) count
        raise SSORefused(
            "Google account without a Workspace domain (hd)",
            "Sign in with your company's Google Workspace account.",
            provider=idp.slug,
        )
    if domain not in allowed or (hosted and hosted[0] not in allowed):
        raise SSORefused(
            f"e-mail domain {domain!r} is not allowed for this provider",
            "Your e-mail address is not in a domain of this company.",
            provider=idp.slug,
        )


def _check_linking(idp: IdentityProvider, identity: ExternalIdentity, user: User, email: str) -> None:
    """Linking an IdP identity to an *existing* account by e-mail is an account takeover if the IdP
    lets people choose their address. So the address must be vouched for: an OIDC provider says
    `email_verified: true`, or (SAML has no such claim) the domain is one the company proved it
    owns or listed for this IdP, or the admin explicitly trusts this IdP's e-mail addresses.
    HR managers and tenant admins are never linked automatically, and an account already linked to
    one identity of this IdP is not linked to a second one."""
    from social_django.models import UserSocialAuth

    verified_claim = [v.lower() for v in identity.attributes.get("email_verified", [])]
    if verified_claim and verified_claim[0] in ("false", "0", "no"):
        raise SSORefused(
            "the IdP marks the e-mail as unverified",
            "Your identity provider has not verified your e-mail address.",
            provider=idp.slug,
        )
    if user.role in (Role.TENANT_ADMIN, Role.HR_MANAGER):
        # an IdP's e-mail attribute is not proof of owning an admin account: never auto-link these
        raise SSORefused(
            f"refusing to auto-link privileged account {email}",
            "This account cannot be linked to single sign-on automatically; sign in with your password.",
            provider=idp.slug,
        )
    if UserSocialAuth.objects.filter(user=user, provider=provider_key(idp)).exists():
        raise SSORefused(
            f"{email} is already linked to another identity of this provider",
            "This account is already linked to another identity; ask your administrator.",
            provider=idp.slug,
        )
    if idp.trust_email_for_linking:
        return
    if idp.protocol == Protocol.OIDC:
        # email_verified speaks about the `email` claim only: with the address mapped from another
        # claim (e.g. upn, preferred_username) it vouches for nothing
        maps_email_claim = (idp.attribute_mapping or {}).get("email", "email") == "email"
        vouched = maps_email_claim and bool(verified_claim) and verified_claim[0] in ("true", "1")
    else:
        vouched = bool(allowed_domains(idp))  # _check_domain already put the address inside them
    if not vouched:
        raise SSORefused(
            "the IdP's e-mail is not vouched for (no email_verified, no verified or allowed domain)",
            "Your account cannot be linked to single sign-on automatically; ask your administrator.",
            provider=idp.slug,
        )


def _refresh_profile(user: User, employee: Employee, values: dict[str, Any], idp: IdentityProvider) -> None:
    changed = []
    for name in ("first_name", "last_name"):
        if values.get(name) and getattr(user, name) != values[name][:150]:
            setattr(user, name, values[name][:150])
            changed.append(name)
    if not user.is_active:
        user.is_active = True  # an invited person who signs in with SSO is active from now on
        changed.append("is_active")
    if changed:
        user.save(update_fields=changed)
    if values.get("title"):
        employee.title = values["title"][:200]
    if (
        values.get("employee_id")
        and not Employee.objects.filter(employee_id=values["employee_id"]).exclude(pk=employee.pk).exists()
    ):
        employee.employee_id = values["employee_id"][:64]
    if values.get("department"):
        try:
            employee.department = people.ensure_department_path(values["department"].replace("\\", "/"))
        except DomainError:  # a department name the directory refuses is skipped, not a failed login
            logger.info("sso: department %r from %s not accepted", values["department"], idp.slug)
    if values.get("manager_email"):
        manager = Employee.objects.filter(user__email=normalize_email(values["manager_email"])).first()
        if manager is not None and manager.pk != employee.pk:
            employee.manager = manager
    employee.save()
    if "groups" in (idp.attribute_mapping or {}):
        received = {g.lower() for g in values.get("groups", [])}
        wanted = {
            int(item["group_id"]) for item in idp.group_mapping or [] if str(item["idp_group"]).lower() in received
        }
        current = set(
            Membership.objects.filter(employee=employee, source=MembershipSource.SSO).values_list("group_id", flat=True)
        )
        Membership.objects.filter(
            employee=employee, source=MembershipSource.SSO, group_id__in=current - wanted
        ).delete()
        Membership.objects.bulk_create(
            [Membership(employee=employee, group_id=g, source=MembershipSource.SSO) for g in wanted - current],
            ignore_conflicts=True,
        )
    people._apply_rules_for([user.pk])
