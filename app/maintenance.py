"""While a restore (or a move to the server) runs, every other station lets go of the database,
refuses reads and writes with a clear message, and signs in again once it is over: none writes
into the database being replaced.

The station doing the work announces it with a marker the others look for, and keeps it fresh
(a heartbeat) while it works:

- SQLite: a file next to the database, ``<file>.maintenance`` (JSON), looked for by every read
  and write (``Database._check_open``: one ``stat``) and by the change watcher;
- PostgreSQL: a comment on the database (``COMMENT ON DATABASE``, read from ``pg_database`` by any
  station, even one not connected to it) plus a NOTIFY so the change watcher looks at once.

A station that sees the marker closes its ``Database`` (:meth:`Database.close_for`: its pool is
disposed and no new connection is opened), so the restoring station can rename the databases;
after the work, it signs in again (:meth:`Database.reopen`) on whatever the database now is.
A marker whose heartbeat stopped (the restoring program was killed) is stale after
``STALE_AFTER_S`` and ignored. After a move the SQLite file keeps a ``moved`` marker for good:
it is no longer the center's database.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from app.db import CHANGE_CHANNEL, Database, maintenance_marker
from app.errors import N_, Translatable, Unavailable

HEARTBEAT_S = 5.0
STALE_AFTER_S = 60.0
COMMENT_PREFIX = "repairfloor-maintenance:"
NOTICE_PAYLOAD = "!maintenance"
RESTORE, MOVE, MOVED = "restore", "move", "moved"

MESSAGES: dict[str, Translatable] = {
    RESTORE: N_(
        "The database is being restored by {by} at {station}: nothing was saved. When the restore "
        "is done, sign in again."
    ),
    MOVE: N_(
        "The database is being moved to the server by {by} at {station}: nothing was saved. When "
        "the move is done, sign in again."
    ),
    MOVED: N_(
        "This database was moved to the server {target}: nothing was saved. Choose the server in "
        "View → Database connection, then start RepairFloor again."
    ),
}


class DatabaseClosed(Unavailable):
    """The database is being restored or moved (or was moved): nothing was read or saved."""


@dataclass(frozen=True)
class Notice:
    kind: str  # RESTORE, MOVE or MOVED
    by: str
    station: str
    origin: str  # the Database.origin of the program doing it (its own work goes on)
    beat: float  # time.time() of the last heartbeat
    target: str = ""  # MOVED: the server, without its password
    host: str = ""  # the PC doing it, and its process: a killed one's notice is over at once
    pid: int = 0

    def refusal(self) -> DatabaseClosed:
        return DatabaseClosed(
            MESSAGES.get(self.kind, MESSAGES[RESTORE]),
            by=self.by,
            station=self.station,
            target=self.target,
            kind=self.kind,
        )

    def is_live(self, now: float | None = None) -> bool:
        if self.kind == MOVED:
            return True
        if self.host == socket.gethostname() and self.pid and not process_alive(self.pid):
            return False  # killed on this PC: no need to wait for its heartbeat to go stale
        return (now or time.time()) - self.beat < STALE_AFTER_S

    def dumps(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def loads(cls, data: str) -> Notice | None:
        try:
            found = json.loads(data)
            return cls(**{name: found[name] for name in cls.__dataclass_fields__ if name in found})
        except (ValueError, TypeError, KeyError):
            return None


def process_alive(pid: int) -> bool:
    """Whether the process ``pid`` of this PC still runs."""
    if os.name == "nt":  # os.kill would end it on Windows: ask, never signal
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    return True


def _here(kind: str, by: str, station: str, origin: str, target: str = "") -> Notice:
    return Notice(kind, by, station, origin, time.time(), target, socket.gethostname(), os.getpid())


# SQLite: the marker file.


def marker_path(db: Database) -> Path | None:
    return maintenance_marker(db)


def read_marker(path: Path) -> Notice | None:
    try:
        notice = Notice.loads(path.read_text(encoding="utf-8"))
        beat = path.stat().st_mtime
    except OSError:
        return None
    if notice is None:  # unreadable: somebody's work all the same
        return Notice(RESTORE, "?", "?", "", beat)
    return Notice(
        notice.kind,
        notice.by,
        notice.station,
        notice.origin,
        beat,
        notice.target,
        notice.host,
        notice.pid,
    )


def _write_marker(path: Path, notice: Notice) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(notice.dumps(), encoding="utf-8")
    os.replace(partial, path)


# PostgreSQL: the comment on the database.


def _server(url: URL) -> Engine:
    """An engine on the server's maintenance database: it reads and comments on any database
    without connecting to it (a connection would keep a restore from renaming it)."""
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_comment(url: URL, name: str | None = None) -> tuple[int | None, Notice | None]:
    """The database's OID (None: no such database) and the notice its comment holds."""
    engine = _server(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT oid, shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name or url.database},
            ).first()
    finally:
        engine.dispose()
    if row is None:
        return None, None
    comment = row[1] or ""
    if not comment.startswith(COMMENT_PREFIX):
        return int(row[0]), None
    return int(row[0]), Notice.loads(comment.removeprefix(COMMENT_PREFIX))


def _set_comment(url: URL, name: str, notice: Notice | None) -> None:
    engine = _server(url)
    try:
        with engine.connect() as connection:
            if notice is None:
                connection.execute(text(f"COMMENT ON DATABASE {_quoted(name)} IS NULL"))
            else:
                value = (COMMENT_PREFIX + notice.dumps()).replace("'", "''")
                connection.execute(text(f"COMMENT ON DATABASE {_quoted(name)} IS '{value}'"))
    finally:
        engine.dispose()


def current_notice(db: Database) -> Notice | None:
    """The live notice on ``db`` now (another program's or this one's), if any."""
    path = marker_path(db)
    if path is not None:
        notice = read_marker(path) if path.exists() else None
    elif db.dialect == "postgresql":
        notice = read_comment(db.url)[1]
    else:
        return None
    return notice if notice is not None and notice.is_live() else None


# The station doing the work.


@contextmanager
def announced(db: Database, kind: str, by: str, station: str) -> Iterator[Notice]:
    """Tell every other station that ``db`` is being restored or moved, for the duration of the
    block (heartbeat included); the notice is taken away at the end, however it ends."""
    notice = _here(kind, by, station, db.origin)
    other = current_notice(db)
    if other is not None and other.origin != db.origin:
        raise other.refusal()  # somebody else is restoring or moving it already
    path = marker_path(db)
    stop = threading.Event()
    if path is not None:
        _write_marker(path, notice)

        def beat() -> None:
            os.utime(path)
    else:
        _set_comment(db.url, str(db.url.database), notice)
        with db.engine.connect() as connection:  # the watchers look at once
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANGE_CHANNEL, "payload": NOTICE_PAYLOAD},
            )
            connection.commit()

        def beat() -> None:
            fresh = _here(kind, by, station, db.origin)
            _set_comment(db.url, str(db.url.database), fresh)

    def heartbeat() -> None:
        while not stop.wait(HEARTBEAT_S):
            try:
                beat()
            except Exception:  # noqa: BLE001 - a missed beat: the next one tries again
                continue

    thread = threading.Thread(target=heartbeat, name="maintenance-heartbeat", daemon=True)
    thread.start()
    try:
        yield notice
    finally:
        stop.set()
        thread.join()
        if path is not None:
            path.unlink(missing_ok=True)
        else:
            _set_comment(db.url, str(db.url.database), None)


def mark_moved(db: Database, target: str, by: str, station: str) -> None:
    """For good: this SQLite file is no longer the center's database (it moved to ``target``)."""
    path = marker_path(db)
    if path is not None:
        _write_marker(path, _here(MOVED, by, station, "", target))
