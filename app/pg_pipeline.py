"""psycopg's side of the pipeline mode (app/db_pipeline.py): the cursor, pipeline and connection
classes a PostgreSQL engine connects with. Imported when a PostgreSQL connection is made, never on
SQLite: psycopg and its dialect cost a tenth of a second at every start of a one-PC floor."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import pq

from app.db_pipeline import send_held as _send_held


class WaitingCursor(psycopg.Cursor[Any]):
    """A cursor whose description and rowcount wait for its statement's answer in pipeline
    mode (psycopg's own give None / -1 until some later read fetches it)."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        _send_held(self._conn)
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> None:
        """As outside pipeline mode: the answers are in (the rowcount the ORM checks)."""
        _send_held(self._conn)
        super().executemany(*args, **kwargs)
        if isinstance(self._conn._pipeline, Pipeline) and not getattr(
            self._conn, "unanswered", False
        ):
            with self._conn.lock:
                self._conn.wait(self._conn._pipeline._fetch_gen(flush=True))

    @property
    def description(self) -> Any:
        if not getattr(self._conn, "unanswered", False):
            self._fetch_pipeline()
        return super().description

    @property
    def rowcount(self) -> int:
        self._fetch_pipeline()
        return super().rowcount


class Pipeline(psycopg.Pipeline):
    """psycopg's pipeline, left without a Sync (a round trip) when nothing is in flight."""

    began = False  # the transaction began (libpq says IDLE until a Sync's answer)

    def leave(self) -> None:
        idle = self.pgconn.transaction_status == pq.TransactionStatus.IDLE
        if idle and not self.command_queue and not self.result_queue:
            self._exit(None)
        else:
            self.__exit__(None, None, None)  # a Sync, and the answers still due


class PipelinedConnection(psycopg.Connection[Any]):
    """psycopg's connection whose commit sends the COMMIT of a pipelined transaction even
    when libpq reports the connection idle (in pipeline mode it knows the transaction's
    state only from a Sync's answer, which the transaction has not asked for)."""

    unanswered = False  # the statement being sent returns nothing anyone waits for

    def _start_query(self) -> Any:
        """The BEGIN of a pipelined transaction goes with its first statement (psycopg's
        own waits for a Sync's answer: a round trip of its own)."""
        pipeline = self._pipeline
        if not isinstance(pipeline, Pipeline):
            yield from super()._start_query()
            return
        if not pipeline.began:
            pipeline.began = True
            idle = self.pgconn.transaction_status == pq.TransactionStatus.IDLE
            if idle and not self._autocommit:
                yield from self._exec_command(self._get_tx_start_command())

    def commit(self) -> None:
        pipeline = self._pipeline
        if not isinstance(pipeline, Pipeline) or not pipeline.began:
            super().commit()
            return
        pipeline.began = False
        with self.lock:
            self.wait(self._exec_command(b"COMMIT"))
            self.wait(pipeline._sync_gen())

    def rollback(self) -> None:
        pipeline = self._pipeline
        if isinstance(pipeline, Pipeline):
            pipeline.began = False  # the Sync it sends first tells libpq the state
        super().rollback()


def connect(*args: Any, **kwargs: Any) -> Any:
    """A PostgreSQL connection of this module's kind (the engine's ``do_connect``)."""
    return PipelinedConnection.connect(*args, cursor_factory=WaitingCursor, **kwargs)


def is_supported() -> bool:
    """Whether this libpq has pipeline mode (14 or newer)."""
    return bool(psycopg.Pipeline.is_supported())
