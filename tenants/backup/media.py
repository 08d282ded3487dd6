"""The tenant's media objects in a backup: recorded, checked and (for a copy) duplicated.

A backup does not copy media bytes: videos are large, immutable once uploaded (keys carry a uuid and
are never overwritten) and the media bucket's versioning keeps deleted or replaced objects for the
lifecycle's noncurrent-version period. The manifest records what existed under the tenant's prefix
(`tenants/<schema>/`): key, size, ETag, time. A restore then

- in place: checks every recorded object still exists with the same ETag and reports the missing
  and changed ones (recover those from bucket versioning, docs/backup.md); objects added after the
  backup are left alone and counted;
- as a new slug: copies the recorded objects that still exist into the new tenant's prefix
  (server-side copy, no bytes through this process), so names relative to the tenant prefix
  (`storages["media"]`) resolve in the copy; missing ones are reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lib import storage

from .store import CompressedDownload, StoredObject, list_objects

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import CopySourceTypeDef

COPY_OBJECT_MAX = 5 * 1024**3  # larger objects need a multipart copy


@dataclass
class MediaReport:
    recorded: int = 0
    present: int = 0
    copied: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added_since: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "recorded": self.recorded,
            "present": self.present,
            "copied": self.copied,
            "missing": self.missing,
            "changed": self.changed,
            "added_since": self.added_since,
        }


def prefix_of(schema: str) -> str:
    return storage.prefix_for_schema(schema) + "/"


def current_objects(schema: str) -> Iterator[StoredObject]:
    return list_objects(prefix_of(schema), in_bucket=storage.bucket_name())


def encode(item: StoredObject) -> bytes:
    record = {"key": item.key, "size": item.size, "etag": item.etag, "last_modified": item.last_modified}
    return json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n"


def read_recorded(download: CompressedDownload) -> Iterator[StoredObject]:
    pending = b""
    for chunk in download:
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            item = json.loads(line)
            yield StoredObject(str(item["key"]), int(item["size"]), str(item["etag"]), str(item["last_modified"]))
    if pending.strip():
        raise ValueError("media list does not end with a newline")


def check_in_place(recorded: Iterable[StoredObject], schema: str) -> MediaReport:
    now = {item.key: item for item in current_objects(schema)}
    report = MediaReport()
    for item in recorded:
        report.recorded += 1
        current = now.pop(item.key, None)
        if current is None:
            report.missing.append(item.key)
        elif current.etag != item.etag or current.size != item.size:
            report.changed.append(item.key)
        else:
            report.present += 1
    report.added_since = len(now)
    return report


def copy_to(recorded: Iterable[StoredObject], source_schema: str, target_schema: str) -> MediaReport:
    source, target = prefix_of(source_schema), prefix_of(target_schema)
    now = {item.key: item for item in current_objects(source_schema)}
    s3 = storage.client()
    bucket = storage.bucket_name()
    report = MediaReport()
    for item in recorded:
        report.recorded += 1
        current = now.get(item.key)
        if current is None or not item.key.startswith(source):
            report.missing.append(item.key)
            continue
        if current.etag != item.etag or current.size != item.size:
            report.changed.append(item.key)  # copied anyway: the newest bytes under that name
        else:
            report.present += 1
        new_key = target + item.key[len(source) :]
        copy_source: CopySourceTypeDef = {"Bucket": bucket, "Key": item.key}
        if current.size <= COPY_OBJECT_MAX:
            s3.copy_object(Bucket=bucket, Key=new_key, CopySource=copy_source)
        else:
            s3.copy(copy_source, bucket, new_key)
        report.copied += 1
    return report
