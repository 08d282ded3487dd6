from __future__ import annotations

from django.db import models


class CertificateIndex(models.Model):
    code = models.CharField(max_length=32, unique=True)
    schema_name = models.CharField(max_length=63)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code
