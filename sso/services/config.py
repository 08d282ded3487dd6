"""Configuring identity providers: what a tenant admin does before anyone signs in with SSO.

Every change is one atomic action that records an `IdentityProviderChange` (field names and a
snapshot without secrets) and an audit event. URLs the admin types (SAML metadata, OIDC discovery)
are fetched through `lib.safe_http` (no private/loopback/link-local targets, no redirects, size and
time limits).
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role
from accounts.services import audit
from lib import safe_http, single_use
from lib.db import tenant_connection
from lib.errors import Conflict, DomainError, NotFound

from .. import crypto
from ..models import IdentityProvider, IdentityProviderChange, Protocol, SSOSettings

MAX_METADATA_BYTES = 512 * 1024
JIT_ROLES = (Role.LEARNER, Role.HR_MANAGER)  # JIT never creates tenant admins
MAPPED_FIELDS = ("email", "first_name", "last_name", "employee_id", "department", "manager_email", "groups", "title")

_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
PRESETS: dict[str, dict[str, dict[str, str]]] = {
    # attribute names each IdP sends by default (SAML attribute names or OIDC claims)
    "entra": {
        "saml": {
            "email": _CLAIMS + "emailaddress",
            "first_name": _CLAIMS + "givenname",
            "last_name": _CLAIMS + "surname",
            "groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
            "employee_id": "http://schemas.microsoft.com/identity/claims/employeeid",
            "department": "http://schemas.microsoft.com/identity/claims/department",
        },
        "oidc": {"email": "email", "first_name": "given_name", "last_name": "family_name", "groups": "groups"},
    },
    "adfs": {
        "saml": {
            "email": _CLAIMS + "emailaddress",
            "first_name": _CLAIMS + "givenname",
            "last_name": _CLAIMS + "surname",
            "groups": "http://schemas.xmlsoap.org/claims/Group",
            "employee_id": _CLAIMS + "privatepersonalidentifier",
        },
        "oidc": {"email": "email", "first_name": "given_name", "last_name": "family_name", "groups": "group"},
    },
    "okta": {
        "saml": {
            "email": "email",
            "first_name": "firstName",
            "last_name": "lastName",
            "groups": "groups",
            "employee_id": "employeeNumber",
            "department": "department",
            "manager_email": "managerEmail",
        },
        "oidc": {"email": "email", "first_name": "given_name", "last_name": "family_name", "groups": "groups"},
    },
    "keycloak": {
        "saml": {"email": "email", "first_name": "firstName", "last_name": "lastName", "groups": "groups"},
        "oidc": {"email": "email", "first_name": "given_name", "last_name": "family_name", "groups": "groups"},
    },
    "google": {
        "saml": {"email": "email", "first_name": "firstName", "last_name": "lastName"},
        "oidc": {"email": "email", "first_name": "given_name", "last_name": "family_name"},
    },
}
PRESETS["custom"] = {"saml": {"email": "email"}, "oidc": {"email": "email"}}


def _invalid(field: str, message: str, code: str = "invalid_sso_config") -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


# ---- the company's service-provider identity -----------------------------------------------


def sp_settings() -> SSOSettings:
    """The tenant's SSO settings with an SP key pair (made on first use: RSA 2048, 3 years)."""
    config, _ = SSOSettings.objects.get_or_create(pk=1)
    if not config.sp_certificate:
        with transaction.atomic():
            config = SSOSettings.objects.select_for_update().get(pk=1)
            if not config.sp_certificate:
                key, cert, expires = _new_key_pair(_sp_host())
                config.sp_private_key_encrypted = crypto.encrypt(key)
                config.sp_certificate = cert
                config.sp_certificate_expires_at = expires
                config.save()
    return config


def sp_private_key(config: SSOSettings) -> str:
    return crypto.decrypt(config.sp_private_key_encrypted)


def _sp_host() -> str:
    from tenants.hosts import base_url_for

    return base_url_for(tenant_connection().tenant).split("://", 1)[-1].split(":", 1)[0]


def sp_urls() -> dict[str, str]:
    from tenants.hosts import base_url_for

    base = base_url_for(tenant_connection().tenant)
    return {
        "entity_id": f"{base}/sso/saml/metadata/",
        "metadata_url": f"{base}/sso/saml/metadata/",
        "acs_url": f"{base}/sso/saml/acs/",
        "sls_url": f"{base}/sso/saml/sls/",
        "oidc_redirect_uri": f"{base}/sso/oidc/callback/",
    }


def _new_key_pair(common_name: str) -> tuple[str, str, datetime]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "sp")])
    now = datetime.now(UTC)
    expires = now + timedelta(days=3 * 365)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(expires)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode(), expires


# ---- identity providers --------------------------------------------------------------------


PUBLIC_FIELDS = (
    "slug",
    "name",
    "protocol",
    "enabled",
    "preset",
    "metadata_url",
    "idp_entity_id",
    "idp_sso_url",
    "idp_slo_url",
    "allow_idp_initiated",
    "oidc_discovery_url",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_scopes",
    "attribute_mapping",
    "group_mapping",
    "jit_enabled",
    "default_role",
    "allowed_domains",
    "trust_email_for_linking",
)


def snapshot(idp: IdentityProvider) -> dict[str, Any]:
    data = {name: getattr(idp, name) for name in PUBLIC_FIELDS}
    data["has_client_secret"] = bool(idp.oidc_client_secret_encrypted)
    data["certificates"] = len(idp.idp_certificates or [])
    return json.loads(json.dumps(data, default=str))


def get_provider(pk: Any) -> IdentityProvider:
    try:
        idp = IdentityProvider.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        idp = None
    if idp is None:
        raise NotFound("Identity provider not found.", code="idp_not_found")
    return idp


@dataclass
class Changes:
    fields: list[str]


def _apply(idp: IdentityProvider, data: dict[str, Any]) -> list[str]:
    changed: list[str] = []

    def put(name: str, value: Any) -> None:
        if getattr(idp, name) != value:
            setattr(idp, name, value)
            changed.append(name)

    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name or len(name) > 100:
            raise _invalid("name", "A name of 1-100 characters is shown on the sign-in button.")
        put("name", name)
    if "preset" in data:
        preset = str(data["preset"])
        if preset not in PRESETS:
            raise _invalid("preset", f"Preset is one of {', '.join(sorted(PRESETS))}.")
        put("preset", preset)
        if "attribute_mapping" not in data:
            put("attribute_mapping", dict(PRESETS[preset][idp.protocol]))
    if "attribute_mapping" in data:
        mapping = data["attribute_mapping"]
        if not isinstance(mapping, dict) or not all(
            k in MAPPED_FIELDS and isinstance(v, str) and 0 < len(v) <= 300 for k, v in mapping.items()
        ):
            raise _invalid("attribute_mapping", f"Map any of {', '.join(MAPPED_FIELDS)} to attribute names.")
        if "email" not in mapping:
            raise _invalid("attribute_mapping", "The e-mail attribute must be mapped.")
        put("attribute_mapping", mapping)
    if "group_mapping" in data:
        put("group_mapping", _group_mapping(data["group_mapping"]))
    if "allowed_domains" in data:
        put("allowed_domains", _domains(data["allowed_domains"]))
    for flag in ("enabled", "jit_enabled", "allow_idp_initiated", "trust_email_for_linking"):
        if flag in data:
            put(flag, bool(data[flag]))
    if "default_role" in data:
        if data["default_role"] not in JIT_ROLES:
            raise _invalid("default_role", "New people get the learner or HR manager role.")
        put("default_role", data["default_role"])
    if idp.protocol == Protocol.OIDC:
        if "oidc_client_id" in data:
            put("oidc_client_id", str(data["oidc_client_id"] or "").strip()[:200])
        if data.get("oidc_client_secret"):
            idp.oidc_client_secret_encrypted = crypto.encrypt(str(data["oidc_client_secret"]))
            changed.append("oidc_client_secret")
        if "oidc_scopes" in data:
            scopes = str(data["oidc_scopes"] or "").split()
            if "openid" not in scopes:
                raise _invalid("oidc_scopes", "The scopes must include openid.")
            put("oidc_scopes", " ".join(scopes)[:200])
    return changed


def _domains(raw: Any) -> list[str]:
    from .domains import normalise_domain

    if not isinstance(raw, list) or len(raw) > 50:
        raise _invalid("allowed_domains", "A list of up to 50 e-mail domains, e.g. acme.com.")
    result: list[str] = []
    for item in raw:
        domain = normalise_domain(item)
        if domain is None:
            raise _invalid("allowed_domains", f"{str(item)[:100]!r} is not a domain name.")
        if domain not in result:
            result.append(domain)
    return result


def _group_mapping(raw: Any) -> list[dict[str, Any]]:
    from lms.corporate.models import Group

    if not isinstance(raw, list):
        raise _invalid("group_mapping", 'A list of {"idp_group": "...", "group_id": N}.')
    result = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("idp_group") or "").strip():
            raise _invalid("group_mapping", 'A list of {"idp_group": "...", "group_id": N}.')
        group_id = item.get("group_id")
        if not isinstance(group_id, int) or not Group.objects.filter(pk=group_id).exists():
            raise _invalid("group_mapping", f"Unknown LMS group {group_id!r}.")
        result.append({"idp_group": str(item["idp_group"]).strip()[:300], "group_id": group_id})
    return result


def _record(
    idp: IdentityProvider, action: str, actor: User | None, fields: list[str], request: HttpRequest | None
) -> None:
    IdentityProviderChange.objects.create(
        provider=idp,  # SET_NULL when the provider is deleted: the history row stays
        provider_slug=idp.slug,
        action=action,
        actor_email=getattr(actor, "email", ""),
        changed_fields=fields,
        snapshot=snapshot(idp),
    )
    audit.record(f"sso.provider_{action}", actor=actor, target=idp.slug, request=request, fields=fields)


@transaction.atomic
def create_provider(data: dict[str, Any], *, actor: User, request: HttpRequest | None = None) -> IdentityProvider:
    protocol = data.get("protocol")
    if protocol not in Protocol.values:
        raise _invalid("protocol", "Protocol is saml or oidc.")
    name = str(data.get("name") or "").strip()
    slug = slugify(str(data.get("slug") or name))[:40]
    if not slug:
        raise _invalid("slug", "Give the provider a name.")
    if IdentityProvider.objects.filter(slug=slug).exists():
        raise Conflict("A provider with this slug exists.", code="idp_exists", fields={"slug": ["Already used."]})
    idp = IdentityProvider(slug=slug, protocol=protocol, name=name or slug)
    preset = data.get("preset", "custom")
    idp.attribute_mapping = dict(PRESETS.get(str(preset), PRESETS["custom"])[protocol])
    fields = _apply(idp, {**data, "enabled": False})  # enabled only after a configuration exists
    idp.save()
    if protocol == Protocol.SAML and (data.get("metadata_xml") or data.get("metadata_url")):
        import_saml_metadata(
            idp, xml=data.get("metadata_xml"), url=data.get("metadata_url"), actor=actor, request=request
        )
    if protocol == Protocol.OIDC and data.get("oidc_discovery_url"):
        configure_oidc_discovery(idp, str(data["oidc_discovery_url"]), actor=actor, request=request)
    sp_settings()
    _record(idp, "created", actor, ["slug", "protocol", *fields], request)
    return idp


@transaction.atomic
def update_provider(
    idp: IdentityProvider, data: dict[str, Any], *, actor: User, request: HttpRequest | None = None
) -> IdentityProvider:
    idp = IdentityProvider.objects.select_for_update().get(pk=idp.pk)
    if "protocol" in data and data["protocol"] != idp.protocol:
        raise _invalid("protocol", "The protocol of a provider cannot change; add a new provider.")
    fields = _apply(idp, data)
    # import first: a PATCH may bring the metadata (or discovery) and `enabled` together
    if data.get("metadata_xml") or data.get("metadata_url"):
        import_saml_metadata(
            idp, xml=data.get("metadata_xml"), url=data.get("metadata_url"), actor=actor, request=request
        )
    if data.get("oidc_discovery_url"):
        configure_oidc_discovery(idp, str(data["oidc_discovery_url"]), actor=actor, request=request)
    if idp.enabled and not _is_configured(idp):
        raise _invalid(
            "enabled",
            "Import the IdP metadata (SAML) or the discovery URL and client (OIDC) first.",
            code="idp_not_configured",
        )
    idp.save()
    if fields:
        _record(idp, "updated", actor, fields, request)
    return idp


def _is_configured(idp: IdentityProvider) -> bool:
    if idp.protocol == Protocol.SAML:
        return bool(idp.idp_entity_id and idp.idp_sso_url and idp.idp_certificates)
    return bool(idp.oidc_issuer and idp.oidc_client_id and idp.oidc_client_secret_encrypted)


@transaction.atomic
def delete_provider(idp: IdentityProvider, *, actor: User, request: HttpRequest | None = None) -> None:
    _record(idp, "deleted", actor, [], request)
    idp.delete()


# ---- SAML metadata -------------------------------------------------------------------------


def import_saml_metadata(
    idp: IdentityProvider,
    *,
    xml: str | None = None,
    url: str | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> IdentityProvider:
    """Read the IdP's entity id, SSO/SLO endpoints and signing certificates from its metadata."""
    if idp.protocol != Protocol.SAML:
        raise _invalid("protocol", "Metadata is for SAML providers.")
    if url:
        fetched = safe_http.fetch(url, max_bytes=MAX_METADATA_BYTES, accept="application/samlmetadata+xml, */*")
        xml = fetched.body.decode("utf-8", errors="replace")
        idp.metadata_url = url
    if not xml or not xml.strip():
        raise _invalid("metadata_xml", "Upload the metadata XML or give its URL.")
    if len(xml.encode()) > MAX_METADATA_BYTES:
        raise _invalid("metadata_xml", "The metadata document is too large.")
    parsed = parse_saml_metadata(xml)
    clash = IdentityProvider.objects.filter(idp_entity_id=parsed.entity_id).exclude(pk=idp.pk)
    if clash.exists():
        raise Conflict("Another provider of this company has the same entity ID.", code="idp_exists")
    idp.metadata_xml = xml
    idp.idp_entity_id = parsed.entity_id
    idp.idp_sso_url = parsed.sso_url
    idp.idp_slo_url = parsed.slo_url
    idp.idp_certificates = parsed.certificates
    idp.certificate_expires_at = parsed.expires_at
    idp.save()
    _record(
        idp, "metadata_imported", actor, ["idp_entity_id", "idp_sso_url", "idp_slo_url", "idp_certificates"], request
    )
    return idp


@dataclass(frozen=True)
class SamlMetadata:
    entity_id: str
    sso_url: str
    slo_url: str
    certificates: list[str]
    expires_at: datetime | None


def parse_saml_metadata(xml: str) -> SamlMetadata:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser  # type: ignore[import-untyped]

    redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    try:
        # the parser refuses DTDs and entity expansion (no XXE or billion laughs)
        data = OneLogin_Saml2_IdPMetadataParser.parse(xml, required_sso_binding=redirect, required_slo_binding=redirect)
    except Exception as exc:  # any parser failure of a foreign document is "invalid metadata"
        raise _invalid(
            "metadata_xml", f"This is not valid SAML IdP metadata ({type(exc).__name__}).", code="invalid_metadata"
        ) from exc
    idp = data.get("idp") or {}
    entity_id = str(idp.get("entityId") or "")
    sso_url = str((idp.get("singleSignOnService") or {}).get("url") or "")
    slo_url = str((idp.get("singleLogoutService") or {}).get("url") or "")
    certificates: list[str] = []
    if idp.get("x509cert"):
        certificates.append(str(idp["x509cert"]))
    for cert in (idp.get("x509certMulti") or {}).get("signing", []):
        if cert not in certificates:
            certificates.append(str(cert))
    if not entity_id or not sso_url:
        raise _invalid(
            "metadata_xml", "The metadata has no entity ID or no HTTP-Redirect SSO endpoint.", code="invalid_metadata"
        )
    if not certificates:
        raise _invalid("metadata_xml", "The metadata has no signing certificate.", code="invalid_metadata")
    expiries = [_certificate_expiry(cert) for cert in certificates]
    return SamlMetadata(entity_id, sso_url, slo_url, certificates, min(expiries) if expiries else None)


def _certificate_expiry(cert_b64: str) -> datetime:
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode("".join(cert_b64.split())))
    except ValueError as exc:
        raise _invalid(
            "metadata_xml", "A certificate in the metadata cannot be read.", code="invalid_metadata"
        ) from exc
    return cert.not_valid_after_utc


# ---- OIDC discovery ------------------------------------------------------------------------


def configure_oidc_discovery(
    idp: IdentityProvider, url: str, *, actor: User, request: HttpRequest | None = None
) -> IdentityProvider:
    """Validate the discovery document now, so a typo shows up here and not at someone's login."""
    fetched = safe_http.fetch(url, max_bytes=256 * 1024, accept="application/json")
    try:
        document = json.loads(fetched.body)
    except ValueError as exc:
        raise _invalid("oidc_discovery_url", "The discovery URL did not return JSON.") from exc
    missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(k)]
    if missing:
        raise _invalid("oidc_discovery_url", f"The discovery document lacks {', '.join(missing)}.")
    if "code" not in document.get("response_types_supported", ["code"]):
        raise _invalid("oidc_discovery_url", "The provider does not support the authorization code flow.")
    methods = document.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        raise _invalid("oidc_discovery_url", "The provider does not support PKCE with S256.")
    idp.oidc_discovery_url = url
    idp.oidc_issuer = str(document["issuer"])
    idp.save()
    _record(idp, "discovery_configured", actor, ["oidc_discovery_url", "oidc_issuer"], request)
    return idp


# ---- the company's login policy ------------------------------------------------------------


@transaction.atomic
def update_settings(data: dict[str, Any], *, actor: User, request: HttpRequest | None = None) -> SSOSettings:
    config = SSOSettings.objects.select_for_update().get(pk=sp_settings().pk)
    if "fallback_admin_id" in data:
        fallback_id = data["fallback_admin_id"]
        if fallback_id is None:
            config.fallback_admin = None
        else:
            admin = User.objects.filter(pk=fallback_id, role=Role.TENANT_ADMIN, is_active=True).first()
            if admin is None:
                raise _invalid("fallback_admin_id", "The fallback must be an active tenant admin.")
            config.fallback_admin = admin
    if "sso_required" in data:
        required = bool(data["sso_required"])
        if required and not IdentityProvider.objects.filter(enabled=True).exists():
            raise _invalid("sso_required", "Enable an identity provider before requiring SSO.")
        if required and config.fallback_admin is None:
            raise _invalid("sso_required", "Choose a tenant admin who may still sign in with a password.")
        config.sso_required = required
    config.save()
    audit.record("sso.settings_changed", actor=actor, request=request, fields=sorted(data))
    return config


def certificate_warnings(now: datetime | None = None) -> list[dict[str, Any]]:
    """Certificates expiring within 30 days (IdP signing certificates and our SP certificate)."""
    now = now or timezone.now()
    soon = now + timedelta(days=30)
    warnings = [
        {"provider": idp.slug, "expires_at": idp.certificate_expires_at, "expired": idp.certificate_expires_at <= now}
        for idp in IdentityProvider.objects.filter(certificate_expires_at__lte=soon)
        if idp.certificate_expires_at is not None
    ]
    config = SSOSettings.objects.filter(pk=1).first()
    if config and config.sp_certificate_expires_at and config.sp_certificate_expires_at <= soon:
        warnings.append(
            {
                "provider": None,
                "expires_at": config.sp_certificate_expires_at,
                "expired": config.sp_certificate_expires_at <= now,
            }
        )
    return warnings


# ---- "test connection" ---------------------------------------------------------------------


def new_test_code(idp: IdentityProvider, actor: User) -> str:
    """A one-time code (60 s) that lets the admin's browser run a login in test mode: nothing is
    created or changed, the attributes received are shown. No token ever travels in a URL."""
    code = secrets.token_urlsafe(24)
    cache.set(f"sso:test:{code}", {"idp": idp.pk, "actor": actor.pk}, 60)
    audit.record("sso.connection_test_started", actor=actor, target=idp.slug)
    return code


def claim_test_code(code: str, idp: IdentityProvider) -> bool:
    state = single_use.take(f"sso:test:{code[:100]}")
    return bool(state is not None and state.get("idp") == idp.pk)


def notify_certificate_expiry(now: datetime | None = None) -> int:
    """E-mail the tenant admins 30 and 7 days before a certificate expires (once per threshold:
    the outbox key carries the certificate's expiry date and the threshold)."""
    from lms.corporate.models import NotificationKind
    from lms.corporate.services.notifications import Outgoing, store, tenant_branding

    now = now or timezone.now()
    admins = list(User.objects.filter(role=Role.TENANT_ADMIN, is_active=True))
    messages = []
    for warning in certificate_warnings(now):
        expires: datetime = warning["expires_at"]
        days = max(0, (expires - now).days)
        threshold = 7 if days <= 7 else 30
        names = {idp.slug: idp.name for idp in IdentityProvider.objects.all()}
        for admin in admins:
            messages.append(
                Outgoing(
                    f"sso-cert:{warning['provider'] or 'sp'}:{expires:%Y%m%d}:{threshold}:{admin.pk}",
                    NotificationKind.SSO_CERTIFICATE,
                    admin,
                    {
                        "name": admin.first_name or admin.email,
                        "provider": names.get(warning["provider"] or "", ""),
                        "expires_at": expires,
                        "days": days,
                        "url": f"{tenant_branding()['base']}/admin/sso",
                    },
                )
            )
    return store(messages)
