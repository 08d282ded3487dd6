"""Cache keys are tenant-scoped: the same key in two schemas holds two values."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db


def test_same_cache_key_is_separate_per_schema(acme, globex):
    with schema_context(acme.schema_name):
        cache.set("greeting", "acme-value")
    with schema_context(globex.schema_name):
        assert cache.get("greeting") is None
        cache.set("greeting", "globex-value")
    with schema_context(acme.schema_name):
        assert cache.get("greeting") == "acme-value"
    assert connection.schema_name == "public"
    assert cache.get("greeting") is None


def test_cache_key_carries_the_schema(acme):
    with schema_context(acme.schema_name):
        assert cache.make_key("k").startswith("acme:")
