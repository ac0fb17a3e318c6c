"""Count what a unit of work sends to the database: every statement, and the BEGIN / COMMIT /
ROLLBACK the driver sends on its own (psycopg opens a transaction with a BEGIN of its own
before the first statement; SQLite's ``BEGIN IMMEDIATE`` is a statement of ours already).

On PostgreSQL a write transaction runs in pipeline mode (app/db_pipeline.py): its BEGIN goes
with its first statement, and what app/db_pipeline.py queues itself (the live account check,
the change NOTIFY, the audit rows) goes with the next statement or the COMMIT, so none is a
round trip of its own and none is counted: the count is the round trips, each statement that
waits for its answer.

``StatementCounter(db)`` listens to the engine's events; ``with counter.counting() as sent:``
gives the statements of the block (``len(sent)`` round trips on a server: each statement waits
for its answer). On PostgreSQL the latency proxy (``benchmarks/wan_proxy.py``) counts the same
trips on the wire; tests/test_round_trips.py checks that both agree.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from app.db import Database
from app.db_pipeline import UNANSWERED


class StatementCounter:
    def __init__(self, db: Database) -> None:
        self.engine = db.engine
        self._implicit_begin = not db.is_sqlite
        self._lock = threading.Lock()
        self._sinks: list[list[str]] = []
        event.listen(self.engine, "before_cursor_execute", self._on_statement)
        event.listen(self.engine, "begin", self._on_begin)
        event.listen(self.engine, "commit", self._on_commit)
        event.listen(self.engine, "rollback", self._on_rollback)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_statement)
        event.remove(self.engine, "begin", self._on_begin)
        event.remove(self.engine, "commit", self._on_commit)
        event.remove(self.engine, "rollback", self._on_rollback)

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[str]]:
        """The statements sent during the block (from any thread), in order."""
        sent: list[str] = []
        with self._lock:
            self._sinks.append(sent)
        try:
            yield sent
        finally:
            with self._lock:
                self._sinks.remove(sent)

    def _note(self, statement: str) -> None:
        with self._lock:
            for sink in self._sinks:
                sink.append(statement)

    def _on_statement(
        self, conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, *_: Any
    ) -> None:
        if conn.info.pop("begin_pending", False) and not _pipelined(conn):
            self._note("BEGIN")  # a trip of its own, before the statement
        if context is not None and context.execution_options.get(UNANSWERED):
            return  # sent with the next statement or the COMMIT (the audit rows)
        self._note(" ".join(statement.split()))

    def _on_begin(self, conn: Any) -> None:
        if self._implicit_begin:  # sent by the driver with the first statement
            conn.info["begin_pending"] = True

    def _on_commit(self, conn: Any) -> None:
        if not conn.info.pop("begin_pending", False):  # no statement: nothing to commit
            self._note("COMMIT")

    def _on_rollback(self, conn: Any) -> None:
        if not conn.info.pop("begin_pending", False):
            self._note("ROLLBACK")


def _pipelined(conn: Any) -> bool:
    return getattr(conn.connection.driver_connection, "_pipeline", None) is not None
