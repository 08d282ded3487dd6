"""Settings for every environment, driven by environment variables (see README "Configuration").

`DJANGO_ENV` is `dev` (default: `make run`), `test` (`make test`) or `production`. Production refuses
to start without the secrets it needs instead of silently running with development defaults.
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab

from lib.logs.config import logging_config
from lib.security import base_policy, storage_origins

from . import env

BASE_DIR: Path = env.BASE_DIR
DATA_DIR = Path(env.get_str("FFS_DATA_DIR", str(BASE_DIR / ".data")))

DJANGO_ENV = env.get_str("DJANGO_ENV", "dev")
if DJANGO_ENV not in {"dev", "test", "production"}:
    raise ValueError("DJANGO_ENV must be dev, test or production")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env.get_bool("DJANGO_DEBUG", False)

_secret = env.get("SECRET_KEY")
if not _secret:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production")
    _secret = "dev-insecure-secret-key-change-me-0123456789abcdef0123456789"  # noqa: S105 (dev only)
SECRET_KEY: str = _secret
JWT_SIGNING_KEY: str = env.get_str("JWT_SIGNING_KEY", SECRET_KEY)

# Hosts: the tenant middleware is the real gatekeeper (unknown host -> 404), and custom domains
# are arbitrary names, so Django's own host check accepts any syntactically valid host.
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["*"])
BASE_DOMAIN = env.get_str("BASE_DOMAIN", "localhost")
PUBLIC_EXTRA_HOSTS = env.get_list("PUBLIC_EXTRA_HOSTS", [] if PRODUCTION else ["127.0.0.1"])
PUBLIC_URL_SCHEME = env.get_str("PUBLIC_URL_SCHEME", "https" if PRODUCTION else "http")
PUBLIC_PORT = env.get_str("PUBLIC_PORT", "" if PRODUCTION else env.get_str("PORT", "8000"))

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "lms.catalog",
    "lms.registry",
    "lms.learning",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "accounts",
    "lms.learning",
    "lms.corporate",
    "sso",
    # external identities (provider, subject) per schema: two companies' users with the same
    # IdP subject can never collide or cross
    "social_django",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_NAME = "public"
TENANT_SUBPROCESS_PARALLEL = env.get_int("MIGRATION_PARALLEL", 2)
# the same figure for django-tenants' multiprocessing executor (the Helm migration Job uses it)
TENANT_MULTIPROCESSING_MAX_PROCESSES = TENANT_SUBPROCESS_PARALLEL

DATABASE_URL = env.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/ffs"
DATABASES = {"default": env.database_from_url(DATABASE_URL)}
# django-tenants' schema routing + django-prometheus' query metrics (lib/db_backend/base.py)
DATABASES["default"]["ENGINE"] = "lib.db_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env.get_str("TEST_DATABASE_NAME", "test_ffs")}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CACHES = {
    "default": {
        "BACKEND": "lib.metrics.cache.MeteredRedisCache",  # Django's RedisCache + metrics
        "METRICS_NAME": "default",
        "LOCATION": REDIS_URL,
        # Every key carries the current schema: tenant A can never read tenant B's cache.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": env.get_str("CACHE_KEY_PREFIX", "ffs"),
        "TIMEOUT": 300,
    },
    # Host -> tenant routing and branding: global keys, deliberately not schema-prefixed.
    "routing": {
        "BACKEND": "lib.metrics.cache.MeteredRedisCache",
        "METRICS_NAME": "routing",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.get_str("CACHE_KEY_PREFIX", "ffs") + "-routing",
        "TIMEOUT": 600,
    },
}

CELERY_BROKER_URL = env.get("CELERY_BROKER_URL") or REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "tenants.tasks.schema_probe": {"queue": "default"},
    "tenants.tasks.backup_*": {"queue": "default"},  # before tenants.tasks.*: backups never delay onboarding
    "tenants.tasks.*": {"queue": "provisioning"},
    "accounts.tasks.*": {"queue": "notifications"},
    "lms.corporate.tasks.deliver_notifications": {"queue": "notifications"},
    "lms.corporate.tasks.schedule_*": {"queue": "notifications"},
    "lms.corporate.tasks.*": {"queue": "default"},
    "sso.tasks.*": {"queue": "notifications"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# SSO: metadata/discovery URLs that tenant admins type are fetched only from public addresses
# unless this is on (development and tests run their identity providers on 127.0.0.1)
SSO_ALLOW_PRIVATE_URLS = env.get_bool("SSO_ALLOW_PRIVATE_URLS", DEBUG)
SSO_LOGIN_STARTS_PER_MINUTE = env.get_int("SSO_LOGIN_STARTS_PER_MINUTE", 30)  # per client address and tenant
# Fernet keys for secrets at rest, newest first (docs/sso.md); derived from SECRET_KEY when unset
SSO_ENCRYPTION_KEYS = env.get_str("SSO_ENCRYPTION_KEYS", "")
# memory for the HR dashboard's one aggregate statement (SET LOCAL, that statement only)
REPORTS_WORK_MEM_MB = env.get_int("REPORTS_WORK_MEM_MB", 64)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # reminders, overdue notices, escalations, digests: hourly; each message is keyed, so an
    # extra run (or two beats by mistake) sends nothing twice
    "corporate-schedule": {"task": "lms.corporate.tasks.schedule_all_tenants", "schedule": 3600.0},
    # rules re-applied and re-certification cycles opened: nightly, 02:15 school time
    "sso-certificate-expiry": {
        "task": "sso.tasks.certificate_expiry_all_tenants",
        "schedule": crontab(hour=8, minute=0),
    },
    "corporate-nightly": {
        "task": "lms.corporate.tasks.nightly_all_tenants",
        "schedule": crontab(hour=2, minute=15),
    },
    # one logical backup per active tenant per day (idempotent), retention pruning, expired
    # replaced schemas dropped (docs/backup.md)
    "tenant-backups": {"task": "tenants.tasks.backup_all_tenants", "schedule": crontab(hour=1, minute=30)},
}

MIDDLEWARE = [
    # first: request id + access line for everything below, probes and routing refusals included
    "lib.logs.middleware.RequestLogMiddleware",
    "lib.health.HealthCheckMiddleware",
    # /metrics before tenant routing (token or allow-list); then the request metrics, placed before
    # routing so its refusals are counted too (lib/metrics/http.py)
    "lib.metrics.endpoint.MetricsEndpointMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "lib.metrics.http.PrometheusAfterMiddleware",
    # CSP before routing, so refusal pages carry the policy; Metrika per tenant after it (lib/security.py)
    "lib.security.ContentSecurityPolicyMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "lib.security.TenantContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lib.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCESS_TOKEN_TTL_SECONDS = env.get_int("ACCESS_TOKEN_TTL_SECONDS", 600)
REFRESH_TOKEN_TTL_SECONDS = env.get_int("REFRESH_TOKEN_TTL_SECONDS", 14 * 24 * 3600)
REFRESH_COOKIE_NAME = "ffs_refresh"
REFRESH_COOKIE_SECURE = env.get_bool("REFRESH_COOKIE_SECURE", PRODUCTION)
INVITATION_TTL_SECONDS = env.get_int("INVITATION_TTL_SECONDS", 7 * 24 * 3600)
PASSWORD_RESET_TTL_SECONDS = env.get_int("PASSWORD_RESET_TTL_SECONDS", 3600)
LOGIN_MAX_FAILURES = env.get_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env.get_int("LOGIN_LOCKOUT_SECONDS", 900)

# Host -> tenant routing cache: Redis for every process, plus a short in-process TTL so a hot
# process does no network round trip at all for most requests.
TENANT_ROUTING_LOCAL_TTL_SECONDS = env.get_int("TENANT_ROUTING_LOCAL_TTL_SECONDS", 5)
TENANT_ROUTING_CACHE_TTL_SECONDS = env.get_int("TENANT_ROUTING_CACHE_TTL_SECONDS", 600)
TENANT_DNS_NAMESERVERS = env.get_list("TENANT_DNS_NAMESERVERS", [])
TENANT_DNS_TIMEOUT_SECONDS = env.get_int("TENANT_DNS_TIMEOUT_SECONDS", 3)
# Test hook: makes provisioning fail at a named step, to prove failure handling (never in production).
TENANT_PROVISIONING_FAIL_AT = None if PRODUCTION else env.get("TENANT_PROVISIONING_FAIL_AT")

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = env.get_str("STATIC_URL", "/static/")
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.exists() else []
WHITENOISE_USE_FINDERS = not PRODUCTION
# Public assets (course covers, tenant logos) may be served from a CDN in front of the bucket.
MEDIA_URL = env.get_str("MEDIA_PUBLIC_BASE_URL", "/media/").rstrip("/") + "/"
MEDIA_ROOT = DATA_DIR / "media"
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_IMAGE_MAX_BYTES = env.get_int("UPLOAD_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- object storage ---
# Private course media (videos, files) on S3-compatible object storage: Selectel S3 in production,
# the s3rver that platform/launcher.py starts in development (it writes the S3_* values to
# .data/runtime.env). Browsers get short-lived presigned URLs only; see docs/storage.md.
# Public assets use STORAGES["default"] (S3_BUCKET_ASSETS below); course media storages["media"].
S3_ENDPOINT_URL = env.get("S3_ENDPOINT_URL")  # e.g. https://s3.ru-1.storage.selcloud.ru; unset = AWS
S3_ACCESS_KEY_ID = env.get("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env.get("S3_SECRET_ACCESS_KEY")
S3_BUCKET_MEDIA = env.get("S3_BUCKET_MEDIA")
S3_REGION = env.get_str("S3_REGION", "us-east-1")
S3_ADDRESSING_STYLE = env.get_str("S3_ADDRESSING_STYLE", "path")
if S3_ADDRESSING_STYLE not in {"path", "virtual", "auto"}:
    raise ValueError("S3_ADDRESSING_STYLE must be path, virtual or auto")
# URLs handed to browsers: SigV4 in production; the launcher sets `s3` (SigV2) for the local
# s3rver, which verifies only SigV2 query signatures (docs/storage.md).
S3_PRESIGN_SIGNATURE_VERSION = env.get_str("S3_PRESIGN_SIGNATURE_VERSION", "s3v4")
if S3_PRESIGN_SIGNATURE_VERSION not in {"s3v4", "s3"}:
    raise ValueError("S3_PRESIGN_SIGNATURE_VERSION must be s3v4 or s3")
MEDIA_SIGNED_URL_TTL_SECONDS = env.get_int("MEDIA_SIGNED_URL_TTL_SECONDS", 300)
MEDIA_UPLOAD_MAX_BYTES = env.get_int("MEDIA_UPLOAD_MAX_BYTES", 5 * 1024 * 1024 * 1024)
MEDIA_PUBLIC_BASE_URL = env.get("MEDIA_PUBLIC_BASE_URL")  # optional CDN base for public assets
# The backend reads the S3_* settings above when it is instantiated; every key it writes is
# prefixed with the current tenant (tenants/<schema>/…), evaluated per call.
STORAGES["media"] = {"BACKEND": "lib.storage.PrivateMediaStorage"}
# Public assets (logos, favicons, course covers): a public-read bucket behind the CDN when set —
# required in Kubernetes (read-only root filesystem, several pods); the filesystem otherwise.
S3_BUCKET_ASSETS = env.get("S3_BUCKET_ASSETS")
if S3_BUCKET_ASSETS:
    STORAGES["default"] = {"BACKEND": "lib.storage.PublicAssetStorage"}
# --- end object storage ---

# --- tenant backups (docs/backup.md) ---
# Logical per-tenant backups on the same S3 endpoint: their own bucket in production (Terraform's
# `backups`), the media bucket under BACKUP_PREFIX when unset (development, tests).
S3_BUCKET_BACKUPS = env.get("S3_BUCKET_BACKUPS")
BACKUP_PREFIX = env.get_str("BACKUP_PREFIX", "backups").strip("/")
# Server-side encryption requested on every backup object: "AES256" (SSE-S3), "aws:kms" or "" (off,
# for a store that rejects the header). s3rver accepts the header and ignores it.
BACKUP_SERVER_SIDE_ENCRYPTION = env.get_str("BACKUP_SERVER_SIDE_ENCRYPTION", "AES256")
if BACKUP_SERVER_SIDE_ENCRYPTION not in {"", "AES256", "aws:kms"}:
    raise ValueError("BACKUP_SERVER_SIDE_ENCRYPTION must be AES256, aws:kms or empty")
BACKUP_SSE_KMS_KEY_ID = env.get("BACKUP_SSE_KMS_KEY_ID")
BACKUP_KEEP_DAILY = env.get_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env.get_int("BACKUP_KEEP_WEEKLY", 4)
# an in-place restore keeps the replaced schema this long (the nightly backup run drops it after)
BACKUP_REPLACED_SCHEMA_GRACE_DAYS = env.get_int("BACKUP_REPLACED_SCHEMA_GRACE_DAYS", 7)
# how long the swap of an in-place restore waits for the tenant's open transactions, per attempt
BACKUP_SWAP_LOCK_TIMEOUT_MS = env.get_int("BACKUP_SWAP_LOCK_TIMEOUT_MS", 5000)
# --- end tenant backups ---

# --- metrics (docs/observability.md) ---
# /metrics answers a bearer token (constant-time compare) or a client address in the allow-list;
# anything else gets 404. Multi-process mode follows PROMETHEUS_MULTIPROC_DIR (environment only).
METRICS_TOKEN = env.get_str("METRICS_TOKEN", "")
METRICS_ALLOWED_CIDRS = env.get_list("METRICS_ALLOWED_CIDRS", [] if PRODUCTION else ["127.0.0.1/32", "::1/128"])
# A Celery worker serves its own /metrics on this port (0 = off); see lib/metrics/celery.py.
CELERY_METRICS_PORT = env.get_int("CELERY_METRICS_PORT", 0)
CELERY_METRICS_ADDRESS = env.get_str("CELERY_METRICS_ADDRESS", "0.0.0.0" if PRODUCTION else "127.0.0.1")  # noqa: S104
# Request and query latency buckets (django-prometheus): fine below 100 ms where the API lives,
# and up to gunicorn's 60 s timeout (+Inf is added by the client library).
PROMETHEUS_LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# --- end metrics ---

EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "lib.mail.FilePerMessageBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Fashion Factory School <no-reply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "lib.pagination.Pagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "lib.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fashion Factory School LMS API",
    "DESCRIPTION": "Multi-tenant LMS. The host decides the tenant; tokens are valid on their own host only.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lib.openapi.add_plain_views",
        "lib.openapi.name_colliding_operations",
    ],
    # the corporate roles (a subset of accounts.roles.Role) get one name of their own
    "ENUM_NAME_OVERRIDES": {"TenantRoleEnum": "lms.corporate.services.people.TENANT_ROLES"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# `preload` only marks the header as eligible; submitting the base domain to the browsers' preload
# list stays a deliberate step (docs/security.md). Off: `check --deploy` warns (security.W021).
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# security.W003 (no CsrfViewMiddleware) is silenced on purpose: no view authenticates by a cookie
# that a cross-site form could ride. The API takes bearer tokens (DRF views are CSRF-exempt anyway);
# the one cookie, the refresh token, is HttpOnly, SameSite=Strict and scoped to /api/auth/; SAML's
# assertion consumer must accept the IdP's cross-site POST. The middleware would protect nothing and
# would answer API POSTs to unknown paths with an HTML 403 instead of the JSON error (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): SPA, storage origins for presigned URLs, CDN origins;
# Yandex.Metrika is added per tenant by lib.security.TenantContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = base_policy(
    static_url=STATIC_URL,
    media_url=MEDIA_URL,
    storage=storage_origins(S3_ENDPOINT_URL, [S3_BUCKET_MEDIA, S3_BUCKET_ASSETS], S3_ADDRESSING_STYLE, S3_REGION),
    production=PRODUCTION,
)

# --- logging (docs/logging.md) ---
# JSON lines on stdout (Fluent Bit -> Elasticsearch) with request id, tenant and user id, redacted;
# `plain` is the readable default of development (`make run`).
LOG_FORMAT = env.get_str("LOG_FORMAT", "plain" if DJANGO_ENV == "dev" else "json")
LOGGING = logging_config(LOG_FORMAT, env.get_str("LOG_LEVEL", "INFO"))
# --- end logging ---
