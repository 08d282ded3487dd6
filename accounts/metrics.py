"""Sign-in metrics. Password logins are counted here; single sign-on has its own
`sso_logins_total{protocol, result}` (sso/metrics.py) and is not counted twice. Dashboards show
both as one "logins by method" panel (`method` = password, saml, oidc).

Labels are bounded: the method and one of `RESULTS`; never the tenant, the user or the address."""

from __future__ import annotations

from prometheus_client import Counter

RESULTS = ("success", "invalid_credentials", "throttled", "refused")

LOGINS = Counter("auth_logins_total", "Password sign-in attempts by method and result", ["method", "result"])

for _result in RESULTS:
    LOGINS.labels("password", _result)
