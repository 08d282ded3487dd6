"""Demo SSO for `make run` (idempotent): Acme signs in through the development SAML IdP, Globex
through the development OIDC provider; IdP groups map to LMS groups whose rules assign a course."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import User
from lib import safe_http
from lib.db import tenant_connection
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Connect acme to a SAML IdP and globex to an OIDC provider (development identity providers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--saml-metadata-url", required=True)
        parser.add_argument("--oidc-discovery-url", required=True)
        parser.add_argument("--oidc-client-id", default="globex-lms")
        parser.add_argument("--oidc-client-secret", default="globex-dev-secret")

    def handle(self, *args: Any, **options: Any) -> None:
        acme = Tenant.objects.filter(slug="acme", status="active").first()
        globex = Tenant.objects.filter(slug="globex", status="active").first()
        if acme is not None:
            xml = safe_http.fetch(options["saml_metadata_url"], allow_private=True).body.decode()
            self._provider(
                acme,
                "acme-okta",
                {
                    "protocol": "saml",
                    "name": "Acme Okta (dev)",
                    "preset": "okta",
                    "metadata_xml": xml,
                    "allowed_domains": ["acme.test"],
                },
                group="Новые сотрудники",
                idp_group="new-hires",
            )
        if globex is not None:
            self._provider(
                globex,
                "globex-id",
                {
                    "protocol": "oidc",
                    "name": "Globex ID (dev)",
                    "preset": "keycloak",
                    "oidc_discovery_url": options["oidc_discovery_url"],
                    "oidc_client_id": options["oidc_client_id"],
                    "oidc_client_secret": options["oidc_client_secret"],
                    "oidc_scopes": "openid email profile groups",
                    "allowed_domains": ["globex.test"],
                },
                group="Стилисты",
                idp_group="stylists",
            )

    def _provider(self, tenant: Tenant, slug: str, data: dict[str, Any], *, group: str, idp_group: str) -> None:
        from lms.corporate.models import Group
        from lms.corporate.services import rules
        from sso.models import IdentityProvider
        from sso.services import config

        tenant_connection().set_tenant(tenant)
        try:
            admin = User.objects.filter(role="tenant_admin", is_active=True).order_by("pk").first()
            if admin is None or IdentityProvider.objects.filter(slug=slug).exists():
                self.stdout.write(f"sso demo {tenant.slug}: already set up")
                return
            with transaction.atomic():
                lms_group, created = Group.objects.get_or_create(name=group)
                if created and tenant.slug == "globex":
                    rules.create_rule(
                        {
                            "name": "Стилисты: основы шитья",
                            "course": "sewing-basics",
                            "target": {"kind": "group", "id": lms_group.pk},
                            "due_days": 14,
                        },
                        actor=admin,
                    )
                # (make run sets SSO_ALLOW_PRIVATE_URLS: the development IdPs listen on 127.0.0.1)
                idp = config.create_provider(
                    {**data, "slug": slug, "group_mapping": [{"idp_group": idp_group, "group_id": lms_group.pk}]},
                    actor=admin,
                )
                config.update_provider(idp, {"enabled": True}, actor=admin)
            self.stdout.write(f"sso demo {tenant.slug}: {data['protocol']} provider {slug} enabled")
        finally:
            tenant_connection().set_schema_to_public()
