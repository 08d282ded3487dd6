"""Keep the routing cache honest: every change to a routing-relevant row invalidates it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import routing
from .models import Branding, Domain, Tenant


def _after_commit(fn: Any) -> None:
    # Invalidate now (this process) and again after commit, so no reader can re-cache the old row
    # between our invalidation and the commit.
    fn()
    transaction.on_commit(fn)


@receiver([post_save, post_delete], sender=Domain)
def _domain_changed(sender: type[Domain], instance: Domain, **kwargs: Any) -> None:
    _after_commit(lambda: routing.invalidate_host(instance.domain))


@receiver([post_save, post_delete], sender=Tenant)
def _tenant_changed(sender: type[Tenant], instance: Tenant, **kwargs: Any) -> None:
    tenant_id = instance.pk
    _after_commit(lambda: routing.invalidate_tenant(tenant_id))


@receiver([post_save, post_delete], sender=Branding)
def _branding_changed(sender: type[Branding], instance: Branding, **kwargs: Any) -> None:
    tenant_id = instance.tenant_id
    _after_commit(lambda: routing.invalidate_tenant(tenant_id))
