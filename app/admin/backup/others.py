"""The other stations, during a restore or a move: the station doing it announces it
(``app.maintenance.announced``), the others let go of the database when they see the notice, and
this waits until they have (a station that does not let go is named, and nothing is changed)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from app.admin.backup.postgres import other_connections
from app.db import Database
from app.errors import N_, InvalidInput

LET_GO_S = 20.0  # how long the others get to let go of the database


def wait_for_others(db: Database, timeout: float | None = None) -> list[str]:
    """Wait until no other program holds ``db`` open; returns who still does after ``timeout``
    seconds (empty: alone)."""
    deadline = time.monotonic() + (LET_GO_S if timeout is None else timeout)
    while True:
        others = holders(db)
        if not others or time.monotonic() >= deadline:
            return others
        time.sleep(0.2)


def require_alone(db: Database, timeout: float | None = None) -> None:
    """Raise, naming them, when other programs still hold ``db`` after ``timeout`` seconds."""
    others = wait_for_others(db, timeout)
    if others:
        raise InvalidInput(
            N_(
                "{count} other connections did not let go of the database ({who}): close "
                "RepairFloor on those stations, then try again. Nothing was changed."
            ),
            count=len(others),
            who=", ".join(sorted(set(others))),
        )


def holders(db: Database) -> list[str]:
    """Who else has the database open now (SQLite: leaving WAL mode needs every other connection
    closed; PostgreSQL: the server's list of connections)."""
    if not db.is_sqlite:
        return other_connections(db.url, str(db.url.database))
    database = db.url.database
    if not database or not Path(database).exists():
        return []
    connection = sqlite3.connect(database, timeout=0.5)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "busy"
    finally:
        connection.close()
    return [] if str(mode).lower() == "delete" else [str(database)]
