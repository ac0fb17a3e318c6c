"""PostgreSQL over a WAN: a unit of work waits for the server only where it reads an answer.

Each statement a driver sends normally waits for its answer: a round trip (20-60 ms to a server
in another city). In psycopg's *pipeline mode* statements are sent without waiting, and the
answers are read when asked for. A write transaction (``Database.transaction``) runs in pipeline
mode on PostgreSQL, with:

- ``WaitingCursor`` (app/pg_pipeline.py, with psycopg's other classes: loaded by a PostgreSQL
  engine only): SQLAlchemy reads every statement's column description (and rowcount)
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

Rows = Callable[[], Sequence[Sequence[Any]]]


# Statements :func:`send` holds back until the connection's next statement, per connection.
_held: weakref.WeakKeyDictionary[Any, list[Callable[[], Any]]] = weakref.WeakKeyDictionary()


def send_held(conn: Any) -> None:
    """What :func:`send` held back, sent before the connection's next statement."""
    for held in _held.pop(conn, ()):
        held()


def leave_pipeline(conn: Any) -> None:
    """The connection out of pipeline mode (a pool event calls it as the connection goes back
    to the pool: a session releases it at its commit or rollback)."""
    from app.pg_pipeline import Pipeline  # a PostgreSQL engine's event: psycopg is loaded

    pipeline = getattr(conn, "_pipeline", None)
    if not isinstance(pipeline, Pipeline):
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
    if session.get_bind().dialect.name != "postgresql":
        return
    from app import pg_pipeline

    if not pg_pipeline.is_supported():
        return
    conn = _driver_connection(session)
    if conn._pipeline is not None:
        return
    with conn.lock:
        pipeline = conn._pipeline = pg_pipeline.Pipeline(conn)
    pipeline.__enter__()


def _in_pipeline(session: Session) -> Any:
    if session.get_bind().dialect.name != "postgresql":
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
        send_held(conn)
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
