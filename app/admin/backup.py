"""Backups of the whole database: SQLite through its online backup API, PostgreSQL via pg_dump.

A restore refuses a file that is not a RepairFloor backup or that comes from a newer schema than
this program knows.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from app.db import Database
from app.errors import N_, InvalidInput
from app.schema import HEAD_REVISION, MIGRATIONS_DIR, current_revision, upgrade


def _sqlite_path(db: Database) -> Path:
    assert db.url.database, "in-memory databases have nothing to back up"
    return Path(db.url.database)


def backup(db: Database, destination: Path) -> Path:
    """Write a consistent copy of the database (while others keep working) to ``destination``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if db.is_sqlite:
        source = sqlite3.connect(_sqlite_path(db))
        target = sqlite3.connect(destination)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return destination
    _run_pg(["pg_dump", "--format=custom", f"--file={destination}", _pg_dsn(db)])
    return destination


def default_backup_name(now: datetime, db: Database) -> str:
    suffix = "sqlite" if db.is_sqlite else "pgdump"
    return f"repairfloor-{now:%Y%m%d-%H%M%S}.{suffix}"


def backup_revision(path: Path) -> str:
    """The schema revision inside a SQLite backup, or raise if it is not a RepairFloor backup."""
    not_ours = InvalidInput(N_("{path} is not a RepairFloor backup."), path=str(path))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            connection.execute("SELECT count(*) FROM repair_orders").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise not_ours from None
    if row is None:
        raise not_ours
    return str(row[0])


def _check_known(revision: str) -> None:
    from alembic.script import ScriptDirectory  # only when restoring: Alembic is slow to import

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise InvalidInput(
            N_(
                "The backup comes from a newer RepairFloor (schema {revision}). Update the program first."
            ),
            revision=revision,
        )


def restore(db: Database, source: Path) -> None:
    """Replace the database's content with the backup's, then upgrade it to this program's schema."""
    if not source.is_file():
        raise InvalidInput(N_("{path} does not exist."), path=str(source))
    if db.is_sqlite:
        _check_known(backup_revision(source))
        db.dispose()
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(db))
        try:
            with target:
                origin.backup(target)
        finally:
            target.close()
            origin.close()
    else:
        _check_known(pg_backup_revision(source))
        db.dispose()
        _run_pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_pg_dsn(db)}",
                str(source),
            ]
        )
    upgrade(db)


def pg_backup_revision(path: Path) -> str:
    """The schema revision inside a pg_dump backup, or raise if it is not a RepairFloor backup."""
    not_ours = InvalidInput(N_("{path} is not a RepairFloor backup."), path=str(path))
    listing = _run_pg(["pg_restore", "--list", str(path)], check=False)
    if listing.returncode != 0 or "alembic_version" not in listing.stdout:
        raise not_ours
    data = _run_pg(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)])
    lines = data.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            return lines[index + 1].strip()
    raise not_ours


BACKUP_PATTERN = "repairfloor-*"


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups in ``directory``; returns what was deleted."""
    backups = sorted(directory.glob(BACKUP_PATTERN), key=lambda path: path.name, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def daily_backup(db: Database, directory: Path, now: datetime, keep: int = 14) -> Path | None:
    """Today's automatic backup, unless there is one already; keeps the ``keep`` newest."""
    if not db.is_sqlite and shutil.which("pg_dump") is None:
        return None  # a server's backups are the server's business without the client tools
    today = f"repairfloor-{now:%Y%m%d}-"
    if any(path.name.startswith(today) for path in directory.glob(BACKUP_PATTERN)):
        return None
    path = backup(db, directory / default_backup_name(now, db))
    rotate(directory, keep)
    return path


def backup_before_upgrade(db: Database, directory: Path, now: datetime) -> Path | None:
    """A copy of a database made by an older version, taken before its schema is upgraded."""
    revision = current_revision(db)
    if revision is None or revision == HEAD_REVISION:
        return None
    if not db.is_sqlite and shutil.which("pg_dump") is None:
        return None
    suffix = "sqlite" if db.is_sqlite else "pgdump"
    return backup(db, directory / f"before-upgrade-{revision}-{now:%Y%m%d-%H%M%S}.{suffix}")


def _pg_dsn(db: Database) -> str:
    return db.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run_pg(args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        raise InvalidInput(
            N_("{tool} is not installed: install the PostgreSQL client tools."), tool=args[0]
        )
    result = subprocess.run(args, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise InvalidInput(N_("{tool} failed: {error}"), tool=args[0], error=result.stderr.strip())
    return result
