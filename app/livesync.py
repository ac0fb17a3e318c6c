"""Live refresh between stations: a change committed at one station reaches the other stations'
open views within about a second, without anyone pressing refresh.

- PostgreSQL: each write transaction sends a NOTIFY with the tables it changed (delivered at
  commit) on its center's channel (``repairfloor_changes_<center id>``); a watcher thread
  LISTENs on its own connection to its center's channel (a station of center A never wakes up
  for center B's commits; headquarters' stations hear their own center's: the headquarters'
  view is read when asked) and to the network's (a restore or move).
- SQLite (several app instances on one file, on one PC or a share): each write transaction bumps
  a change mark per table in ``counters``; a watcher thread polls the marks (one indexed read).

Either way the watcher hands the table names to ``Database.notify_external``, the same broadcast
a station's own commits use, so every view refreshes the same way. A station ignores its own
changes (they were broadcast already).

The watcher also looks for another station's restore or move (``app.maintenance``): it closes
the station's database (the pool let go, every read and write refused with the reason), calls
``on_closed(refusal)``, lets go of its own connection, waits (without connecting to the
database) until the work is over, then calls ``on_back()`` and stops: the station signs in again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from sqlalchemy import text

from app import maintenance
from app.db import CHANGE_CHANNEL, CHANGE_MARK, Database
from app.errors import DomainError

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
NOTICE_EVERY_S = 2.0  # PostgreSQL: how often the database's comment is read besides the NOTIFY
OnClosed = Callable[[DomainError], None]


class ChangeWatcher:
    def __init__(
        self,
        db: Database,
        poll_seconds: float = POLL_SECONDS,
        *,
        on_closed: OnClosed | None = None,
        on_back: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.on_closed = on_closed
        self.on_back = on_back
        self.closed = threading.Event()  # a restore or move elsewhere was seen
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: dict[str, int] | None = None
        # Set once the watcher has read the marks (SQLite) or is listening (PostgreSQL): a
        # commit after that is sure to be heard.
        self.ready = threading.Event()

    def start(self) -> ChangeWatcher:
        target = self._listen_postgres if self.db.dialect == "postgresql" else self._poll_sqlite
        self._thread = threading.Thread(
            target=self._run, args=(target,), name="change-watcher", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, target: Callable[[], None]) -> None:
        while not self._stop.is_set():
            try:
                if self.db.closed_by is not None:  # closed by a read or write that saw it first
                    self._closed(self.db.closed_by)
                    return
                target()
            except Exception:  # the server went away: keep trying, never take the app down
                log.warning("change watcher: connection lost, retrying", exc_info=True)
                self._stop.wait(2.0)

    # A restore or move: another station's (close), or this station's own (step aside).
    def _foreign_notice(self) -> maintenance.Notice | None:
        notice = maintenance.current_notice(self.db)
        return notice if notice is not None and notice.origin != self.db.origin else None

    def _seen_notice(self, notice: maintenance.Notice) -> None:
        """Called with no connection open: close for another station's work; for this
        station's own, stay away from the database until it is done, then watch again."""
        if notice.origin != self.db.origin:
            self._closed(notice.refusal())
            return
        while not self._stop.is_set() and maintenance.current_notice(self.db) is not None:
            self._stop.wait(self.poll_seconds)

    def _closed(self, refusal: DomainError) -> None:
        """Let go, tell the station, wait until the work is over (no connection meanwhile)."""
        self.db.close_for(refusal)
        self.closed.set()
        if self.on_closed is not None:
            self.on_closed(refusal)
        while not self._stop.is_set():
            try:
                if self._foreign_notice() is None:
                    break
            except Exception:  # the server restarting: look again
                log.warning("change watcher: cannot read the restore notice", exc_info=True)
            self._stop.wait(self.poll_seconds)
        else:
            return
        if self.on_back is not None:
            self.on_back()
        self._stop.set()

    # SQLite: poll the change marks.
    def _poll_sqlite(self) -> None:
        with self.db.engine.connect() as connection:
            while not self._stop.is_set():
                notice = maintenance.current_notice(self.db)
                if notice is not None:
                    break  # let go of the connection first
                rows = connection.execute(
                    text("SELECT name, value FROM counters WHERE name >= :low AND name < :high"),
                    {"low": CHANGE_MARK, "high": CHANGE_MARK[:-1] + chr(ord(CHANGE_MARK[-1]) + 1)},
                ).all()
                connection.rollback()  # end the read transaction: see the next commits
                self._compare(dict(rows))
                self._stop.wait(self.poll_seconds)
            else:
                return
        self._seen_notice(notice)

    def _compare(self, marks: dict[str, int]) -> None:
        if self._seen is None:
            self._seen = marks
            self.ready.set()
            return
        own = self.db.take_own_marks(marks)
        changed = set()
        for name, value in marks.items():
            before = self._seen.get(name, 0)
            if value == before:
                continue
            commits = set(range(before + 1, value + 1)) if before < value else {value}
            if not commits <= own.get(name, set()):  # at least one commit was another station's
                changed.add(name.removeprefix(CHANGE_MARK))
        self._seen = marks
        self._deliver(changed)

    # PostgreSQL: LISTEN.
    def _listen_postgres(self) -> None:
        import psycopg

        dsn = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        found: maintenance.Notice | None = None
        with psycopg.connect(dsn, autocommit=True) as connection:
            center = connection.execute("SELECT COALESCE(rf_current_center(), 0)").fetchone()
            connection.execute(f"LISTEN {CHANGE_CHANNEL}")  # the network's: a restore or move
            connection.execute(f"LISTEN {CHANGE_CHANNEL}_{int(center[0]) if center else 0}")
            found = maintenance.current_notice(self.db)
            self.ready.set()
            looked = time.monotonic()
            while found is None and not self._stop.is_set():  # wake up now and then
                look = time.monotonic() - looked > NOTICE_EVERY_S
                for notice in connection.notifies(timeout=self.poll_seconds):
                    origin, _, tables = notice.payload.partition("|")
                    if origin == maintenance.NOTICE_PAYLOAD:
                        look = True
                    elif origin != self.db.origin:
                        self._deliver(tables.split(","))  # at once: NOTIFY needs no waiting
                if look:
                    found, looked = maintenance.current_notice(self.db), time.monotonic()
        if found is not None:  # the LISTEN connection is closed: the database can be renamed
            self._seen_notice(found)

    def _deliver(self, tables: Iterable[str]) -> None:
        changed = frozenset(table for table in tables if table)
        if changed:
            self.db.notify_external(changed)
