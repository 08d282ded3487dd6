"""django-prometheus' request middlewares, with every label bounded.

The `view` label is the URL pattern's name (`auth-token`, `learning-progress`…), never the path:
the URL configuration ends in catch-alls (`api-not-found` for `/api/…`, `spa` for the rest), so a
random path lands on one of those names, and a request that resolves nothing (unknown host,
static files) is `<unnamed view>`. The library already folds unknown HTTP methods into
`<invalid method>` for most metrics but passes the raw method to the latency histogram; gunicorn
accepts any token as a method, so a scanner could mint label values there. `label_metric` is the
library's single hook for labels, and folding the method there covers every metric.

django-prometheus' `PrometheusBeforeMiddleware` is used as it is. Both sit before tenant routing
(config/settings.py), so the router's refusals (unknown host 404, suspended 403, provisioning 503)
are counted with their status too.
"""

from __future__ import annotations

from typing import Any

from django_prometheus import middleware


class PrometheusAfterMiddleware(middleware.PrometheusAfterMiddleware):  # type: ignore[misc]
    """Requests and responses by view, method and status; latency by view and method."""

    def label_metric(self, metric: Any, request: Any, response: Any = None, **labels: str) -> Any:
        if "method" in labels:
            labels["method"] = self._method(request)
        return super().label_metric(metric, request, response, **labels)
