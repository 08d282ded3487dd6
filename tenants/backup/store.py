"""Backup objects on S3: streamed, gzip-compressed uploads and downloads, listing, deletion.

Layout: `<BACKUP_PREFIX>/<slug>/<backup id>/` holding `data/<table>.copy.gz`, `media.jsonl.gz` and
`manifest.json`, in `S3_BUCKET_BACKUPS` (the media bucket when unset). The same endpoint and key as
media (`lib.storage.client()`): one S3 service user, two buckets in production.

Uploads are streamed: compressed bytes are buffered up to one part (8 MiB) and sent as a multipart
upload, so memory stays bounded whatever the table size and no temporary file is needed (the image
runs with a read-only root filesystem). Every write asks for server-side encryption when
`BACKUP_SERVER_SIDE_ENCRYPTION` is set.

Listing uses ListObjects (v1): s3rver 3.7's ListObjectsV2 fails on continuation tokens under
current Node.js, and v1 is what every S3-compatible store implements.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lib import storage

from .errors import BackupCorrupt, BackupNotFound

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

PART_SIZE = storage.PART_SIZE
READ_SIZE = 1024 * 1024
GZIP_WBITS = 31  # zlib with a gzip header and trailer (CRC-32 and length are checked on read)
_MISSING = {"404", "NoSuchKey", "NotFound"}
_UNSUPPORTED = {"MethodNotAllowed", "NotImplemented"}


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    etag: str
    last_modified: str


@dataclass(frozen=True)
class UploadResult:
    key: str
    size: int  # compressed bytes stored
    sha256: str  # of the compressed bytes


def bucket() -> str:
    name: str | None = settings.S3_BUCKET_BACKUPS or settings.S3_BUCKET_MEDIA
    if not name:
        raise ImproperlyConfigured("S3_BUCKET_BACKUPS (or S3_BUCKET_MEDIA) is not set (see docs/backup.md)")
    return name


def tenant_prefix(slug: str) -> str:
    return f"{settings.BACKUP_PREFIX}/{slug}/"


def backup_prefix(slug: str, backup_id: str) -> str:
    return f"{tenant_prefix(slug)}{backup_id}/"


def encryption_args() -> dict[str, Any]:
    """The server-side encryption parameters of every write (empty when switched off)."""
    mode: str = settings.BACKUP_SERVER_SIDE_ENCRYPTION
    if not mode:
        return {}
    args: dict[str, Any] = {"ServerSideEncryption": mode}
    if mode == "aws:kms" and settings.BACKUP_SSE_KMS_KEY_ID:
        args["SSEKMSKeyId"] = settings.BACKUP_SSE_KMS_KEY_ID
    return args


def _client() -> S3Client:
    return storage.client()


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class CompressedUpload:
    """A write-only gzip stream to one object: `write()` raw bytes, then `finish()` or `abort()`."""

    def __init__(self, key: str, content_type: str = "application/gzip") -> None:
        self.key = key
        self.content_type = content_type
        self._compressor = zlib.compressobj(6, zlib.DEFLATED, GZIP_WBITS)
        self._buffer = bytearray()
        self._sha256 = hashlib.sha256()
        self._size = 0
        self._upload_id: str | None = None
        self._parts: list[CompletedPartTypeDef] = []

    def write(self, data: bytes) -> None:
        self._buffer += self._compressor.compress(data)
        if len(self._buffer) >= PART_SIZE:
            self._send_part(final=False)

    def _send_part(self, *, final: bool) -> None:
        size = len(self._buffer) if final else (len(self._buffer) // PART_SIZE) * PART_SIZE
        body = bytes(self._buffer[:size])
        del self._buffer[:size]
        self._sha256.update(body)
        self._size += len(body)
        s3 = _client()
        if self._upload_id is None:
            self._upload_id = s3.create_multipart_upload(
                Bucket=bucket(), Key=self.key, ContentType=self.content_type, **encryption_args()
            )["UploadId"]
        number = len(self._parts) + 1
        etag = s3.upload_part(Bucket=bucket(), Key=self.key, UploadId=self._upload_id, PartNumber=number, Body=body)[
            "ETag"
        ]
        self._parts.append({"PartNumber": number, "ETag": etag})

    def finish(self) -> UploadResult:
        self._buffer += self._compressor.flush()
        if self._upload_id is None:  # small: one PUT
            body = bytes(self._buffer)
            self._buffer.clear()
            self._sha256.update(body)
            self._size = len(body)
            _client().put_object(
                Bucket=bucket(), Key=self.key, Body=body, ContentType=self.content_type, **encryption_args()
            )
        else:
            if self._buffer:
                self._send_part(final=True)
            _client().complete_multipart_upload(
                Bucket=bucket(),
                Key=self.key,
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},
            )
        return UploadResult(self.key, self._size, self._sha256.hexdigest())

    def abort(self) -> None:
        if self._upload_id is None:
            return
        try:
            _client().abort_multipart_upload(Bucket=bucket(), Key=self.key, UploadId=self._upload_id)
        except ClientError as exc:  # s3rver cannot abort; a bucket lifecycle rule cleans up in production
            if _code(exc) not in _UNSUPPORTED | {"NoSuchUpload"}:
                raise


class CompressedDownload:
    """Iterate the decompressed bytes of one object, checking it against what the manifest says.

    Every failure (missing object, bad gzip, wrong size or digest) is `BackupCorrupt`, raised while
    iterating or at the end, so a consumer that loads the bytes inside a transaction rolls back."""

    def __init__(self, key: str, *, size: int | None = None, sha256: str | None = None) -> None:
        self.key = key
        self.expected_size = size
        self.expected_sha256 = sha256
        self.raw_sha256 = hashlib.sha256()
        self.raw_size = 0

    def __iter__(self) -> Iterator[bytes]:
        try:
            response = _client().get_object(Bucket=bucket(), Key=self.key)
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise BackupCorrupt(f"backup object {self.key} is missing") from exc
            raise
        decompressor = zlib.decompressobj(GZIP_WBITS)
        with response["Body"] as body:
            while chunk := body.read(READ_SIZE):
                self.raw_sha256.update(chunk)
                self.raw_size += len(chunk)
                try:
                    data = decompressor.decompress(chunk)
                except zlib.error as exc:
                    raise BackupCorrupt(f"backup object {self.key} is not valid gzip: {exc}") from exc
                if decompressor.unused_data:
                    raise BackupCorrupt(f"backup object {self.key} has data after its gzip stream")
                if data:
                    yield data
        if not decompressor.eof:
            raise BackupCorrupt(f"backup object {self.key} is truncated")
        if self.expected_size is not None and self.raw_size != self.expected_size:
            raise BackupCorrupt(
                f"backup object {self.key} has {self.raw_size} bytes, the manifest says {self.expected_size}"
            )
        if self.expected_sha256 is not None and self.raw_sha256.hexdigest() != self.expected_sha256:
            raise BackupCorrupt(f"backup object {self.key} does not match its SHA-256 in the manifest")


def put_json(key: str, document: Any) -> None:
    body = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()
    _client().put_object(Bucket=bucket(), Key=key, Body=body, ContentType="application/json", **encryption_args())


def get_json(key: str) -> Any:
    try:
        response = _client().get_object(Bucket=bucket(), Key=key)
    except ClientError as exc:
        if _code(exc) in _MISSING:
            raise BackupNotFound(f"no backup at {key}") from exc
        raise
    with response["Body"] as body:
        raw = body.read()
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise BackupCorrupt(f"{key} is not valid JSON: {exc}") from exc


def head_size(key: str) -> int | None:
    try:
        return int(_client().head_object(Bucket=bucket(), Key=key)["ContentLength"])
    except ClientError as exc:
        if _code(exc) in _MISSING:
            return None
        raise


def list_objects(prefix: str, *, in_bucket: str | None = None) -> Iterator[StoredObject]:
    paginator = _client().get_paginator("list_objects")
    for page in paginator.paginate(Bucket=in_bucket or bucket(), Prefix=prefix):
        for item in page.get("Contents", []):
            yield StoredObject(
                key=item["Key"],
                size=int(item["Size"]),
                etag=str(item.get("ETag", "")).strip('"'),
                last_modified=item["LastModified"].isoformat() if "LastModified" in item else "",
            )


def delete_prefix(prefix: str) -> int:
    """Delete every object under `prefix` (1000 per request); returns how many."""
    if not prefix.endswith("/") or prefix.count("/") < 2:
        raise ValueError(f"refusing to delete a short prefix {prefix!r}")
    keys = [item.key for item in list_objects(prefix)]
    s3 = _client()
    for start in range(0, len(keys), 1000):
        batch = keys[start : start + 1000]
        result = s3.delete_objects(Bucket=bucket(), Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})
        if result.get("Errors"):
            raise RuntimeError(f"could not delete backup objects: {result['Errors'][:3]}")
    return len(keys)
