"""Direct-to-storage uploads: the browser PUTs parts to presigned URLs, the server never proxies
the bytes. On completion the server reads the first bytes back and sniffs the real type: a renamed
executable is rejected and deleted, whatever its name or declared Content-Type."""

from __future__ import annotations

import logging
import math
import re
import subprocess
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.services import audit
from lib import storage
from lib.errors import Conflict, DomainError, FileTooLarge, NotFound

from ..models import MediaAsset, MediaStatus

logger = logging.getLogger("ffs.catalog.uploads")
MAX_PARTS_PER_REQUEST = 100


def _part_size(size: int) -> int:
    part = storage.PART_SIZE
    while math.ceil(size / part) > 10_000:  # S3 allows at most 10,000 parts
        part *= 2
    return part


@transaction.atomic
def start(
    *, user: Any, request: HttpRequest | None = None, filename: str, size: int, content_type: str, kind: str
) -> MediaAsset:
    if kind not in ("video", "file"):
        raise DomainError("Kind must be video or file.", code="validation_error", fields={"kind": ["Invalid."]})
    if size <= 0:
        raise DomainError("The file is empty.", code="validation_error", fields={"size": ["Must be positive."]})
    if size > settings.MEDIA_UPLOAD_MAX_BYTES:
        raise FileTooLarge(
            f"The file is larger than {settings.MEDIA_UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
            fields={"size": ["File too large."]},
        )
    safe = re.sub(r"[^\w.\- ]", "_", filename).strip() or "upload"
    key = storage.object_key(kind, safe[:200])
    upload_id = storage.create_multipart_upload(key, content_type or "application/octet-stream")
    part_size = _part_size(size)
    asset = MediaAsset.objects.create(
        kind=kind,
        key=key,
        filename=safe[:255],
        declared_content_type=content_type[:120],
        size=size,
        upload_id=upload_id,
        part_size=part_size,
        part_count=max(1, math.ceil(size / part_size)),
        created_by=user,
    )
    audit.record("media.upload_started", actor=user, target=str(asset.pk), request=request, size=size, kind=kind)
    return asset


def get_asset(user: Any, asset_id: Any) -> MediaAsset:
    asset = MediaAsset.objects.filter(pk=asset_id).first() if _is_uuid(asset_id) else None
    if asset is None or (asset.created_by_id != user.pk and getattr(user, "role", None) != "platform_admin"):
        raise NotFound("Upload not found.")
    return asset


def _is_uuid(value: Any) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{32,36}", str(value)))


def presign_parts(asset: MediaAsset, part_numbers: list[int]) -> dict[str, str]:
    if asset.status != MediaStatus.UPLOADING:
        raise Conflict("This upload is finished.", code="upload_finished")
    if not part_numbers or len(part_numbers) > MAX_PARTS_PER_REQUEST:
        raise DomainError(
            f"Ask for 1–{MAX_PARTS_PER_REQUEST} parts at a time.",
            code="validation_error",
            fields={"part_numbers": ["Invalid."]},
        )
    urls: dict[str, str] = {}
    for number in part_numbers:
        if not isinstance(number, int) or not 1 <= number <= asset.part_count:
            raise DomainError(
                "Part number out of range.", code="validation_error", fields={"part_numbers": [f"1–{asset.part_count}"]}
            )
        urls[str(number)] = storage.presign_upload_part(asset.key, asset.upload_id, number)
    return urls


def report_part(asset: MediaAsset, part_number: int, etag: str, size: int) -> None:
    """The browser reports a part it stored (its ETag), so an interrupted upload can resume from the
    server's record even where the storage has no ListParts (s3rver)."""
    if asset.status != MediaStatus.UPLOADING:
        raise Conflict("This upload is finished.", code="upload_finished")
    if not 1 <= part_number <= asset.part_count:
        raise DomainError(
            "Part number out of range.", code="validation_error", fields={"part_number": [f"1–{asset.part_count}"]}
        )
    start = (part_number - 1) * asset.part_size
    expected = min(asset.part_size, asset.size - start)
    if size != expected or not etag.strip():
        raise DomainError(
            "Part size or ETag does not match this upload.",
            code="validation_error",
            fields={"size": [f"Expected {expected}."]},
        )
    storage.record_part(asset.key, asset.upload_id, part_number, etag.strip(), size)


def uploaded_parts(asset: MediaAsset) -> list[dict[str, Any]]:
    if asset.status != MediaStatus.UPLOADING:
        return []
    return [
        {"part_number": part["PartNumber"], "etag": part["ETag"], "size": part["Size"]}
        for part in storage.list_parts(asset.key, asset.upload_id)
    ]


def _probe_duration(asset: MediaAsset) -> float | None:
    """Video duration read by ffmpeg straight from a short-lived signed URL (no local copy)."""
    try:
        import imageio_ffmpeg

        url = storage.signed_get_url(asset.key, ttl=120)
        result = subprocess.run(  # noqa: S603 (fixed binary, URL is ours)
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", url],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        match = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", result.stderr)
        if match:
            hours, minutes, seconds = match.groups()
            return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except (OSError, subprocess.SubprocessError):
        logger.warning("could not probe %s", asset.key, exc_info=True)
    return None


def complete(
    asset: MediaAsset, *, user: Any, request: HttpRequest | None = None, parts: list[dict[str, Any]]
) -> MediaAsset:
    if asset.status == MediaStatus.READY:
        return asset  # a retried completion is not an error
    if asset.status != MediaStatus.UPLOADING:
        raise Conflict("This upload was rejected.", code="upload_rejected")
    try:
        clean: list[storage.CompletedPart] = sorted(
            ({"PartNumber": int(p["part_number"]), "ETag": str(p["etag"])} for p in parts),
            key=lambda p: p["PartNumber"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(
            "Send [{part_number, etag}] for every part.", code="validation_error", fields={"parts": ["Invalid."]}
        ) from exc
    if [p["PartNumber"] for p in clean] != list(range(1, asset.part_count + 1)):
        raise DomainError(
            f"All {asset.part_count} parts are needed.", code="incomplete_upload", fields={"parts": ["Missing parts."]}
        )
    storage.complete_multipart_upload(asset.key, asset.upload_id, clean)
    actual_size = storage.object_size(asset.key)
    sniffed = storage.sniff_media(storage.read_head_bytes(asset.key))
    if sniffed is None or sniffed[0] != asset.kind or actual_size != asset.size:
        storage.delete_object(asset.key)
        MediaAsset.objects.filter(pk=asset.pk).update(status=MediaStatus.REJECTED, completed_at=timezone.now())
        audit.record(
            "media.upload_rejected",
            actor=user,
            target=str(asset.pk),
            request=request,
            sniffed=sniffed[1] if sniffed else None,
            declared=asset.declared_content_type,
        )
        raise DomainError(
            "The file is not a supported video or document.",
            code="invalid_media",
            fields={"file": ["Unsupported or disguised file type."]},
        )
    asset.content_type = sniffed[1]
    asset.duration_seconds = _probe_duration(asset) if asset.kind == "video" else None
    asset.status = MediaStatus.READY
    asset.completed_at = timezone.now()
    asset.save()
    audit.record(
        "media.upload_completed",
        actor=user,
        target=str(asset.pk),
        request=request,
        content_type=asset.content_type,
        size=asset.size,
    )
    return asset


def abort(asset: MediaAsset, *, user: Any) -> None:
    if asset.status == MediaStatus.UPLOADING:
        storage.abort_multipart_upload(asset.key, asset.upload_id)
    if asset.lessons.exists():
        raise Conflict("This file is used by a lesson.", code="media_in_use")
    if asset.status == MediaStatus.READY:
        storage.delete_object(asset.key)
    asset.delete()
    audit.record("media.upload_aborted", actor=user, target=str(asset.pk))
