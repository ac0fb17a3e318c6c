"""PostgreSQL over a WAN: a unit of work waits for the server only where it reads an answer.

Each statement a driver sends normally waits for its answer: a round trip (20-60 ms to a server
in another city). In psycopg's *pipeline mode* statements are sent without waiting, and the
answers are read when asked for. A write transaction (``Database.transaction``) runs in pipeline
mode on PostgreSQL, with:

- :class:`WaitingCursor`: SQLAlchemy reads every statement's column description (and rowcount)
  as soon as it is executed, so the cursor waits for that statement's answer there, and a
  statement sent through SQLAlchemy behaves exactly as outside pipeline mode (its error is raised
  by its own ``execute``). What does not wait is what the driver and this module send around it:
  the ``BEGIN`` goes with the first statement, :func:`send` queues a statement whose answer is
  read later (the live account check), :func:`send_and_forget` one whose answer nobody reads
  (the change NOTIFY), and the ``COMMIT`` takes them with it.
- :func:`pipelined`: leaves pipeline mode after the commit without the extra Sync (and round
  trip) psycopg's own ``Connection.pipeline()`` sends on exit when nothing is left in flight.

An error in a queued statement aborts the rest of the pipeline: psycopg raises it at the next
answer read (a later statement or the commit) and the transaction rolls back, as when the
statement had failed on its own. SQLite has no wire: :func:`send` runs the statement at once and
returns its rows, so both databases run the same service code.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, TextClause
from sqlalchemy.orm import Session

from app.errors import SignedOut

try:  # PostgreSQL's driver (the "postgres" extra): a SQLite-only install runs without it
    import psycopg
    from psycopg import pq
except ImportError:  # pragma: no cover - tested with the extra installed
    psycopg = None  # type: ignore[assignment]

Rows = Callable[[], Sequence[Sequence[Any]]]


if psycopg is not None:

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
            if isinstance(self._conn._pipeline, _Pipeline) and not getattr(
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

    class _Pipeline(psycopg.Pipeline):
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
            if not isinstance(pipeline, _Pipeline):
                yield from super()._start_query()
                return
            if not pipeline.began:
                pipeline.began = True
                idle = self.pgconn.transaction_status == pq.TransactionStatus.IDLE
                if idle and not self._autocommit:
                    yield from self._exec_command(self._get_tx_start_command())

        def commit(self) -> None:
            pipeline = self._pipeline
            if not isinstance(pipeline, _Pipeline) or not pipeline.began:
                super().commit()
                return
            pipeline.began = False
            with self.lock:
                self.wait(self._exec_command(b"COMMIT"))
                self.wait(pipeline._sync_gen())

        def rollback(self) -> None:
            pipeline = self._pipeline
            if isinstance(pipeline, _Pipeline):
                pipeline.began = False  # the Sync it sends first tells libpq the state
            super().rollback()


def connect(*args: Any, **kwargs: Any) -> Any:
    """A PostgreSQL connection of this module's kind (the engine's ``do_connect``)."""
    return PipelinedConnection.connect(*args, cursor_factory=WaitingCursor, **kwargs)


# Statements :func:`send` holds back until the connection's next statement, per connection.
_held: weakref.WeakKeyDictionary[Any, list[Callable[[], Any]]] = weakref.WeakKeyDictionary()


def _send_held(conn: Any) -> None:
    """What :func:`send` held back, sent before the connection's next statement."""
    for held in _held.pop(conn, ()):
        held()


def leave_pipeline(conn: Any) -> None:
    """The connection out of pipeline mode (a pool event calls it as the connection goes back
    to the pool: a session releases it at its commit or rollback)."""
    pipeline = getattr(conn, "_pipeline", None)
    if not isinstance(pipeline, _Pipeline):
        return
    _held.pop(conn, None)
    try:
        pipeline.leave()
    finally:
        with conn.lock:
            conn._pipeline = None


def _driver_connection(session: Session) -> Any:
    return session.connection().connection.driver_connection


def enter_pipeline(session: Session) -> None:
    """The session's PostgreSQL connection in pipeline mode until it goes back to the pool
    (:func:`leave_pipeline`); SQLite, or a libpq older than 14 (no pipeline mode): nothing
    changes, each statement waits for its answer as before."""
    if psycopg is None or session.get_bind().dialect.name != "postgresql":
        return
    if not psycopg.Pipeline.is_supported():
        return
    conn = _driver_connection(session)
    if conn._pipeline is not None:
        return
    with conn.lock:
        pipeline = conn._pipeline = _Pipeline(conn)
    pipeline.__enter__()


def _in_pipeline(session: Session) -> Any:
    if psycopg is None or session.get_bind().dialect.name != "postgresql":
        return None
    conn = _driver_connection(session)
    return conn if conn._pipeline is not None else None


def send(session: Session, statement: Select[Any], params: dict[str, Any]) -> Rows:
    """Send a SELECT now and read its rows later: ``send(...)()`` gives them (waiting for the
    answer only if it has not come with an earlier one). Outside a pipeline (SQLite) the
    statement runs at once."""
    conn = _in_pipeline(session)
    if conn is None:
        at_once = [tuple(row) for row in session.connection().execute(statement, params)]
        return lambda: at_once
    dialect = session.get_bind().dialect
    compiled = statement.compile(dialect=dialect)
    processors = [
        column.type._cached_result_processor(dialect, None) for column in statement.selected_columns
    ]
    cursor = conn.cursor()
    # Sent just before the next statement (or when its rows are asked for first): on the wire
    # the two leave together, whatever the service computes in between.
    _held.setdefault(conn, []).append(
        lambda: cursor.execute(str(compiled), compiled.construct_params(params))
    )

    def rows() -> Sequence[Sequence[Any]]:
        _send_held(conn)
        fetched = cursor.fetchall()
        cursor.close()
        return [
            tuple(
                value if p is None else p(value) for p, value in zip(processors, row, strict=True)
            )
            for row in fetched
        ]

    return rows


UNANSWERED = "rf_unanswered"  # the execution option of :func:`execute_unanswered`


def execute_unanswered(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    """An INSERT (without RETURNING) of ``rows`` through SQLAlchemy (its types bind the values)
    that waits for no answer in a pipeline: it goes with the next statement or the COMMIT, and
    its error fails that one. Outside a pipeline (SQLite) it runs at once."""
    conn = _in_pipeline(session)
    options = {UNANSWERED: conn is not None}
    if conn is None:
        session.execute(statement, rows, execution_options=options)
        return
    conn.unanswered = True
    try:
        session.execute(statement, rows, execution_options=options)
    finally:
        conn.unanswered = False


def send_and_forget(session: Session, statement: TextClause, params: dict[str, Any]) -> None:
    """A statement whose answer nobody reads (its error still fails the commit): queued in a
    pipeline, run at once outside one."""
    conn = _in_pipeline(session)
    if conn is None:
        session.execute(statement, params)
        return
    compiled = statement.compile(dialect=session.get_bind().dialect)
    conn.cursor().execute(str(compiled), compiled.construct_params(params))


def nothing() -> None:
    """The live account check of a database with no person (sign-in, migrations)."""


def signed_out_first(check: Callable[[], None]) -> None:
    """A failed unit of work of a person no longer signed in raises SignedOut instead (the
    check's answer is in hand, or comes with the failure's); any other trouble reading it
    leaves the unit of work's own failure to be raised."""
    try:
        check()
    except SignedOut:
        raise
    except Exception:  # noqa: BLE001 - the unit of work's own failure is raised instead
        return
