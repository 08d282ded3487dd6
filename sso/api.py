"""Tenant-admin API for SSO configuration (corporate hosts only). Secrets are write-only."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Role
from lib.api import CORPORATE_KIND, PUBLIC_KIND, ScopedAPIView, request_user
from lib.errors import DomainError

from . import api_schema as schema
from .models import IdentityProvider, IdentityProviderChange, SSOSettings
from .services import config, domains, policy


class SSOAdminView(ScopedAPIView):
    tenant_kinds: ClassVar[frozenset[str]] = frozenset({CORPORATE_KIND})
    allowed_roles: ClassVar[frozenset[str]] = frozenset({Role.TENANT_ADMIN})


def provider_doc(idp: IdentityProvider) -> dict[str, Any]:
    return {
        "id": idp.pk,
        **config.snapshot(idp),
        "certificate_expires_at": idp.certificate_expires_at,
        "configured": config._is_configured(idp),
        "created_at": idp.created_at,
        "updated_at": idp.updated_at,
    }


def settings_doc(sso: SSOSettings) -> dict[str, Any]:
    return {
        "sso_required": sso.sso_required,
        "fallback_admin_id": sso.fallback_admin_id,
        "sp": {
            **config.sp_urls(),
            "certificate": sso.sp_certificate,
            "certificate_expires_at": sso.sp_certificate_expires_at,
        },
        "certificate_warnings": config.certificate_warnings(),
    }


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise DomainError("Expected a JSON object.", code="validation_error")
    return dict(request.data)


class ProviderListView(SSOAdminView):
    @extend_schema(responses={200: schema.PROVIDER_LIST})
    def get(self, request: Request) -> Response:
        return Response(
            {"results": [provider_doc(i) for i in IdentityProvider.objects.all()], "presets": sorted(config.PRESETS)}
        )

    @extend_schema(request=schema.PROVIDER_WRITE, responses={201: schema.PROVIDER})
    def post(self, request: Request) -> Response:
        idp = config.create_provider(_body(request), actor=request_user(request), request=request._request)
        return Response(provider_doc(idp), status=status.HTTP_201_CREATED)


class ProviderView(SSOAdminView):
    @extend_schema(responses={200: schema.PROVIDER})
    def get(self, request: Request, provider_id: int) -> Response:
        return Response(provider_doc(config.get_provider(provider_id)))

    @extend_schema(request=schema.PROVIDER_WRITE, responses={200: schema.PROVIDER})
    def patch(self, request: Request, provider_id: int) -> Response:
        idp = config.update_provider(
            config.get_provider(provider_id), _body(request), actor=request_user(request), request=request._request
        )
        return Response(provider_doc(idp))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, provider_id: int) -> Response:
        config.delete_provider(config.get_provider(provider_id), actor=request_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProviderMetadataView(SSOAdminView):
    """POST a metadata file (multipart `file`) or `{"url": "..."}` / `{"xml": "..."}`."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=dict, responses={200: schema.PROVIDER})
    def post(self, request: Request, provider_id: int) -> Response:
        idp = config.get_provider(provider_id)
        upload = request.FILES.get("file")
        xml = upload.read(config.MAX_METADATA_BYTES + 1).decode("utf-8", errors="replace") if upload else None
        idp = config.import_saml_metadata(
            idp,
            xml=xml or request.data.get("xml"),
            url=None if xml else request.data.get("url"),
            actor=request_user(request),
            request=request._request,
        )
        return Response(provider_doc(idp))


class ProviderTestView(SSOAdminView):
    """POST → `{"url": ...}`: open it in the browser to sign in once at the IdP in test mode."""

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, provider_id: int) -> Response:
        idp = config.get_provider(provider_id)
        if not config._is_configured(idp):
            raise DomainError("Import the IdP metadata or discovery first.", code="idp_not_configured")
        code = config.new_test_code(idp, request_user(request))
        return Response({"url": f"/sso/{idp.protocol}/{idp.slug}/login/?test={code}"})


class ProviderHistoryView(SSOAdminView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, provider_id: int) -> Response:
        idp = config.get_provider(provider_id)
        changes = IdentityProviderChange.objects.filter(provider=idp)[:200]
        return Response(
            {
                "results": [
                    {
                        "action": c.action,
                        "actor": c.actor_email,
                        "fields": c.changed_fields,
                        "snapshot": c.snapshot,
                        "created_at": c.created_at,
                    }
                    for c in changes
                ]
            }
        )


class SettingsView(SSOAdminView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(settings_doc(config.sp_settings()))

    @extend_schema(request=dict, responses={200: dict})
    def patch(self, request: Request) -> Response:
        return Response(
            settings_doc(config.update_settings(_body(request), actor=request_user(request), request=request._request))
        )


def domain_doc(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "domain": item.domain,
        "verified": item.verified,
        "verified_at": item.verified_at,
        "txt_record_name": item.txt_record_name,
        "txt_record_value": item.txt_record_value,
    }


class DomainListView(SSOAdminView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response({"results": [domain_doc(d) for d in domains.domains()]})

    @extend_schema(request=dict, responses={201: dict})
    def post(self, request: Request) -> Response:
        item = domains.add_domain(
            _body(request).get("domain", ""), actor=request_user(request), request=request._request
        )
        return Response(domain_doc(item), status=status.HTTP_201_CREATED)


class DomainView(SSOAdminView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, domain_id: int) -> Response:
        domains.remove_domain(domains.get_domain(domain_id), actor=request_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DomainVerifyView(SSOAdminView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, domain_id: int) -> Response:
        item = domains.verify_domain(
            domains.get_domain(domain_id), actor=request_user(request), request=request._request
        )
        return Response(domain_doc(item))


class LoginOptionsView(ScopedAPIView):
    """Public: the sign-in buttons of this host (empty on the storefront)."""

    public = True

    @extend_schema(responses={200: schema.LOGIN_OPTIONS})
    def get(self, request: Request) -> Response:
        return Response(policy.login_options())


class InvitationSSOView(ScopedAPIView):
    """Public, on a company host: the IdP buttons for accepting an invitation through SSO, each with
    a one-time grant (the invitation token in the URL is the credential, as for the invitation page)."""

    public = True
    tenant_kinds: ClassVar[frozenset[str]] = frozenset({CORPORATE_KIND})

    @extend_schema(request=None, responses={200: schema.LOGIN_OPTIONS})
    def post(self, request: Request, token: str) -> Response:
        from .services import invitations

        return Response(invitations.start_options(token))


class DiscoverView(ScopedAPIView):
    """Public, on the base domain: where an e-mail address signs in (its company's IdP), if known."""

    public = True
    tenant_kinds: ClassVar[frozenset[str]] = frozenset({PUBLIC_KIND})

    @extend_schema(request=schema.DISCOVER_REQUEST, responses={200: schema.DISCOVER})
    def post(self, request: Request) -> Response:
        email = str(_body(request).get("email", ""))[:254]
        return Response({"redirect": domains.discover(email)})
