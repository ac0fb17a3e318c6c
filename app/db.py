"""The one engine and session factory of the application, built from a SQLAlchemy URL.

SQLite (the default, one PC) runs in WAL mode with foreign keys on, a busy timeout and
synchronous=FULL (a scan acknowledged on screen survives a power cut: its label is already on
the unit); write transactions start with ``BEGIN IMMEDIATE`` so two stations (or two processes)
never deadlock upgrading a read lock. PostgreSQL runs the same code, with a connect timeout and
TCP keepalives (a dead server is an answer within seconds, never a frozen window) and a lock
timeout (a row another station holds is "busy: try again", like SQLite's busy timeout).
A failed call is translated once, here, into what it means on the floor (``app.db_errors``).
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app import db_pipeline
from app.db_errors import UNAVAILABLE, not_saved
from app.db_pipeline import enter_pipeline, nothing, send_and_forget, signed_out_first
from app.errors import N_, Conflict, DomainError

SQLITE_BUSY_TIMEOUT_MS = 10_000
# PostgreSQL: how long a connection attempt may take, how soon a silent server is noticed, and how
# long a statement waits for a row another station holds.
PG_CONNECT_TIMEOUT_S = 5
PG_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3}
PG_LOCK_TIMEOUT_MS = 10_000
# A pooled connection idle longer than this is pinged before use (a server restarted meanwhile is
# noticed then, and a fresh connection taken); one in use during a scanning burst is not: over a
# WAN each ping is a round trip (20-60 ms) added to every unit of work.
PG_PING_IDLE_S = 5.0
# PostgreSQL: a center's changes go to its own channel (``repairfloor_changes_<center id>``,
# the connected role's center, ``rf_current_center()``), so its stations never wake up for
# another center's commits; the channel without a center is the network's (a restore or move).
CHANGE_CHANNEL = "repairfloor_changes"
_NOTIFY = text("SELECT pg_notify(:channel || '_' || COALESCE(rf_current_center(), 0), :payload)")
CHANGE_MARK = "chg:"
OWN_MARKS_KEPT = 10_000
# Tables whose changes always come with another table's (or are the marks themselves).
UNPUBLISHED_TABLES = frozenset({"audit_log", "counters"})

ChangeListener = Callable[[frozenset[str]], None]
# A unique value another station saved a moment before this one (the same serial received at
# two stations at once): PostgreSQL's unique index refuses the second; SQLite serialises the
# writers, so the second sees the first's row and its service refuses it by name.
DUPLICATE = N_("Another station saved the same record a moment ago. Reload and try again.")
__all__ = ["UNAVAILABLE", "Database", "stream"]


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _ping_idle_connections(engine: Engine, idle_s: float) -> None:
    """``pool_pre_ping``, but only for a connection that sat in the pool longer than ``idle_s``:
    a dead one is replaced before use (the pool retries checkout on DisconnectionError); one
    just used is not pinged again. A connection that died within ``idle_s`` fails its statement
    as Unavailable and the pool is invalidated, so the next try connects afresh."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.pop("returned_at", None)
        if returned is None or time.monotonic() - returned < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure means: not usable
            raise DisconnectionError() from error


class Database:
    """Engine + session factories + a change broadcast for the views.

    ``read()`` gives a session for queries; ``transaction()`` gives one unit of work that commits
    on success and rolls back on any error, so a refused operation leaves nothing half-saved.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        # A failed statement's message never carries its values (a customer's phone, name...).
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect == "sqlite":
            database = self.url.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
            }
        else:
            if self.dialect == "postgresql":
                kwargs["connect_args"] = postgres_connect_args(self.url.query)
        self.engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
            write_engine: Engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        else:
            write_engine = self.engine
            _ping_idle_connections(self.engine, PG_PING_IDLE_S)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(write_engine, expire_on_commit=False)
        self._listeners: list[ChangeListener] = []
        self._listeners_lock = threading.Lock()
        # Who we are among the stations, and the change marks our own commits produced.
        self.origin = uuid.uuid4().hex
        # The mark values our own commits produced, per mark, until the watcher has seen them.
        # The lock is held from the commit until they are noted, so the watcher never mistakes
        # this station's fresh mark for another station's change.
        self._own_marks: dict[str, set[int]] = {}
        self._own_marks_lock = threading.Lock()
        # A check run first thing in every write transaction (see ``guarded``).
        self._guard: Callable[[Session], Callable[[], None] | None] | None = None
        self._base: Database = self
        # Closed while another station restores or moves the database (app/maintenance.py):
        # shared by every guarded view of this database; SQLite also looks for the marker file.
        self._closed: list[DomainError] = []
        self._marker = maintenance_marker(self)
        self._refuse_new_connections()
        if self.dialect == "postgresql":
            # A write transaction runs in pipeline mode: see app/db_pipeline.py.
            from app import pg_pipeline  # psycopg's classes: never imported on SQLite

            event.listen(
                self.engine, "do_connect", lambda _d, _r, a, k: pg_pipeline.connect(*a, **k)
            )
            event.listen(self.engine, "reset", lambda conn, *_: db_pipeline.leave_pipeline(conn))

    def _refuse_new_connections(self) -> None:
        @event.listens_for(self.engine, "do_connect")
        def refuse(*_: Any) -> None:
            if self._closed:
                raise self._closed[0]

    def _check_open(self) -> None:
        """Raise the refusal when the database is closed for a restore or a move (nothing is
        read or written: the station signs in again afterwards)."""
        if not self._closed and self._marker is not None and self._marker.exists():
            from app.maintenance import read_marker

            notice = read_marker(self._marker)
            if notice is not None and notice.is_live() and notice.origin != self.origin:
                self.close_for(notice.refusal())
        if self._closed:
            raise self._closed[0]

    def close_for(self, refusal: DomainError) -> None:
        """Let go of the database (the pool is emptied; no new connection is opened) and refuse
        every read and write with ``refusal`` until :meth:`reopen`."""
        if not self._closed:
            self._closed.append(refusal)
        self.engine.dispose()

    def reopen(self) -> None:
        """Use the database again (after signing in again on what the database now is)."""
        self._closed.clear()
        self.engine.dispose()

    @property
    def closed_by(self) -> DomainError | None:
        """Why this database is closed now (a restore or a move elsewhere), or None."""
        return self._closed[0] if self._closed else None

    def guarded(self, guard: Callable[[Session], Callable[[], None] | None]) -> Database:
        """This database with ``guard(session)`` sent first in every write transaction (before the
        service's own reads): a Context re-reads its person's account there, so a disabled person
        or one whose roles changed writes nothing. Engine, listeners and marks are shared."""
        view = copy.copy(self)
        view._guard = guard
        view._base = self._base
        return view

    @property
    def unguarded(self) -> Database:
        """The database without a person's check (sign-in, the password check's own records)."""
        return self._base

    @property
    def display_name(self) -> str:
        """The URL without its password, for the status bar and logs."""
        return self.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries, closed at the end of the block; a database that cannot answer
        is Unavailable, Busy or StorageFull, as for a write."""
        self._check_open()
        session = self._read_sessions()
        try:
            yield session
        except DBAPIError as error:
            translated = not_saved(error)
            if translated is None:
                raise
            raise translated from error
        finally:
            session.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit if the block finishes, roll back if it raises.

        On PostgreSQL it runs in the driver's pipeline mode (app/db_pipeline.py): the BEGIN and
        the person's live account check travel with the first statement, the change NOTIFY with
        the COMMIT; the check's answer is read before the commit (and first when the block
        fails: a person signed out hears that, not what their write ran into)."""
        self._check_open()
        session = self._write_sessions()
        from app import day_keeping  # with the first write: its figures map kept counts' tables

        day_keeping.track(session)
        changed: set[str] = set()

        @event.listens_for(session, "before_flush")
        def note_changes(sess: Session, *_: Any) -> None:
            for obj in (*sess.new, *sess.dirty, *sess.deleted):
                changed.add(type(obj).__tablename__)

        published: dict[str, int] = {}
        check: Callable[[], None] = nothing
        try:
            try:
                enter_pipeline(session)  # left as the session releases the connection
                if self._guard is not None:
                    check = self._guard(session) or nothing
                    if self.is_sqlite:
                        check()  # read at once: the check runs before the service's reads
                try:
                    yield session
                except BaseException:
                    signed_out_first(check)
                    raise
                session.flush()
                check()
                # Bulk UPDATE statements (guarded stock updates) name their tables here.
                changed.update(session.info.get("changed_tables", ()))
                if changed:
                    published = self._publish(session, changed)
            except StaleDataError:
                # The version column saw someone else's save first: never overwrite it.
                raise Conflict(
                    N_("Another station changed this record a moment ago. Reload and try again.")
                ) from None
            except IntegrityError as error:
                raise Conflict(DUPLICATE) from error
            except DBAPIError as error:
                translated = not_saved(error)
                if translated is None:
                    raise
                raise translated from error
            try:
                with self._own_marks_lock:
                    session.commit()
                    self._note_own_marks(published)
            except IntegrityError as error:
                raise Conflict(DUPLICATE) from error
            except DBAPIError as error:
                translated = not_saved(error)
                if translated is None:
                    raise
                raise translated from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if changed:
            self._broadcast(frozenset(changed))

    def _note_own_marks(self, published: dict[str, int]) -> None:
        for name, value in published.items():
            values = self._own_marks.setdefault(name, set())
            values.add(value)
            if len(values) > OWN_MARKS_KEPT:  # nobody watches: keep the newest only
                values.discard(min(values))

    def take_own_marks(self, marks: dict[str, int]) -> dict[str, set[int]]:
        """The mark values this station's own commits produced up to ``marks`` (SQLite): each
        commit bumps a mark by one, so a watcher tells its own commits from the others'. The
        values handed out are forgotten."""
        taken: dict[str, set[int]] = {}
        with self._own_marks_lock:
            for name, upto in marks.items():
                values = self._own_marks.get(name)
                if values:
                    taken[name] = {value for value in values if value <= upto}
                    values -= taken[name]
        return taken

    def _publish(self, session: Session, tables: set[str]) -> dict[str, int]:
        """Tell the other stations, inside the committing transaction, which tables changed.

        PostgreSQL: a NOTIFY, delivered at commit (see app/livesync.py). SQLite: a change mark
        per table in the ``counters`` table (``chg:<table>``), bumped atomically; a station's
        watcher polls the marks and knows its own by the values its commits produced.
        """
        shared = sorted(tables - UNPUBLISHED_TABLES)
        if not shared:
            return {}
        if self.dialect == "postgresql":
            send_and_forget(
                session,
                _NOTIFY,
                {"channel": CHANGE_CHANNEL, "payload": f"{self.origin}|{','.join(shared)}"},
            )
            return {}
        marks = {}
        for table in shared:
            marks[CHANGE_MARK + table] = session.execute(
                text(
                    "INSERT INTO counters (name, value) VALUES (:name, 1) "
                    "ON CONFLICT (name, center_id) DO UPDATE SET value = counters.value + 1 "
                    "RETURNING value"
                ),
                {"name": CHANGE_MARK + table},
            ).scalar_one()
        return marks

    def notify_external(self, tables: frozenset[str]) -> None:
        """Another station committed changes to ``tables`` (called by the change watcher)."""
        if tables:
            self._broadcast(tables)

    # Change broadcast: the UI subscribes once and refreshes the views that show these tables.
    def subscribe(self, listener: ChangeListener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _broadcast(self, tables: frozenset[str]) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(tables)

    def dispose(self) -> None:
        self.engine.dispose()


def maintenance_marker(db: Database) -> Path | None:
    """A SQLite file's maintenance marker (see app/maintenance.py); None for other databases."""
    database = db.url.database
    if not db.is_sqlite or not database or database == ":memory:":
        return None
    return Path(f"{Path(database).expanduser()}.maintenance")


def postgres_connect_args(query: Mapping[str, Any]) -> dict[str, Any]:
    """psycopg's connection options, each only where the URL does not set it already."""
    args: dict[str, Any] = {"connect_timeout": PG_CONNECT_TIMEOUT_S, **PG_KEEPALIVES}
    if "options" not in query:
        args["options"] = f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}"
    return {name: value for name, value in args.items() if name not in query}


STREAM_BATCH = 2_000


def stream(session: Session, query: Select) -> Iterator[Sequence[Any]]:
    """The rows of a large read in batches (``yield_per``): a ledger of a million rows never
    sits in memory."""
    yield from session.execute(query.execution_options(yield_per=STREAM_BATCH))
