"""Prometheus metrics of the platform (docs/observability.md).

- `access`    who may read `/metrics`: a bearer token or an address allow-list;
- `registry`  what one scrape returns: every process's samples (prometheus_client multi-process
              mode under gunicorn and Celery's prefork pool) plus values computed at scrape time;
- `endpoint`  the `/metrics` middleware, answered before tenant routing like `/healthz`;
- `http`      django-prometheus' request middlewares with bounded labels;
- `cache`     the Redis cache backend with hit/miss/latency counters;
- `celery`    task runtime/failure/retry metrics, queue depth, the worker's own metrics port;
- `business`  tenants by status, the e-mail outbox and active learners, computed at scrape time;
- `mail`      e-mails sent and failed.

Metrics owned by one app live in that app (`accounts/metrics.py`, `tenants/metrics.py`,
`sso/metrics.py`, `lms/learning/metrics.py`). No label ever carries a tenant, a user, a path or any
other value whose set grows with use: per-tenant questions belong to logs and the audit trail.

`lib.metrics.celery` reads no setting at import time: `config/celery.py` imports it while the
settings module itself is still loading.
"""
