"""Invitations, password setting and reset: how a person gets credentials in a schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lib.db import tenant_connection
from lib.errors import Conflict, DomainError, NotFound

from ..models import Invitation, PasswordResetToken, User, normalize_email
from ..roles import roles_for_kind
from ..tokens import hash_secret, new_secret
from . import audit, auth
from .mail import send_templated

# Checks other apps add without accounts knowing them (the corporate app: seats, deactivated
# employees). An invite guard gets the existing user (or None for a new one) and the role; an
# accept guard gets the user about to activate. Guards raise DomainError to refuse.
invite_guards: list[Callable[[User | None, str], None]] = []
accept_guards: list[Callable[[User], None]] = []


class InvitationGone(DomainError):
    status_code = 410
    code = "invitation_expired"


def _current_kind() -> str:
    return str(getattr(tenant_connection().tenant, "kind", "public"))


def _tenant_url(path: str) -> str:
    from tenants.hosts import base_url_for

    return base_url_for(tenant_connection().tenant) + path


def _tenant_name() -> str:
    from tenants.routing import school_name

    return school_name(tenant_connection().tenant)


def check_password_strength(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "Choose a stronger password.", code="weak_password", fields={"password": list(exc.messages)}
        ) from exc


@transaction.atomic
def invite_user(
    *,
    email: str,
    role: str,
    invited_by: User | None = None,
    request: HttpRequest | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str = "ru",
) -> tuple[User, str]:
    """Create (or re-invite) an inactive user and e-mail a link to set a password.

    Re-inviting an existing, not yet active user issues a fresh token; inviting an active user
    is a conflict (they can reset their password instead)."""
    email = normalize_email(email)
    if role not in roles_for_kind(_current_kind()):
        raise DomainError("This role does not exist here.", code="invalid_role", fields={"role": ["Invalid role."]})
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and user.is_active and user.has_usable_password():
        raise Conflict("A user with this e-mail already exists.", code="user_exists")
    for guard in invite_guards:
        guard(user, role)
    if user is None:
        user = User.objects.create_user(
            email=email, role=role, is_active=False, first_name=first_name, last_name=last_name, language=language
        )
    raw = new_secret()
    Invitation.objects.create(
        user=user,
        token_hash=hash_secret(raw),
        invited_by_email=getattr(invited_by, "email", ""),
        expires_at=timezone.now() + timedelta(seconds=settings.INVITATION_TTL_SECONDS),
    )
    audit.record("user.invited", actor=invited_by, target=email, request=request, role=role)
    send_templated(
        template="invitation",
        to=email,
        language=user.language,
        context={"url": _tenant_url(f"/invite/{raw}"), "school": _tenant_name(), "email": email},
    )
    return user, raw


def valid_invitation(raw: str) -> Invitation:
    invitation = Invitation.objects.select_related("user").filter(token_hash=hash_secret(raw)).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    if invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise InvitationGone("This invitation has expired or was already used.")
    return invitation


def describe_invitation(raw: str) -> dict[str, object]:
    invitation = valid_invitation(raw)
    return {"email": invitation.user.email, "tenant_name": _tenant_name(), "expires_at": invitation.expires_at}


@transaction.atomic
def accept_invitation(
    raw: str, *, password: str, first_name: str = "", last_name: str = "", request: HttpRequest | None = None
) -> auth.TokenPair:
    invitation = valid_invitation(raw)
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationGone("This invitation was already used.")
    user = invitation.user
    for guard in accept_guards:
        guard(user)
    # accepting sets a password and signs in: with "SSO required" that is a password login
    for password_guard in auth.password_login_guards:
        password_guard(user)
    check_password_strength(password, user)
    user.set_password(password)
    user.is_active = True
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(expires_at=timezone.now())
    audit.record("user.invitation_accepted", actor=user, target=user.email, request=request)
    return auth.issue_pair(user, request)


@transaction.atomic
def request_password_reset(email: str, request: HttpRequest | None = None) -> None:
    """Always succeeds from the caller's point of view: no account enumeration."""
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    audit.record("auth.password_reset_requested", target=normalize_email(email), request=request, known=bool(user))
    if user is None:
        return
    try:
        for guard in auth.password_login_guards:  # "SSO required": a password would be useless
            guard(user)
    except DomainError as exc:
        audit.record("auth.password_reset_refused", target=user.email, request=request, reason=exc.code)
        return
    raw = new_secret()
    PasswordResetToken.objects.create(
        user=user,
        token_hash=hash_secret(raw),
        expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TTL_SECONDS),
    )
    send_templated(
        template="password_reset",
        to=user.email,
        language=user.language,
        context={"url": _tenant_url(f"/reset-password/{raw}"), "school": _tenant_name()},
    )


@transaction.atomic
def confirm_password_reset(raw: str, password: str, request: HttpRequest | None = None) -> auth.TokenPair:
    token = (
        PasswordResetToken.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_secret(raw))
        .first()
    )
    if token is None or token.used_at is not None or token.expires_at <= timezone.now() or not token.user.is_active:
        raise DomainError("This reset link is not valid or has expired.", code="reset_token_invalid")
    user = token.user
    for guard in auth.password_login_guards:  # a link mailed before "SSO required" was switched on
        guard(user)
    check_password_strength(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    auth.revoke_all(user)  # a reset ends every existing session
    audit.record("auth.password_reset", actor=user, target=user.email, request=request)
    return auth.issue_pair(user, request)


@transaction.atomic
def create_platform_admin(email: str, password: str) -> tuple[User, bool]:
    """Bootstrap (idempotent): creates or updates the platform admin in the public schema."""
    if tenant_connection().schema_name != "public":
        raise DomainError("Platform admins live in the public schema.", code="wrong_schema")
    user = User.objects.select_for_update().filter(email=normalize_email(email)).first()
    created = user is None
    if user is None:
        user = User(email=email, role="platform_admin")
    check_password_strength(password, user)
    user.role = "platform_admin"
    user.is_active = True
    user.set_password(password)
    user.save()
    audit.record("user.platform_admin_bootstrapped", target=user.email, created=created)
    return user, created
