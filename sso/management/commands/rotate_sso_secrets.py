"""Re-encrypt every stored SSO secret with the newest key of SSO_ENCRYPTION_KEYS.

Key rotation (docs/operations.md): put the new key first in SSO_ENCRYPTION_KEYS and roll out, run
this command, then remove the old key. Each tenant schema is handled in its own transaction, so a
failure leaves every secret readable (old or new key) and the command can simply be run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_exists, tenant_context

from tenants.models import Tenant


def rotate_current_schema() -> int:
    """Rotate the secrets of the schema the connection is on; returns how many were rewritten."""
    from social_django.models import UserSocialAuth

    from sso import crypto
    from sso.models import IdentityProvider, SSOSettings

    count = 0
    with transaction.atomic():
        for row in SSOSettings.objects.select_for_update().exclude(sp_private_key_encrypted=""):
            row.sp_private_key_encrypted = crypto.rotate(row.sp_private_key_encrypted)
            row.save(update_fields=["sp_private_key_encrypted"])
            count += 1
        for idp in IdentityProvider.objects.select_for_update().exclude(oidc_client_secret_encrypted=""):
            idp.oidc_client_secret_encrypted = crypto.rotate(idp.oidc_client_secret_encrypted)
            idp.save(update_fields=["oidc_client_secret_encrypted"])
            count += 1
        # ID tokens kept (encrypted) as the hint for RP-initiated logout
        for link in UserSocialAuth.objects.select_for_update().filter(extra_data__has_key="id_token"):
            link.extra_data = {**link.extra_data, "id_token": crypto.rotate(str(link.extra_data["id_token"]))}
            link.save(update_fields=["extra_data"])
            count += 1
    return count


class Command(BaseCommand):
    help = "Re-encrypt SP private keys, OIDC client secrets and kept ID tokens with the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        # archived tenants too: their secrets would be unreadable once the old key is gone
        for tenant in Tenant.objects.filter(kind="corporate").order_by("slug"):
            if not schema_exists(tenant.schema_name):
                continue  # a provisioning that failed before its schema existed
            with tenant_context(tenant):
                rotated = rotate_current_schema()
            self.stdout.write(f"{tenant.slug}: {rotated} secrets re-encrypted")
            total += rotated
        self.stdout.write(f"done: {total} secrets re-encrypted with the newest key")
