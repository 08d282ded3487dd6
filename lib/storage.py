"""Private course media on S3-compatible object storage (Selectel S3 in production, s3rver locally).

Two ways in, one bucket (`S3_BUCKET_MEDIA`), every key under the current tenant's prefix:

- `PrivateMediaStorage` (`storages["media"]`): the Django storage API for server-side writes and reads.
  Its `location` is computed on every call from the connection's schema, so one storage instance
  (Django caches it per process) writes under `tenants/acme/…` inside acme's schema and under
  `tenants/globex/…` inside globex's, never under the schema that happened to be active at import.
- Module functions on full object keys (`object_key()` makes them): presigned GET URLs for playback
  and downloads, presigned multipart uploads that browsers PUT straight to the bucket, ranged reads
  for content sniffing (`sniff_media`), size and delete.

The bucket is private: on S3/Selectel nothing is readable without a presigned URL, and URLs live
`MEDIA_SIGNED_URL_TTL_SECONDS` (s3rver checks only the expiry: see docs/storage.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypedDict, cast
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from storages.backends.s3 import S3Storage

from lib.db import tenant_connection

if TYPE_CHECKING:
    import redis
    from mypy_boto3_s3 import S3Client

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
PART_SIZE = 8 * MIB  # what the SPA uploads per part
MIN_PART_SIZE = 5 * MIB  # S3's minimum for every part but the last
MAX_PARTS = 10_000  # S3's maximum part number
HEAD_BYTES = 4096  # enough for every signature sniff_media knows
MULTIPART_TRACKING_TTL_SECONDS = 7 * 24 * 3600  # match a bucket lifecycle rule aborting stale uploads

_SCHEMA_RE = re.compile(r"^[a-z0-9_]{1,63}$")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_UNSUPPORTED = {"MethodNotAllowed", "NotImplemented"}  # s3rver's answers to ListParts / AbortMultipartUpload


class PartInfo(TypedDict):
    PartNumber: int
    ETag: str
    Size: int


class CompletedPart(TypedDict):
    PartNumber: int
    ETag: str


# --- keys -------------------------------------------------------------------------------------


def tenant_prefix() -> str:
    """`tenants/<schema>` for a tenant schema, `public` for the storefront; read at call time."""
    return prefix_for_schema(tenant_connection().schema_name)


def prefix_for_schema(schema: str) -> str:
    """The key prefix of one schema's objects, without switching to it (backups list a tenant's
    media from the public schema)."""
    if not _SCHEMA_RE.match(schema or ""):
        raise SuspiciousOperation(f"unexpected schema name {schema!r}")
    if schema == settings.PUBLIC_SCHEMA_NAME:
        return "public"
    return f"tenants/{schema}"


def safe_filename(filename: str, max_length: int = 100) -> str:
    """An ASCII, path-free file name for an object key (the original name is kept in the database)."""

    def ascii_only(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")

    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip("."):  # no extension, or a dot file such as ".hidden"
        stem, ext = name, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:16]
    stem = ascii_only(stem)[: max(1, max_length - len(ext) - 1)] or "file"
    return f"{stem}.{ext}" if ext else stem


def object_key(kind: str, filename: str) -> str:
    """`tenants/<schema>/<kind>/<uuid>/<safe filename>` (`public/<kind>/…` in the public schema)."""
    if not _KIND_RE.match(kind):
        raise ValueError(f"invalid media kind {kind!r}")
    return f"{tenant_prefix()}/{kind}/{uuid.uuid4().hex}/{safe_filename(filename)}"


def part_size_for(total_bytes: int) -> int:
    """`PART_SIZE`, or the smallest whole MiB multiple that fits `total_bytes` into `MAX_PARTS`."""
    if total_bytes <= PART_SIZE * MAX_PARTS:
        return PART_SIZE
    per_part = -(-total_bytes // MAX_PARTS)
    return -(-per_part // MIB) * MIB


# --- Django storage ---------------------------------------------------------------------------


class PublicAssetStorage(S3Storage):
    """Public assets (branding logos, favicons, course covers) in their own bucket behind the CDN.

    `STORAGES["default"]` in production: pods have a read-only root filesystem and several
    replicas, so Django's filesystem storage cannot hold uploads there. The bucket is public-read
    by its policy (never by per-object ACLs) and `MEDIA_PUBLIC_BASE_URL` names the CDN in front of
    it; nothing private may ever be stored here — course media uses `PrivateMediaStorage`.
    """

    def get_default_settings(self) -> dict[str, Any]:
        from urllib.parse import urlsplit

        defaults: dict[str, Any] = super().get_default_settings()
        base = settings.MEDIA_PUBLIC_BASE_URL or ""
        parts = urlsplit(base)
        defaults.update(
            access_key=settings.S3_ACCESS_KEY_ID,
            secret_key=settings.S3_SECRET_ACCESS_KEY,
            bucket_name=settings.S3_BUCKET_ASSETS,
            endpoint_url=settings.S3_ENDPOINT_URL,
            region_name=settings.S3_REGION,
            addressing_style=settings.S3_ADDRESSING_STYLE,
            signature_version="s3v4",
            default_acl=None,
            querystring_auth=False,  # public objects: stable, cacheable URLs
            file_overwrite=False,
            custom_domain=(parts.netloc + parts.path.rstrip("/")) if parts.netloc else None,
            url_protocol=f"{parts.scheme}:" if parts.scheme else "https:",
            object_parameters={"CacheControl": "public, max-age=31536000, immutable"},
            session_profile=None,
        )
        return defaults


class PrivateMediaStorage(S3Storage):
    """Private, tenant-prefixed S3 storage: no public ACL, presigned URLs only, no overwrites.

    Names given to and returned by this storage are relative to the tenant prefix
    (`save("videos/a.mp4", …)` stores `tenants/<schema>/videos/a.mp4`); the module functions
    below take full keys instead.
    """

    def get_default_settings(self) -> dict[str, Any]:
        defaults: dict[str, Any] = super().get_default_settings()
        defaults.update(
            access_key=settings.S3_ACCESS_KEY_ID,
            secret_key=settings.S3_SECRET_ACCESS_KEY,
            bucket_name=settings.S3_BUCKET_MEDIA,
            endpoint_url=settings.S3_ENDPOINT_URL,
            region_name=settings.S3_REGION,
            addressing_style=settings.S3_ADDRESSING_STYLE,
            signature_version="s3v4",
            default_acl=None,  # the bucket's own (private) policy; never public-read
            querystring_auth=True,
            querystring_expire=settings.MEDIA_SIGNED_URL_TTL_SECONDS,
            file_overwrite=False,
            custom_domain=None,  # a CDN domain would hand out unsigned URLs
            session_profile=None,
        )
        return defaults

    def __init__(self, **options: Any) -> None:
        if "location" in options:
            raise ImproperlyConfigured("PrivateMediaStorage.location is the tenant prefix; it cannot be set")
        super().__init__(**options)
        if not self.bucket_name:
            raise ImproperlyConfigured("S3_BUCKET_MEDIA is not set (see docs/storage.md)")
        acl = self.default_acl or self.object_parameters.get("ACL")
        if acl not in {None, "private"} or not self.querystring_auth or self.custom_domain:
            raise ImproperlyConfigured("PrivateMediaStorage serves private objects through presigned URLs only")

    @property
    def location(self) -> str:
        return tenant_prefix()


# --- boto3 client -----------------------------------------------------------------------------


class _Endpoint(NamedTuple):
    url: str | None
    access_key: str | None
    secret_key: str | None
    region: str
    addressing_style: Literal["auto", "virtual", "path"]


@functools.lru_cache(maxsize=8)
def _client_for(pid: int, endpoint: _Endpoint, signature_version: str = "s3v4") -> S3Client:
    del pid  # part of the cache key only: a forked worker builds its own client and connection pool
    # A session of its own: creating clients from boto3's shared default session is not thread-safe.
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint.url,
        aws_access_key_id=endpoint.access_key,
        aws_secret_access_key=endpoint.secret_key,
        region_name=endpoint.region,
        config=Config(
            signature_version=signature_version,
            s3={"addressing_style": endpoint.addressing_style},
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )


def _endpoint() -> _Endpoint:
    return _Endpoint(
        settings.S3_ENDPOINT_URL,
        settings.S3_ACCESS_KEY_ID,
        settings.S3_SECRET_ACCESS_KEY,
        settings.S3_REGION,
        cast('Literal["auto", "virtual", "path"]', settings.S3_ADDRESSING_STYLE),  # checked in settings
    )


def client() -> S3Client:
    """The process's S3 client for the configured endpoint (boto3 clients are thread-safe)."""
    return _client_for(os.getpid(), _endpoint())


def presign_client() -> S3Client:
    """The client that signs URLs handed to browsers, with `S3_PRESIGN_SIGNATURE_VERSION`.

    Production uses SigV4 (`s3v4`). The development s3rver verifies only SigV2 query signatures
    (`s3`), so the launcher selects SigV2 there: that is what lets the tests prove, against the real
    storage server, that a tampered or expired URL is refused."""
    return _client_for(os.getpid(), _endpoint(), settings.S3_PRESIGN_SIGNATURE_VERSION)


def bucket_name() -> str:
    name: str | None = settings.S3_BUCKET_MEDIA
    if not name:
        raise ImproperlyConfigured("S3_BUCKET_MEDIA is not set (see docs/storage.md)")
    return name


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _ttl(ttl: int | None) -> int:
    value = settings.MEDIA_SIGNED_URL_TTL_SECONDS if ttl is None else ttl
    if not 1 <= value <= 7 * 24 * 3600:
        raise ValueError("a presigned URL lives between 1 second and 7 days")
    return int(value)


def ensure_bucket(cors_origins: Sequence[str] = ()) -> None:
    """Create the media bucket if missing; with `cors_origins`, allow browser GET/PUT from them.

    For development and tests (the launcher does the same for s3rver). In production the bucket,
    its private type, CORS and lifecycle rules are set up once by an operator (docs/storage.md).
    """
    s3 = client()
    try:
        s3.create_bucket(Bucket=bucket_name())
    except ClientError as exc:
        if _error_code(exc) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
            raise
    if cors_origins:
        s3.put_bucket_cors(
            Bucket=bucket_name(),
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": list(cors_origins),
                        "AllowedMethods": ["GET", "HEAD", "PUT"],
                        "AllowedHeaders": ["*"],
                        "ExposeHeaders": ["ETag"],
                        "MaxAgeSeconds": 3000,
                    }
                ]
            },
        )


# --- downloads --------------------------------------------------------------------------------


def _content_disposition(filename: str) -> str:
    fallback = safe_filename(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def signed_get_url(
    key: str, *, ttl: int | None = None, filename: str | None = None, content_type: str | None = None
) -> str:
    """A presigned GET URL; with `filename` the response is an attachment of that name."""
    params: dict[str, Any] = {"Bucket": bucket_name(), "Key": key}
    if filename:
        params["ResponseContentDisposition"] = _content_disposition(filename)
    if content_type:
        params["ResponseContentType"] = content_type
    return presign_client().generate_presigned_url("get_object", Params=params, ExpiresIn=_ttl(ttl))


def read_head_bytes(key: str, n: int = HEAD_BYTES) -> bytes:
    """The first `n` bytes of an object (ranged GET); fewer if the object is shorter."""
    if n < 1:
        raise ValueError("n must be positive")
    try:
        response = client().get_object(Bucket=bucket_name(), Key=key, Range=f"bytes=0-{n - 1}")
    except ClientError as exc:
        if _error_code(exc) == "InvalidRange":  # an empty object
            return b""
        raise
    with response["Body"] as body:
        data: bytes = body.read(n)
    return data[:n]


def object_size(key: str) -> int:
    try:
        head = client().head_object(Bucket=bucket_name(), Key=key)
    except ClientError as exc:
        if _error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
            raise FileNotFoundError(key) from exc
        raise
    return int(head["ContentLength"])


def delete_object(key: str) -> None:
    """Delete an object; deleting a missing key is not an error (S3 semantics)."""
    client().delete_object(Bucket=bucket_name(), Key=key)


# --- multipart uploads ------------------------------------------------------------------------
#
# The browser asks the API for an upload (create_multipart_upload), then for a presigned URL per
# part (presign_upload_part), PUTs each part straight to the bucket and reads its ETag header
# (exposed by the bucket's CORS rule). To resume after a reload it asks which parts already
# arrived (list_parts). S3 and Selectel answer ListParts themselves; s3rver does not (405), so
# the API also records every part the browser reports (record_part) and list_parts falls back to
# that record when the server lacks ListParts. complete_multipart_upload checks the part list.


def create_multipart_upload(key: str, content_type: str) -> str:
    """Start a multipart upload of `key`; returns the upload id."""
    response = client().create_multipart_upload(Bucket=bucket_name(), Key=key, ContentType=content_type)
    return response["UploadId"]


def _check_part_number(part_number: int) -> None:
    if not 1 <= part_number <= MAX_PARTS:
        raise ValueError(f"part numbers run from 1 to {MAX_PARTS}")


def presign_upload_part(key: str, upload_id: str, part_number: int, ttl: int | None = None) -> str:
    """A presigned PUT URL for one part; the browser sends the raw bytes, no other headers needed."""
    _check_part_number(part_number)
    return presign_client().generate_presigned_url(
        "upload_part",
        Params={"Bucket": bucket_name(), "Key": key, "UploadId": upload_id, "PartNumber": part_number},
        ExpiresIn=_ttl(ttl),
        HttpMethod="PUT",
    )


@functools.lru_cache(maxsize=4)
def _redis_for(pid: int, url: str) -> redis.Redis:
    import redis as redis_lib

    del pid
    return redis_lib.Redis.from_url(url)


def _tracking() -> tuple[redis.Redis, str]:
    cache = settings.CACHES["default"]
    return _redis_for(os.getpid(), str(cache["LOCATION"])), str(cache.get("KEY_PREFIX", "ffs"))


def _tracking_key(key: str, upload_id: str, prefix: str) -> str:
    digest = hashlib.sha256(f"{key}\n{upload_id}".encode()).hexdigest()[:40]
    return f"{prefix}:s3-multipart:{digest}"


def record_part(key: str, upload_id: str, part_number: int, etag: str, size: int) -> None:
    """Remember a part the browser reports as uploaded (atomic per part; parts may arrive in parallel).

    Hook for the upload API: call it for every finished part. Only consulted when the server has no
    ListParts (s3rver); against S3/Selectel the server's own list is the truth.
    """
    _check_part_number(part_number)
    if size < 0:
        raise ValueError("size must not be negative")
    conn, prefix = _tracking()
    name = _tracking_key(key, upload_id, prefix)
    value = json.dumps({"PartNumber": part_number, "ETag": etag, "Size": size})
    pipe = conn.pipeline()
    pipe.hset(name, str(part_number), value)
    pipe.expire(name, MULTIPART_TRACKING_TTL_SECONDS)
    pipe.execute()


def _tracked_parts(key: str, upload_id: str) -> list[PartInfo]:
    conn, prefix = _tracking()
    raw: dict[bytes, bytes] = conn.hgetall(_tracking_key(key, upload_id, prefix))  # type: ignore[assignment]
    parts: list[PartInfo] = []
    for value in raw.values():
        item = json.loads(value)
        parts.append(PartInfo(PartNumber=int(item["PartNumber"]), ETag=str(item["ETag"]), Size=int(item["Size"])))
    return sorted(parts, key=lambda part: part["PartNumber"])


def _forget_parts(key: str, upload_id: str) -> None:
    conn, prefix = _tracking()
    conn.delete(_tracking_key(key, upload_id, prefix))


def list_parts(key: str, upload_id: str) -> list[PartInfo]:
    """Parts already uploaded, by part number: from the server (ListParts) or, without it, as recorded."""
    s3 = client()
    parts: list[PartInfo] = []
    marker = 0
    try:
        while True:
            page = s3.list_parts(Bucket=bucket_name(), Key=key, UploadId=upload_id, PartNumberMarker=marker)
            for part in page.get("Parts", []):
                parts.append(PartInfo(PartNumber=part["PartNumber"], ETag=part["ETag"], Size=part["Size"]))
            if not page.get("IsTruncated"):
                break
            marker = int(page.get("NextPartNumberMarker", 0))
    except ClientError as exc:
        if _error_code(exc) not in _UNSUPPORTED:
            raise
        logger.debug("ListParts unsupported by %s; using recorded parts", settings.S3_ENDPOINT_URL)
        return _tracked_parts(key, upload_id)
    return sorted(parts, key=lambda part: part["PartNumber"])


def complete_multipart_upload(key: str, upload_id: str, parts: Sequence[CompletedPart | PartInfo]) -> None:
    """Assemble the object from parts 1..N (each given once, with the ETag S3 returned for it)."""
    ordered = sorted(parts, key=lambda part: part["PartNumber"])
    numbers = [part["PartNumber"] for part in ordered]
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        raise ValueError("parts must be numbered 1..N without gaps or repeats")
    if any(not part["ETag"] for part in ordered):
        raise ValueError("every part needs its ETag")
    client().complete_multipart_upload(
        Bucket=bucket_name(),
        Key=key,
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in ordered]},
    )
    _forget_parts(key, upload_id)


def abort_multipart_upload(key: str, upload_id: str) -> None:
    """Abandon an upload and free its parts (idempotent). s3rver cannot abort: its parts stay on disk."""
    try:
        client().abort_multipart_upload(Bucket=bucket_name(), Key=key, UploadId=upload_id)
    except ClientError as exc:
        code = _error_code(exc)
        if code in _UNSUPPORTED:
            logger.debug("AbortMultipartUpload unsupported by %s", settings.S3_ENDPOINT_URL)
        elif code != "NoSuchUpload":
            raise
    _forget_parts(key, upload_id)


# --- content sniffing -------------------------------------------------------------------------

# ISO base media brands of video files (MP4 family, QuickTime). HEIF/AVIF images and M4A audio
# share the container and are refused.
_VIDEO_BRANDS = {
    b"isom": "video/mp4",
    b"iso2": "video/mp4",
    b"iso3": "video/mp4",
    b"iso4": "video/mp4",
    b"iso5": "video/mp4",
    b"iso6": "video/mp4",
    b"mp41": "video/mp4",
    b"mp42": "video/mp4",
    b"avc1": "video/mp4",
    b"dash": "video/mp4",
    b"M4V ": "video/mp4",
    b"M4VH": "video/mp4",
    b"M4VP": "video/mp4",
    b"MSNV": "video/mp4",
    b"XAVC": "video/mp4",
    b"f4v ": "video/mp4",
    b"mmp4": "video/mp4",
    b"qt  ": "video/quicktime",
}
_OOXML = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)


def sniff_media(head: bytes) -> tuple[str, str] | None:
    """`(kind, content_type)` from an object's first bytes, for the types courses may contain.

    kind is `video` (MP4/QuickTime, WebM/Matroska) or `file` (PDF, ZIP incl. Office documents, PNG,
    JPEG). Anything else, executables included, is None: the file name and the browser's declared
    type are never trusted.
    """
    if len(head) >= 12 and head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[0:4], "big")
        content_type = _VIDEO_BRANDS.get(head[8:12])
        if content_type and box_size >= 16:
            return "video", content_type
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        doc_type = head[:64]
        if b"webm" in doc_type:
            return "video", "video/webm"
        if b"matroska" in doc_type:
            return "video", "video/x-matroska"
        return None
    if head.startswith(b"%PDF-"):
        return "file", "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"[Content_Types].xml" in head:
            for marker, content_type in _OOXML:
                if marker in head:
                    return "file", content_type
        return "file", "application/zip"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "file", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "file", "image/jpeg"
    return None
