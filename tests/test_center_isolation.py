"""Row-level security on PostgreSQL: a station of center A, connected as A's database role,
cannot read, change, delete or add a row of center B, even in raw SQL; headquarters reads both;
the floor's services run unchanged as a center's role. (SQLite is one center: skipped there.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from conftest import PASSWORD
from factories import add_customer, add_model, receive, repair_and_ship
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.admin.network import add_center, grant_role
from app.centers import CENTER_TABLES, SHARED_CATALOGUES, network_view
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.models import Carrier, CenterKind, RepairOrder, RepairState, Role
from app.users import actor_for_username, create_user

ROLE_PASSWORD = "center-role-pw"


@dataclass
class Station:
    """A center and a database connected as its role."""

    center_id: int
    role: str
    db: Database


@pytest.fixture
def network(db: Database) -> Iterator[dict[str, Station]]:
    if db.is_sqlite:
        pytest.skip("row-level security is PostgreSQL's; on SQLite the product is one center")
    database = db.url.database
    stations = {}
    for code, kind in (
        ("A", CenterKind.OWN_CENTER),
        ("B", CenterKind.AUTHORISED_STATION),
        ("HQ", CenterKind.HEADQUARTERS),
    ):
        center_id = add_center(db, code, f"中心 {code}", kind)
        role = f"rf_{database}_{code}".lower()  # roles are the cluster's: one per test database
        with db.engine.begin() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
            ).first()
            if exists:
                connection.exec_driver_sql(f"ALTER ROLE {role} PASSWORD '{ROLE_PASSWORD}'")
        grant_role(db, code, role, password=None if exists else ROLE_PASSWORD)
        url = db.url.set(username=role, password=ROLE_PASSWORD)
        stations[code] = Station(center_id, role, Database(url.render_as_string(False)))
    yield stations
    for station in stations.values():
        station.db.dispose()


def _people(station: Station, clock) -> Callable[..., Context]:
    system = Context(station.db, SYSTEM_ACTOR, f"station-{station.role}", clock)

    def make(role: Role, username: str) -> Context:
        create_user(system, username, PASSWORD, [role])
        return system.as_actor(actor_for_username(station.db, username))

    return make


def _floor(db: Database, station: Station, clock) -> dict:
    make = _people(station, clock)
    floor = {
        "clerk": make(Role.RECEIVING_CLERK, "clerk"),
        "boss": make(Role.SUPERVISOR, "boss"),
        "tech": make(Role.TECHNICIAN, "tech"),
        "qc": make(Role.QC_TESTER, "qc"),
        "ship": make(Role.SHIPPING_CLERK, "ship"),
    }
    floor["customer"] = add_customer(station.db, floor["clerk"])
    return floor


@pytest.fixture
def two_floors(db: Database, network: dict[str, Station], clock) -> dict[str, dict]:
    """Center A received, repaired and shipped one order, B received one: each as its own role
    (the same usernames, and each center's first order number of the day)."""
    add_model(db)  # the shared catalogues are kept by the owner (or headquarters)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    floors = {code: _floor(db, network[code], clock) for code in ("A", "B")}
    shipped = receive(floors["A"]["clerk"], floors["A"]["customer"], 1)
    repair_and_ship(floors["A"], clock, shipped.order_id, PASSWORD)
    floors["A"]["order"] = shipped
    floors["B"]["order"] = receive(floors["B"]["clerk"], floors["B"]["customer"], 2)
    return floors


def test_the_floor_services_run_unchanged_as_a_centers_role(two_floors, network) -> None:
    a, b = two_floors["A"]["order"], two_floors["B"]["order"]
    assert a.order_no == b.order_no  # each center its own series, no duplicate refused
    with network["A"].db.read() as session:
        order = session.get(RepairOrder, a.order_id)
        assert order is not None and order.state is RepairState.SHIPPED
        assert order.center_id == network["A"].center_id  # filled by the database
        assert session.get(RepairOrder, b.order_id) is None


def test_a_center_reads_none_of_another_centers_rows(two_floors, network) -> None:
    a, b = network["A"], network["B"]
    with a.db.engine.connect() as connection:
        for table in sorted(CENTER_TABLES):
            centers = set(connection.scalars(text(f"SELECT DISTINCT center_id FROM {table}")))
            assert centers <= {a.center_id}, table
            assert (
                connection.scalar(
                    text(f"SELECT count(*) FROM {table} WHERE center_id = :b"), {"b": b.center_id}
                )
                == 0
            ), table
    with network["B"].db.read() as session:
        assert session.scalar(select(func.count()).select_from(RepairOrder)) == 1


def test_a_center_changes_and_deletes_none_of_another_centers_rows(db, two_floors, network) -> None:
    a, b = network["A"], network["B"]
    before = _rows_per_center(db)
    for table in sorted(CENTER_TABLES - {"audit_log"}):
        for statement in (
            f"UPDATE {table} SET center_id = center_id WHERE center_id = :b",
            f"DELETE FROM {table} WHERE center_id = :b",
        ):
            with a.db.engine.connect() as connection:
                changed = connection.execute(text(statement), {"b": b.center_id}).rowcount
                connection.rollback()
            assert changed == 0, statement
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="permission denied"):  # not even A's own
            with a.db.engine.begin() as connection:
                connection.execute(text(statement))
    assert _rows_per_center(db) == before


def test_a_center_cannot_write_a_row_into_another_center(two_floors, network) -> None:
    a, b = network["A"], network["B"]
    attempts = {
        "a customer of B": (
            "INSERT INTO customers (center_id, kind, name, created_at) "
            "VALUES (:b, 'consumer', '冒名', now())"
        ),
        "a setting of B": "INSERT INTO settings (key, center_id, value) VALUES ('x', :b, '1')",
        "its own customer moved to B": "UPDATE customers SET center_id = :b",
        "its own order moved to B": "UPDATE repair_orders SET center_id = :b",
    }
    for name, statement in attempts.items():
        with pytest.raises(DBAPIError, match="row-level security"):
            with a.db.engine.begin() as connection:
                connection.execute(text(statement), {"b": b.center_id})
        assert name


def test_headquarters_reads_every_center_when_it_asks_and_writes_only_its_own(
    two_floors, network
) -> None:
    a, b, hq = network["A"], network["B"], network["HQ"]
    per_center = "SELECT center_id, count(*) FROM repair_orders GROUP BY center_id"
    with hq.db.read() as session:  # its stations, as any center's: its own rows only
        assert session.execute(text(per_center)).all() == []
        network_view(session)
        assert dict(session.execute(text(per_center)).all()) == {a.center_id: 1, b.center_id: 1}
        assert session.execute(text("UPDATE customers SET name = 'x'")).rowcount == 0
        session.rollback()
    with a.db.read() as session:  # asking changes nothing for a center's role
        network_view(session)
        assert dict(session.execute(text(per_center)).all()) == {a.center_id: 1}
    with hq.db.engine.begin() as connection:  # the shared catalogues are headquarters'
        connection.execute(text("UPDATE carriers SET name = '顺丰' WHERE code = 'SF'"))
    with pytest.raises(DBAPIError, match="permission denied"):
        with a.db.engine.begin() as connection:
            connection.execute(text("UPDATE carriers SET name = '顺丰' WHERE code = 'SF'"))


def test_every_centers_table_is_under_row_level_security(network) -> None:
    with network["A"].db.engine.connect() as connection:
        secured = {
            name: (enabled, forced)
            for name, enabled, forced in connection.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
                )
            )
        }
        policies = set(connection.scalars(text("SELECT tablename FROM pg_policies")))
        defaults = dict(
            connection.execute(
                text(
                    "SELECT table_name, column_default FROM information_schema.columns "
                    "WHERE column_name = 'center_id' AND table_schema = current_schema()"
                )
            ).all()
        )
    for table in CENTER_TABLES:
        assert secured[table] == (True, True), table
        assert table in policies, table
        assert defaults[table] == "rf_current_center()", table
    for table in SHARED_CATALOGUES:
        assert secured[table] == (False, False), table


def _rows_per_center(db: Database) -> dict[str, dict[int, int]]:
    counts = {}
    with db.engine.connect() as connection:
        for table in sorted(CENTER_TABLES):
            counts[table] = dict(
                connection.execute(
                    text(f"SELECT center_id, count(*) FROM {table} GROUP BY center_id")
                ).all()
            )
    return counts


def test_the_tables_owner_passes_the_policies_without_bypassing_them(
    db, two_floors, network
) -> None:
    """A non-superuser owner (README: repairfloor_owner) is under FORCE ROW LEVEL SECURITY like
    everyone, and its policies let it read and write every center (migrations, backups)."""
    owner = f"rf_{db.url.database}_owner"
    with db.engine.begin() as connection:
        if (
            connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": owner}
            ).first()
            is None
        ):
            connection.exec_driver_sql(f"CREATE ROLE {owner} LOGIN PASSWORD '{ROLE_PASSWORD}'")
        table_owner = connection.scalar(
            text("SELECT tableowner FROM pg_tables WHERE tablename = 'repair_orders'")
        )
        connection.exec_driver_sql(f'GRANT "{table_owner}" TO {owner}')
        assert not connection.scalar(
            text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": owner}
        )
    url = db.url.set(username=owner, password=ROLE_PASSWORD).render_as_string(False)
    as_owner = Database(url)
    try:
        a, b = network["A"].center_id, network["B"].center_id
        with as_owner.engine.begin() as connection:
            seen = set(connection.scalars(text("SELECT DISTINCT center_id FROM repair_orders")))
            assert seen == {a, b}
            moved = connection.execute(
                text("UPDATE customers SET note = 'owner' WHERE center_id IN (:a, :b)"),
                {"a": a, "b": b},
            ).rowcount
            assert moved == 2
            assert connection.scalar(text("SELECT rf_current_center()")) == 1
    finally:
        as_owner.dispose()
