"""Test settings: the real stack (PostgreSQL schemas, Redis), with fast hashing and eager Celery.

Tests that need a real Celery worker start one themselves (tests/test_celery_worker.py).
"""

from urllib.parse import urlparse, urlunparse

from .settings import *  # noqa: F403
from .settings import CACHES, REDIS_URL

DJANGO_ENV = "test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_redis = urlparse(REDIS_URL)
TEST_REDIS_URL = urlunparse(_redis._replace(path="/15"))
for _alias in CACHES.values():
    _alias["LOCATION"] = TEST_REDIS_URL
CELERY_BROKER_URL = urlunparse(_redis._replace(path="/14"))
TENANT_DNS_NAMESERVERS = []

# Object storage: the launcher's s3rver (or S3_ENDPOINT_URL), but a bucket of its own so tests never
# touch development media. tests/test_storage.py creates it (idempotent).
S3_BUCKET_MEDIA = "ffs-test-media"
SSO_ALLOW_PRIVATE_URLS = True  # the test identity providers run on 127.0.0.1
