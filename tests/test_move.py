"""`repairfloor move`: the demo month on one PC's SQLite file goes to an empty PostgreSQL database
with every table's rows equal; the ids go on after the copied ones; a database that already holds
data is refused and nothing is half-copied."""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime

import pytest
from backup_helpers import drop_databases
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import maintenance
from app.admin.backup import moving
from app.db import Database
from app.errors import InvalidInput
from app.maintenance import DatabaseClosed
from app.models import AuditEntry, Customer, whole_schema
from repairfloor import cli

SERVER = os.environ.get("REPAIRFLOOR_TEST_DB")
pytestmark = pytest.mark.skipif(
    not SERVER, reason="needs a PostgreSQL server (REPAIRFLOOR_TEST_DB)"
)


def rows_of(db: Database) -> dict[str, list[tuple]]:
    with db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in whole_schema().sorted_tables
        }


@pytest.fixture
def sqlite_demo(_sqlite_demo_template, tmp_path) -> Database:
    path = tmp_path / "one-pc.db"
    shutil.copyfile(_sqlite_demo_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def empty_server_database() -> str:
    url = make_url(SERVER)
    name = f"{url.database}_move_{uuid.uuid4().hex[:6]}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    target = url.set(database=name).render_as_string(hide_password=False)
    yield target
    drop_databases(Database(SERVER), [name])


def test_the_demo_month_moves_to_the_server_with_every_row_equal(
    sqlite_demo, empty_server_database
):
    before = rows_of(sqlite_demo)
    counts = moving.move(sqlite_demo, empty_server_database, station="front-desk")
    assert counts == {name: len(rows) for name, rows in before.items()}
    assert counts["repair_orders"] >= 30 and counts["audit_log"] > 100
    server = Database(empty_server_database)
    after = rows_of(server)
    moved = after["audit_log"].pop()
    assert moved[5] == "move_database" and moved[3] == "system"
    assert after == before
    assert rows_of(sqlite_demo) == before  # the PC's file is left as it was
    with server.transaction() as session:  # new rows get ids after the copied ones
        customer = Customer(
            kind="consumer",
            name="新客户",
            phone="13900000000",
            created_at=datetime(2026, 11, 30, tzinfo=UTC),
        )
        session.add(customer)
        session.flush()
        assert customer.id > max(row[0] for row in before["customers"])
    server.dispose()


def test_a_server_database_holding_data_is_refused_and_left_as_it_was(
    sqlite_demo, empty_server_database
):
    moving.move(sqlite_demo, empty_server_database)
    server = Database(empty_server_database)
    before = rows_of(server)
    with pytest.raises(DatabaseClosed, match="was moved to the server"):
        moving.move(sqlite_demo, empty_server_database)  # the PC's file is marked moved
    maintenance.marker_path(sqlite_demo).unlink()  # the administrator takes the mark away
    with pytest.raises(InvalidInput, match="already holds data"):
        moving.move(sqlite_demo, empty_server_database)
    assert rows_of(server) == before
    with server.read() as session:
        assert (
            len(
                session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "move_database")
                ).all()
            )
            == 1
        )
    server.dispose()


def test_the_command_moves_and_remembers_the_server(
    sqlite_demo, empty_server_database, monkeypatch, isolated_logging, capsys, tmp_path
):
    from ui import station_settings

    monkeypatch.setenv("REPAIRFLOOR_DATA_DIR", str(tmp_path))  # this PC's settings: the test's
    monkeypatch.delenv("REPAIRFLOOR_DB", raising=False)
    monkeypatch.setattr("repairfloor.cli.resolve_database_url", lambda url: str(sqlite_demo.url))
    assert cli.main(["move", "--to", empty_server_database]) == 0
    assert "now opens the server's database" in capsys.readouterr().out
    assert station_settings.remembered_database_url() == empty_server_database
