"""The network of centers: every table is a center's or the network's (decided once, in
app/centers.py), and an existing one-center database moves into center 1 (migration 0016)."""

from __future__ import annotations

import pytest
from alembic import command
from factories import add_customer, add_model, receive
from sqlalchemy import UniqueConstraint, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app import schema
from app.centers import CENTER_TABLES, NETWORK_TABLES, SHARED_CATALOGUES
from app.models import Center, CenterKind, CenterRole, RepairState, Role, whole_schema


def test_every_table_is_a_centers_or_the_networks_and_only_one() -> None:
    tables = set(whole_schema().tables)
    lists = (CENTER_TABLES, SHARED_CATALOGUES, NETWORK_TABLES)
    undecided = tables - CENTER_TABLES - SHARED_CATALOGUES - NETWORK_TABLES
    assert not undecided, f"decide in app/centers.py whose rows these are: {sorted(undecided)}"
    for index, listed in enumerate(lists):
        assert listed <= tables, f"not tables of the schema: {sorted(listed - tables)}"
        for other in lists[index + 1 :]:
            assert not listed & other, f"in two lists: {sorted(listed & other)}"


def test_a_centers_table_carries_its_center_and_a_shared_one_none() -> None:
    for name, table in whole_schema().tables.items():
        column = table.c.get("center_id")
        if name in CENTER_TABLES:
            assert column is not None and not column.nullable, name
            assert {fk.column.table.name for fk in column.foreign_keys} == {"centers"}, name
        elif name in SHARED_CATALOGUES:
            assert column is None, name


# Unique keys made of row ids (the same across centers: a row id is never two centers'), not of
# numbers or codes a center chooses.
UNIQUE_ROW_IDS = {
    "uq_corrective_actions_subject",
    "uq_survey_answers_follow_up_id",
    "uq_escalation_replies_escalation_id",  # one reply per escalation (headquarters' rows)
}


def test_a_number_a_center_chooses_is_unique_within_the_center_only() -> None:
    for name in CENTER_TABLES:
        table = whole_schema().tables[name]
        for constraint in table.constraints:
            columns = {c.name for c in constraint.columns}
            if isinstance(constraint, UniqueConstraint) and constraint.name not in UNIQUE_ROW_IDS:
                assert "center_id" in columns, f"{constraint.name}: unique across centers"
        for index in table.indexes:
            assert not index.unique or "center_id" in {c.name for c in index.columns}, index.name


def test_an_existing_database_moves_into_center_one(demo_db) -> None:
    db = demo_db
    command.downgrade(schema.alembic_config(db), "0015")
    with db.engine.connect() as connection:
        assert "centers" not in inspect(connection).get_table_names()
        assert "center_id" not in {c["name"] for c in inspect(connection).get_columns("units")}
    schema.upgrade(db)
    assert schema.is_current(db)
    with db.read() as session:
        (center,) = session.scalars(select(Center)).all()
        assert (center.id, center.code, center.kind) == (1, "C1", CenterKind.OWN_CENTER)
        assert center.name == "星辰通讯售后维修中心"  # the demo center's name setting
        rows = {}
        for name in sorted(CENTER_TABLES):
            table = whole_schema().tables[name]
            rows[name] = session.scalar(select(func.count()).select_from(table))
            others = session.scalar(
                select(func.count()).select_from(table).where(table.c.center_id != 1)
            )
            assert others == 0, name
    for name in ("repair_orders", "units", "customers", "users", "audit_log", "stock_moves"):
        assert rows[name] > 0, name  # the demo month is there, in center 1
    assert rows["order_state_counts"] > 0


def test_after_the_move_the_center_keeps_working(db, make_user) -> None:
    """Numbers continue their series, the state counts keep counting, the audit log refuses
    changes, a badge is found in any case: the rebuilt tables kept their triggers and indexes."""
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    customer = add_customer(db, clerk)
    first = receive(clerk, customer, 1)
    command.downgrade(schema.alembic_config(db), "0015")
    schema.upgrade(db)
    second = receive(clerk, customer, 2)
    assert int(second.order_no[-4:]) == int(first.order_no[-4:]) + 1
    assert second.order_no[:-4] == first.order_no[:-4]
    with db.read() as session:
        counted = session.execute(text("SELECT state, center_id, orders FROM order_state_counts"))
        assert [tuple(row) for row in counted] == [(RepairState.RECEIVED.value, 1, 2)]
        names = set(
            session.scalars(
                text("SELECT indexname FROM pg_indexes")
                if not db.is_sqlite
                else text("SELECT name FROM sqlite_master WHERE type = 'index'")
            )
        )
    assert {"ix_users_badge_code_upper", "ix_parts_part_no_upper"} <= names
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET detail = 'nothing happened'"))


def test_the_command_line_adds_centers_and_lists_them(database_url, isolated_logging, capsys):
    from repairfloor import cli

    args = ["--db", database_url, "center"]
    assert cli.main([*args, "add", "SZ-02", "南山特约站", "--kind", "authorised_station"]) == 0
    assert cli.main([*args, "add", "SZ-02", "又一个", "--kind", "agent"]) == 2  # taken
    assert cli.main([*args, "list"]) == 0
    shown = capsys.readouterr()
    assert "already a center SZ-02" in shown.err
    lines = shown.out.splitlines()
    assert lines[-2].startswith("1\tC1\town_center\t")
    assert lines[-1].startswith("2\tSZ-02\tauthorised_station\t南山特约站")


def test_a_role_of_a_center_is_a_servers_and_its_grants_can_be_printed(
    database_url, db, isolated_logging, capsys
):
    from repairfloor import cli

    code = cli.main(["--db", database_url, "center", "role", "C1", "rf_station", "--print"])
    shown = capsys.readouterr()
    if db.is_sqlite:
        assert code == 2 and "SQLite is one center" in shown.err
        return
    assert code == 0
    assert "GRANT SELECT, INSERT ON audit_log TO rf_station;" in shown.out
    assert "INSERT, UPDATE, DELETE ON calendar_days" not in shown.out  # not headquarters
    with db.read() as session:  # printed only
        assert session.scalar(select(func.count()).select_from(CenterRole)) == 0
