"""SQLite: a consistent copy through the online backup API, a full check of a copy, and the switch
that puts a checked copy in the live file's place with one rename."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.admin.backup.container import damaged, durable_replace
from app.errors import N_, InvalidInput

SWITCH_TIMEOUT_S = 3


def copy_live(live: Path, target: Path) -> None:
    """A consistent copy of ``live`` (others keep working) in rollback-journal mode."""
    target.unlink(missing_ok=True)
    source = sqlite3.connect(live)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
        source.close()


def row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in sorted(names)
    }


def check_copy(path: Path, shown_as: Path) -> tuple[str | None, dict[str, int]]:
    """The schema revision and rows per table of a copy, after SQLite's full integrity check."""
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise damaged(shown_as, "; ".join(problems[:3]))
            counts = row_counts(connection)
            revision = None
            if "alembic_version" in counts:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = None if row is None else str(row[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise damaged(shown_as, str(error)) from None
    return revision, counts


def switch(new: Path, live: Path) -> None:
    """Put ``new`` in place of ``live`` with one rename, once no other program has ``live`` open.

    Leaving WAL mode needs every other connection closed: if it cannot, another window or
    program is using the database and nothing is switched."""
    if live.exists():
        connection = sqlite3.connect(live, timeout=SWITCH_TIMEOUT_S)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            mode = "busy"
        finally:
            connection.close()
        if str(mode).lower() != "delete":
            raise InvalidInput(
                N_(
                    "Another RepairFloor window or program has {path} open: close it, then "
                    "restore again. Nothing was changed."
                ),
                path=str(live),
            )
    settle(new)
    for suffix in ("-wal", "-shm"):  # never applied to the new file
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    durable_replace(new, live)


def settle(path: Path) -> None:
    """Fold ``path``'s write-ahead log into the file and leave no side file behind."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


def clear_side_files(path: Path) -> None:
    """A side file left by a killed run must never be applied to a new file of that name."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
