"""The daily automatic backup: once a day, checked whole right after it is written, copied to a
second folder when the center names one (another disk, a network share), the ``keep`` newest
kept in each folder; and the warning when the newest good backup is more than a day old."""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app import settings
from app.admin.backup.container import durable_replace, open_backup, partial_name, sha256_of
from app.admin.backup.making import backup, can_back_up, default_backup_name
from app.admin.backup.restoring import verify
from app.db import Database
from app.errors import DomainError

BACKUP_PATTERN = "repairfloor-*"
STALE_AFTER = timedelta(days=1)
KEEP = 14  # backups kept in each folder
log = logging.getLogger(__name__)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups in ``directory``; returns what was deleted."""
    backups = sorted(directory.glob(BACKUP_PATTERN), key=lambda path: path.name, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def second_folder(db: Database) -> Path | None:
    with db.read() as session:
        folder = settings.get(session, settings.BACKUP_SECOND_FOLDER)
    return Path(folder) if folder else None


def copy_to(path: Path, folder: Path, keep: int) -> Path:
    """A copy of ``path`` in ``folder`` (whole or not at all, its SHA-256 checked), rotated."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    partial = partial_name(target)
    shutil.copyfile(path, partial)
    if sha256_of(partial) != sha256_of(path):
        partial.unlink(missing_ok=True)
        raise OSError(f"the copy in {folder} differs from {path}")
    durable_replace(partial, target)
    rotate(folder, keep)
    return target


def daily_backup(db: Database, directory: Path, now: datetime, keep: int = KEEP) -> Path | None:
    """Today's automatic backup, unless there is one already; keeps the ``keep`` newest."""
    if not can_back_up(db):
        return None
    today = f"repairfloor-{now:%Y%m%d}-"
    if any(path.name.startswith(today) for path in directory.glob(BACKUP_PATTERN)):
        return None
    path = backup(db, directory / default_backup_name(now), now)
    try:
        verify(path)
    except DomainError:
        log.exception("today's backup %s does not verify; kept aside as damaged", path)
        path.rename(path.with_name(f"damaged-{path.name}"))
        raise
    rotate(directory, keep)
    second = second_folder(db)
    if second is not None:
        try:
            copy_to(path, second, keep)
        except OSError:  # a network share that is down: the first copy stands, the log says so
            log.exception("the backup could not be copied to the second folder %s", second)
    return path


def newest_backup(directory: Path) -> Path | None:
    """The newest good backup: the daily ones are checked whole before they take this name."""
    found = sorted(directory.glob(BACKUP_PATTERN), key=lambda path: path.name)
    return found[-1] if found else None


def backup_is_stale(db: Database, directory: Path, now: datetime) -> bool:
    """True when this station backs up and its newest good backup is more than a day old."""
    if not can_back_up(db):
        return False
    newest = newest_backup(directory)
    if newest is None:
        return True
    try:
        found = open_backup(newest)
    except DomainError:
        return True
    made = datetime.fromisoformat(found.manifest.created_at) if found.manifest else None
    if made is None:  # a backup of an older version: the file's own time
        made = datetime.fromtimestamp(newest.stat().st_mtime, tz=UTC)
    return now - made > STALE_AFTER
