"""SAML service-provider metadata: public, per tenant host, signed with the tenant's SP key."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from lib.db import tenant_connection
from lib.errors import json_error

from .services import config


@require_GET
def saml_metadata(request: HttpRequest) -> HttpResponse:
    if getattr(tenant_connection().tenant, "kind", None) != "corporate":
        return json_error(404, "not_found", "Not found.")
    from onelogin.saml2.metadata import OneLogin_Saml2_Metadata  # type: ignore[import-untyped]
    from onelogin.saml2.settings import OneLogin_Saml2_Settings  # type: ignore[import-untyped]

    sso = config.sp_settings()
    urls = config.sp_urls()
    key = config.sp_private_key(sso)
    settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "sp": {
                "entityId": urls["entity_id"],
                "assertionConsumerService": {
                    "url": urls["acs_url"],
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "singleLogoutService": {
                    "url": urls["sls_url"],
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                "x509cert": sso.sp_certificate,
                "privateKey": key,
            },
            "security": {
                "authnRequestsSigned": True,
                "logoutRequestSigned": True,
                "logoutResponseSigned": True,
                "wantAssertionsSigned": True,
                "signMetadata": False,
                "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
            },
        },
        sp_validation_only=True,
    )
    metadata = settings.get_sp_metadata()
    signed = OneLogin_Saml2_Metadata.sign_metadata(
        metadata,
        key,
        sso.sp_certificate,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmlenc#sha256",
    )
    body = signed if isinstance(signed, bytes) else str(signed).encode()
    return HttpResponse(body, content_type="application/samlmetadata+xml")
