"""Live refresh between stations: a change committed at one station reaches the other stations'
open views within about a second, without anyone pressing refresh.

- PostgreSQL: each write transaction sends ``NOTIFY repairfloor_changes`` with the tables it
  changed (delivered at commit); a watcher thread LISTENs on its own connection.
- SQLite (several app instances on one file, on one PC or a share): each write transaction bumps
  a change mark per table in ``counters``; a watcher thread polls the marks (one indexed read).

Either way the watcher hands the table names to ``Database.notify_external``, the same broadcast
a station's own commits use, so every view refreshes the same way. A station ignores its own
changes (they were broadcast already).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import text

from app.db import CHANGE_CHANNEL, CHANGE_MARK, Database

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


class ChangeWatcher:
    def __init__(self, db: Database, poll_seconds: float = POLL_SECONDS) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
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
                target()
            except Exception:  # the server went away: keep trying, never take the app down
                log.warning("change watcher: connection lost, retrying", exc_info=True)
                self._stop.wait(2.0)

    # SQLite: poll the change marks.
    def _poll_sqlite(self) -> None:
        with self.db.engine.connect() as connection:
            while not self._stop.is_set():
                rows = connection.execute(
                    text("SELECT name, value FROM counters WHERE name >= :low AND name < :high"),
                    {"low": CHANGE_MARK, "high": CHANGE_MARK[:-1] + chr(ord(CHANGE_MARK[-1]) + 1)},
                ).all()
                connection.rollback()  # end the read transaction: see the next commits
                self._compare(dict(rows))
                self._stop.wait(self.poll_seconds)

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
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANGE_CHANNEL}")
            self.ready.set()
            while not self._stop.is_set():  # wake up now and then to notice stop()
                for notice in connection.notifies(timeout=self.poll_seconds):
                    origin, _, tables = notice.payload.partition("|")
                    if origin != self.db.origin:
                        self._deliver(tables.split(","))  # at once: NOTIFY needs no waiting

    def _deliver(self, tables: Iterable[str]) -> None:
        changed = frozenset(table for table in tables if table)
        if changed:
            self.db.notify_external(changed)
