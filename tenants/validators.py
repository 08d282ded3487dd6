"""Validation of tenant-facing input: slugs, hosts, colours, uploaded images."""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from lib.errors import DomainError, FileTooLarge

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "www",
        "api",
        "admin",
        "static",
        "media",
        "public",
        "app",
        "mail",
        "smtp",
        "ftp",
        "assets",
        "cdn",
        "auth",
        "sso",
        "login",
        "status",
        "help",
        "support",
        "docs",
        "billing",
        "platform",
        "metrics",
        "tenant-template",
        "template",
        "test",
        "internal",
        "webhooks",
        "pg",
        "postgres",
        "information-schema",
    }
)
HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or "--" in slug:
        raise DomainError(
            "Use 3–30 characters: lowercase Latin letters, digits and single hyphens; start with a letter.",
            code="invalid_slug",
            fields={"slug": ["Invalid slug."]},
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-"):
        raise DomainError("This address is reserved.", code="reserved_slug", fields={"slug": ["Reserved."]})
    return slug


def validate_host(host: str) -> str:
    host = (host or "").strip().lower().rstrip(".")
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(HOST_LABEL_RE.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise DomainError(
            "Enter a valid domain name, e.g. learn.example.com.",
            code="invalid_host",
            fields={"host": ["Invalid domain."]},
        )
    base = settings.BASE_DOMAIN.lower()
    if host == base or host.endswith("." + base):
        raise DomainError(
            "Subdomains of the platform's own domain cannot be added as custom domains.",
            code="reserved_host",
            fields={"host": ["Reserved domain."]},
        )
    return host


def validate_color(value: str, field: str) -> str:
    if not COLOR_RE.match(value or ""):
        raise DomainError("Use a colour like #1A2B3C.", code="invalid_color", fields={field: ["Invalid colour."]})
    return value.upper()


ALLOWED_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "ICO": "ico"}


def validate_image(upload: UploadedFile, field: str, formats: set[str]) -> str:
    """Sniff the real type from the bytes (never trust the name or Content-Type); SVG is refused
    because it can carry script. Returns the file extension to store under."""
    if upload.size is not None and upload.size > settings.UPLOAD_IMAGE_MAX_BYTES:
        raise FileTooLarge(
            f"The file is larger than {settings.UPLOAD_IMAGE_MAX_BYTES // 1024} KB.",
            fields={field: ["File too large."]},
        )
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(
            "The file is not a supported image.", code="invalid_image", fields={field: ["Not an image."]}
        ) from exc
    if image_format not in formats:
        raise DomainError(
            f"Allowed image types: {', '.join(sorted(formats))}.",
            code="invalid_image",
            fields={field: ["Unsupported image type."]},
        )
    return ALLOWED_IMAGE_FORMATS[image_format]
