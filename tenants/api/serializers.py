from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..hosts import base_url_for
from ..models import Domain, Tenant


class DomainSerializer(serializers.ModelSerializer[Domain]):
    host = serializers.CharField(source="domain")
    verification_txt_name = serializers.CharField(source="txt_record_name", read_only=True)
    verification_txt_value = serializers.CharField(source="txt_record_value", read_only=True)

    class Meta:
        model = Domain
        fields = [
            "id",
            "host",
            "is_primary",
            "is_custom",
            "verified",
            "verified_at",
            "verification_txt_name",
            "verification_txt_value",
        ]


class DomainCreateSerializer(serializers.Serializer[Any]):
    host = serializers.CharField(max_length=253)


class ProvisioningSerializer(serializers.Serializer[Any]):
    state = serializers.CharField(source="provisioning_state")
    progress = serializers.IntegerField(source="provisioning_progress")
    step = serializers.CharField(source="provisioning_step")
    error = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField(source="provisioning_started_at")
    finished_at = serializers.DateTimeField(source="provisioning_finished_at")

    def get_error(self, obj: Tenant) -> str | None:
        return obj.provisioning_error or None


class TenantSerializer(serializers.ModelSerializer[Tenant]):
    seats = serializers.IntegerField(source="seat_limit")
    provisioning = ProvisioningSerializer(source="*")
    domains = DomainSerializer(many=True)
    primary_url = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = [
            "slug",
            "name",
            "kind",
            "status",
            "seats",
            "admin_email",
            "primary_url",
            "schema_name",
            "created_at",
            "updated_at",
            "provisioning",
            "domains",
        ]

    def get_primary_url(self, obj: Tenant) -> str:
        return base_url_for(obj)


class TenantCreateSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    admin_email = serializers.EmailField(max_length=254)
    seats = serializers.IntegerField(min_value=0, max_value=1_000_000)


class TenantUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    seats = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    status = serializers.ChoiceField(choices=["active", "suspended", "archived"], required=False)


class BrandingSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField()
    logo_url = serializers.CharField(allow_null=True)
    favicon_url = serializers.CharField(allow_null=True)
    primary_color = serializers.CharField()
    accent_color = serializers.CharField()
    support_email = serializers.EmailField(allow_null=True)
    metrika_id = serializers.CharField(allow_null=True)
    tenant = serializers.DictField()


class BrandingUpdateSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField(max_length=200, required=False)
    primary_color = serializers.CharField(max_length=7, required=False)
    accent_color = serializers.CharField(max_length=7, required=False)
    support_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    metrika_id = serializers.CharField(max_length=12, required=False, allow_blank=True)
    logo = serializers.FileField(required=False)
    favicon = serializers.FileField(required=False)
