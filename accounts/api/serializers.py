from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lib.db import tenant_connection

from ..models import AuditEvent, User
from ..roles import Role


class TenantRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    schema = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()


class UserSerializer(serializers.ModelSerializer[User]):
    tenant = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "language", "tenant"]
        read_only_fields = ["id", "email", "role", "tenant"]

    def get_tenant(self, obj: User) -> dict[str, str]:
        tenant = tenant_connection().tenant
        return {
            "slug": getattr(tenant, "slug", "public"),
            "schema": tenant_connection().schema_name,
            "kind": getattr(tenant, "kind", "public"),
            "name": getattr(tenant, "name", ""),
        }


class MeUpdateSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=["ru", "en"], required=False)


class LoginSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer[Any]):
    access = serializers.CharField()
    access_expires_at = serializers.IntegerField()
    user = UserSerializer()


class InvitationInfoSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    tenant_name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class InvitationAcceptSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(max_length=1024, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class InvitationCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=[r.value for r in Role])
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["ru", "en"], required=False, default="ru")


class PasswordResetRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor_id", "actor_email", "action", "target", "ip", "details"]
