"""Making backups: one file with its manifest; the copy taken before a schema upgrade."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.admin.backup import postgres, sqlite_files
from app.admin.backup.container import Manifest, write_backup
from app.admin.backup.identity import center_identity
from app.db import Database
from app.schema import HEAD_REVISION, current_revision

SUFFIX = ".rfbackup"


def kind_of(db: Database) -> str:
    return "sqlite" if db.is_sqlite else "postgresql"


def sqlite_path(db: Database) -> Path:
    assert db.url.database, "in-memory databases have nothing to back up"
    return Path(db.url.database)


def backup(db: Database, destination: Path, now: datetime | None = None) -> Path:
    """Write the whole database and its manifest to ``destination`` (while others keep working).

    The file appears complete or not at all; the row counts are those of the copy itself."""
    center_id, center_name = center_identity(db)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        payload = Path(work) / "payload"
        if db.is_sqlite:
            sqlite_files.copy_live(sqlite_path(db), payload)
            revision, counts = sqlite_files.check_copy(payload, destination)
        else:
            revision, counts = postgres.dump(db, payload)
        manifest = Manifest(
            app_version=__version__,
            schema_revision=revision or "",
            database=kind_of(db),
            center_id=center_id,
            center_name=center_name,
            created_at=(now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
            tables=counts,
        )
        return write_backup(destination, manifest, payload)


def default_backup_name(now: datetime, db: Database | None = None) -> str:
    return f"repairfloor-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def can_back_up(db: Database) -> bool:
    """A server's backups need the PostgreSQL client tools on this PC."""
    return db.is_sqlite or shutil.which("pg_dump") is not None


def backup_before_upgrade(db: Database, directory: Path, now: datetime) -> Path | None:
    """A copy of a database made by an older version, taken before its schema is upgraded."""
    revision = current_revision(db)
    if revision is None or revision == HEAD_REVISION or not can_back_up(db):
        return None
    return backup(db, directory / f"before-upgrade-{revision}-{now:%Y%m%d-%H%M%S}{SUFFIX}")
