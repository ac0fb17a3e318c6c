"""Errors that tell the truth: a dead server, a locked database and a full disk are three different
answers, each with its own message, and nothing is saved in any of them."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from app import db as db_module
from app import settings
from app.context import Context
from app.db import Database
from app.db_errors import BUSY, STORAGE_FULL, UNAVAILABLE, not_saved
from app.errors import Busy, StorageFull, Unavailable
from app.models import Customer, Role
from app.users import create_user


@pytest.fixture
def sqlite_file(tmp_path: Path, _sqlite_template: Path) -> Path:
    """A migrated SQLite file of this test's own, on either test run (SQLite or PostgreSQL)."""
    path = tmp_path / "station.db"
    shutil.copyfile(_sqlite_template, path)
    return path


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never answers (a hung server, a half-dead link)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_the_three_messages_differ_and_say_what_to_do() -> None:
    assert len({UNAVAILABLE, BUSY, STORAGE_FULL}) == 3
    assert "network or server down" in UNAVAILABLE
    assert "Try again" in BUSY and "network" not in BUSY
    assert "Free disk space" in STORAGE_FULL and "network" not in STORAGE_FULL


def test_a_closed_port_is_unavailable(admin: Context) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there now
    gone = Database(f"postgresql+psycopg://nobody@127.0.0.1:{port}/nowhere")
    try:
        with pytest.raises(Unavailable, match="network or server down"):
            create_user(
                Context(gone, admin.actor, "s", admin.clock),
                "newbie",
                "secret-123",
                {Role.TECHNICIAN},
            )
        with pytest.raises(Unavailable), gone.read() as session:
            session.execute(text("SELECT 1"))
    finally:
        gone.dispose()


def test_a_server_that_never_answers_is_unavailable_within_the_connect_timeout(
    silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PG_CONNECT_TIMEOUT_S", 2)  # libpq's smallest
    hung = Database(f"postgresql+psycopg://nobody@127.0.0.1:{silent_server}/nowhere")
    started = time.monotonic()
    try:
        with pytest.raises(Unavailable), hung.read() as session:
            session.execute(text("SELECT 1"))
    finally:
        hung.dispose()
    assert time.monotonic() - started < 8  # without connect_timeout it waits for ever


def test_a_url_may_set_its_own_connect_timeout() -> None:
    args = db_module.postgres_connect_args({"connect_timeout": "30"})
    assert "connect_timeout" not in args  # the URL's own value is the one psycopg sees
    assert args["options"] == f"-c lock_timeout={db_module.PG_LOCK_TIMEOUT_MS}"
    assert db_module.postgres_connect_args({})["connect_timeout"] == db_module.PG_CONNECT_TIMEOUT_S


def test_a_locked_sqlite_database_is_busy_not_a_network_error(
    sqlite_file: Path, system_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    other_process = sqlite3.connect(sqlite_file, isolation_level=None)
    other_process.execute("BEGIN EXCLUSIVE")  # another program holds the file
    station = Database(f"sqlite:///{sqlite_file}")
    ctx = Context(station, system_ctx.actor, "s", system_ctx.clock)
    try:
        with pytest.raises(Busy, match="Try again") as refused:
            settings.put(ctx, settings.CENTER_NAME, "深圳维修中心", expected_version=0)
        assert not isinstance(refused.value, Unavailable)
        other_process.execute("ROLLBACK")
        with station.read() as session:
            assert settings.stored_row(session, settings.CENTER_NAME.key) is None  # nothing saved
        settings.put(ctx, settings.CENTER_NAME, "深圳维修中心", expected_version=0)  # saves now
    finally:
        other_process.close()
        station.dispose()


def test_a_full_sqlite_disk_is_storage_full(sqlite_file: Path) -> None:
    station = Database(f"sqlite:///{sqlite_file}")

    @event.listens_for(station.engine, "connect")
    def tiny_disk(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    try:
        with pytest.raises(StorageFull, match="Free disk space"), station.transaction() as session:
            for number in range(2000):
                session.add(
                    Customer(name=f"客户{number}", address="深圳市福田区" * 30, created_at=_now())
                )
        with station.read() as session:
            assert session.scalar(select(func.count()).select_from(Customer)) == 0
    finally:
        station.dispose()


def test_a_row_another_station_holds_past_the_lock_timeout_is_busy(
    db: Database, database_url: str, admin: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL's row locks (SQLite locks the file: see the test above)")
    settings.put(admin, settings.CENTER_NAME, "一号中心", expected_version=0)
    monkeypatch.setattr(db_module, "PG_LOCK_TIMEOUT_MS", 300)
    holder = Database(database_url)
    station = Database(database_url)
    try:
        with holder.engine.connect() as connection:
            connection.execute(
                text("SELECT * FROM settings WHERE key = :key FOR UPDATE"),
                {"key": settings.CENTER_NAME.key},
            )
            with pytest.raises(Busy, match="Try again"):
                settings.put(
                    Context(station, admin.actor, "s", admin.clock),
                    settings.CENTER_NAME,
                    "二号中心",
                    expected_version=1,
                )
            connection.rollback()
        with station.read() as session:
            assert settings.get(session, settings.CENTER_NAME) == "一号中心"
    finally:
        holder.dispose()
        station.dispose()


@pytest.mark.parametrize(
    ("driver_error", "expected"),
    [
        (psycopg.errors.SerializationFailure("could not serialize access"), Busy),
        (psycopg.errors.DeadlockDetected("deadlock detected"), Busy),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), Busy),
        (psycopg.errors.DiskFull("could not extend file: No space left on device"), StorageFull),
        (psycopg.errors.AdminShutdown("terminating connection"), Unavailable),
        (psycopg.OperationalError("connection to server failed: Connection refused"), Unavailable),
        (sqlite3.OperationalError("database is locked"), None),  # no code: see below
    ],
)
def test_each_driver_error_reads_as_what_it_means(
    driver_error: Exception, expected: type[Exception] | None
) -> None:
    if isinstance(driver_error, sqlite3.Error):
        driver_error.sqlite_errorcode = 5  # type: ignore[attr-defined]  # SQLITE_BUSY
        expected = Busy
    error = OperationalError("UPDATE settings", {}, driver_error)
    assert type(not_saved(error)) is expected


def test_a_programming_error_of_sqlite_is_not_called_a_network_problem(sqlite_file: Path) -> None:
    station = Database(f"sqlite:///{sqlite_file}")
    try:
        with pytest.raises(OperationalError, match="no such table"), station.read() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    finally:
        station.dispose()


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 11, 20, tzinfo=UTC)
