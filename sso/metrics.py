"""SSO metrics. Labels are bounded (protocol × result), never the tenant or the provider: a label
per tenant would grow without limit and belongs in logs and the audit trail instead."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

LOGINS = Counter("sso_logins_total", "Single sign-on attempts by protocol and result", ["protocol", "result"])
LATENCY = Histogram(
    "sso_login_duration_seconds",
    "Time to process an IdP response (SAML ACS / OIDC callback), including JIT provisioning",
    ["protocol"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5),
)
