"""The administrator's view of the backups (the Backups page): what lies in the backup folders,
a backup made now, a backup checked, a backup restored, each permission-checked like every
other service of the core.

Whether a file was checked whole is remembered across runs, in a small ``.checked.json`` beside
the files, for the file as it was checked (its size and modification time, to the nanosecond): a
file changed since is "not checked" again, and what that note says is never taken for a check.
"""

from __future__ import annotations

import enum
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType

from app.admin.backup.container import open_backup
from app.admin.backup.daily import KEEP, copy_to, second_folder
from app.admin.backup.making import SUFFIX, backup, default_backup_name
from app.admin.backup.restoring import Checked, Restored, restore, verify
from app.context import Context
from app.errors import N_, DomainError, InvalidInput
from app.permissions import Permission

PREFIXES = ("repairfloor-", "before-restore-", "before-upgrade-", "damaged-")


class Origin(enum.StrEnum):
    BACKUP = "backup"  # the daily one, or one made on the page / with repairfloor backup
    BEFORE_RESTORE = "before_restore"
    BEFORE_UPGRADE = "before_upgrade"
    DAMAGED = "damaged"  # a daily backup that did not verify, kept aside


ORIGIN_LABELS = {
    Origin.BACKUP: N_("Backup"),
    Origin.BEFORE_RESTORE: N_("Before a restore"),
    Origin.BEFORE_UPGRADE: N_("Before an upgrade"),
    Origin.DAMAGED: N_("Damaged (kept aside)"),
}


class Whole(enum.StrEnum):
    YES = "yes"
    NO = "no"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class BackupRow:
    path: Path
    made: datetime  # the manifest's time; a legacy file's modification time
    origin: Origin
    database: str | None  # "sqlite" / "postgresql"; None when the file cannot be read
    size: int
    center: str
    whole: Whole
    problem: DomainError | None  # why it is not whole, when known


_lock = threading.Lock()
NOTES = ".checked.json"
Problem = DomainError | None


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _notes(folder: Path) -> dict[str, dict[str, object]]:
    try:
        notes = json.loads((folder / NOTES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return notes if isinstance(notes, dict) else {}


def _remember(path: Path, problem: Problem) -> None:
    """Note beside ``path`` what its check found, for the file as it is now."""
    try:
        key = _stat_key(path)
    except OSError:
        return
    note: dict[str, object] = {"file": key}
    if problem is not None:
        note["problem"] = [problem.template, {k: str(v) for k, v in problem.params.items()}]
    with _lock:
        notes = _notes(path.parent)
        notes[path.name] = note
        notes = {name: value for name, value in notes.items() if (path.parent / name).exists()}
        partial = path.parent / f"{NOTES}.partial"
        try:
            partial.write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
            partial.replace(path.parent / NOTES)
        except OSError:  # a read-only share: the list says "not checked yet" next time
            partial.unlink(missing_ok=True)


def _recalled(path: Path) -> Problem | EllipsisType:
    """What the last check of this very file found; ``...`` when it was not checked as it is."""
    with _lock:
        note = _notes(path.parent).get(path.name)
    try:
        if not isinstance(note, dict) or note.get("file") != _stat_key(path):
            return ...
    except OSError:
        return ...
    problem = note.get("problem")
    if problem is None:
        return None
    if not isinstance(problem, list) or len(problem) != 2 or not isinstance(problem[1], dict):
        return ...
    return InvalidInput(str(problem[0]), **problem[1])


def _origin(name: str) -> Origin:
    for prefix, origin in (
        ("before-restore-", Origin.BEFORE_RESTORE),
        ("before-upgrade-", Origin.BEFORE_UPGRADE),
        ("damaged-", Origin.DAMAGED),
    ):
        if name.startswith(prefix):
            return origin
    return Origin.BACKUP


def _row(path: Path) -> BackupRow:
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
    known = _recalled(path)
    problem = None if known is ... else known
    try:
        found = open_backup(path)
    except DomainError as error:
        return BackupRow(
            path, modified, _origin(path.name), None, stat.st_size, "", Whole.NO, error
        )
    manifest = found.manifest
    made = datetime.fromisoformat(manifest.created_at) if manifest else modified
    if known is ...:
        whole = Whole.NOT_CHECKED
    else:
        whole = Whole.YES if problem is None else Whole.NO
    center = manifest.center_name if manifest else ""
    return BackupRow(
        path, made, _origin(path.name), found.kind, stat.st_size, center, whole, problem
    )


def folders(ctx: Context, folder: Path) -> list[Path]:
    """This station's backup folder, and the second one the center named (if any)."""
    ctx.require(Permission.ADMINISTER)
    second = second_folder(ctx.db)
    found = [folder]
    if second is not None and second.resolve() != folder.resolve():
        found.append(second)
    return found


def list_backups(ctx: Context, folder: Path) -> list[BackupRow]:
    """Every backup in this station's backup folder and the second one, newest first."""
    ctx.require(Permission.ADMINISTER)
    rows = []
    for place in folders(ctx, folder):
        if not place.is_dir():
            continue
        for path in place.iterdir():
            name = path.name
            if name.startswith(".") or not path.is_file():
                continue
            if name.endswith(SUFFIX) or name.startswith(PREFIXES):
                try:
                    rows.append(_row(path))
                except OSError:  # deleted meanwhile (a rotation)
                    continue
    return sorted(rows, key=lambda row: (row.made, row.path.name), reverse=True)


def back_up_now(ctx: Context, folder: Path) -> Path:
    """A backup of the whole database in ``folder``, checked whole right after it is written,
    then copied to the second folder when the center names one (as the daily backup is)."""
    ctx.require(Permission.ADMINISTER)
    now = ctx.now()
    path = backup(ctx.db, folder / default_backup_name(now), now)
    check_backup(ctx, path)
    second = second_folder(ctx.db)
    if second is not None and second.resolve() != folder.resolve():
        try:
            _remember(copy_to(path, second, KEEP), None)  # the copy's SHA-256 was compared
        except OSError as error:
            raise InvalidInput(
                N_(
                    "The backup {path} is written and whole, but it could not be copied to the "
                    "second folder {folder}: {error}"
                ),
                path=str(path),
                folder=str(second),
                error=str(error),
            ) from None
    return path


def check_backup(ctx: Context, path: Path) -> Checked:
    """Check the whole file (no database touched); what was found is remembered for the list."""
    ctx.require(Permission.ADMINISTER)
    try:
        checked = verify(path)
    except DomainError as error:
        _remember(path, error)
        raise
    _remember(path, None)
    return checked


def restore_backup(
    ctx: Context, path: Path, keep_dir: Path, foreign_reason: str | None = None
) -> Restored:
    """Restore ``path`` over this station's database (see ``restoring.restore``): only the
    administrator, because a restore also brings back the users and their roles."""
    ctx.require(Permission.MANAGE_USERS)
    return restore(
        ctx.db,
        path,
        foreign_reason=foreign_reason,
        keep_dir=keep_dir,
        now=ctx.now(),
        actor=ctx.actor,
        station=ctx.station,
    )
