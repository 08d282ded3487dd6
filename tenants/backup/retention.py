"""Retention of a tenant's backups: grandfather-father-son, 7 daily and 4 weekly by default.

Kept, each for the reasons listed in the plan (a backup may count for several):

- daily: the newest backup of each of the last `BACKUP_KEEP_DAILY` days (UTC) that have one;
- weekly: the newest backup of each of the `BACKUP_KEEP_WEEKLY` ISO weeks before those days that
  have one (weeks holding a daily backup do not count), so 7 + 4 means eleven backups reaching back
  about five weeks, not four weekly ones that mostly repeat the dailies;
- the newest complete backup, whatever the settings; pinned backups (`backup_tenant --pin`);
- unfinished directories younger than a day (a backup may be running); older ones are debris.

"Days that have one" rather than calendar days: if backups stopped for a while, the last good ones
are not pruned away by the passage of time alone. Everything else is deleted. The backups bucket
keeps deleted objects as noncurrent versions for a while (Terraform lifecycle), which protects
against a mistaken prune.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from . import store
from .inventory import BackupSummary, list_backups

UNFINISHED_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class RetentionPlan:
    keep: dict[str, list[str]]  # backup id -> why
    delete: list[str]


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def plan(backups: Sequence[BackupSummary], *, now: datetime, keep_daily: int, keep_weekly: int) -> RetentionPlan:
    reasons: dict[str, list[str]] = {}
    complete = sorted((b for b in backups if b.complete), key=lambda b: b.id, reverse=True)

    def newest_per_period(
        period: Callable[[datetime], str], count: int, label: str, skip: frozenset[str] = frozenset()
    ) -> list[BackupSummary]:
        periods: list[str] = []
        chosen: list[BackupSummary] = []
        for backup in complete:
            value = period(backup.created_at)
            if value in periods or value in skip:
                continue
            if len(periods) >= count:
                break
            periods.append(value)
            chosen.append(backup)
            reasons.setdefault(backup.id, []).append(f"{label} {value}")
        return chosen

    daily = newest_per_period(lambda moment: moment.date().isoformat(), keep_daily, "daily")
    newest_per_period(_week, keep_weekly, "weekly", frozenset(_week(backup.created_at) for backup in daily))
    if complete:
        reasons.setdefault(complete[0].id, []).append("latest")
    for backup in backups:
        if backup.complete and backup.pinned:
            reasons.setdefault(backup.id, []).append("pinned")
        elif not backup.complete and now - backup.created_at < UNFINISHED_GRACE:
            reasons.setdefault(backup.id, []).append("unfinished")
    return RetentionPlan(
        keep={backup_id: sorted(set(why)) for backup_id, why in reasons.items()},
        delete=sorted(backup.id for backup in backups if backup.id not in reasons),
    )


def prune(slug: str, *, now: datetime | None = None, dry_run: bool = False) -> RetentionPlan:
    """Apply the retention plan to the tenant's backups in object storage."""
    decided = plan(
        list_backups(slug),
        now=now or timezone.now(),
        keep_daily=settings.BACKUP_KEEP_DAILY,
        keep_weekly=settings.BACKUP_KEEP_WEEKLY,
    )
    if not dry_run:
        for backup_id in decided.delete:
            store.delete_prefix(store.backup_prefix(slug, backup_id))
    return decided
