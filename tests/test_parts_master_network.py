"""The network's parts master on PostgreSQL, each station connected as its center's role: a
station reads the master but cannot add, change or delete a master part, even in raw SQL;
headquarters can; a station adds a master part to its own stock and cannot touch another
center's stock; the parts keeper's services say that headquarters keeps the catalogue.
(SQLite: one center, skipped.)"""

from __future__ import annotations

import pytest
from factories import add_model
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from test_center_isolation import Station, _people, network  # noqa: F401  (fixtures)
from test_parts_master import workbook

from app.context import Context
from app.errors import PermissionDenied
from app.models import Part, PartMaster, Role
from app.parts.master import (
    add_part,
    edit_master_part,
    master_parts,
    may_keep_master,
    stock_part,
)
from app.parts.master_sheet import import_master

WRITES = {
    "insert": "INSERT INTO part_masters (part_no, name, unit_cost_cents, sale_price_cents, "
    "active, version) VALUES ('BAT-X9', '电池', 100, 200, true, 1)",
    "update": "UPDATE part_masters SET name = '改名' WHERE part_no = 'SCR-X1'",
    "delete": "DELETE FROM part_masters WHERE part_no = 'SCR-X1'",
    "fit": "INSERT INTO part_master_fits (part_master_id, product_model_id) "
    "SELECT id, (SELECT min(id) FROM product_models) FROM part_masters",
}


@pytest.fixture
def keepers(db, network, clock) -> dict[str, Context]:  # noqa: F811
    """The master holds SCR-X1 (headquarters' part, written here by the owner); A's and B's
    parts keepers and headquarters' supervisor, each signed in at their own center."""
    add_model(db)
    with db.transaction() as session:
        session.add(PartMaster(part_no="SCR-X1", name="屏幕总成", unit_cost_cents=12000))
    return {
        "A": _people(network["A"], clock)(Role.PARTS_KEEPER, "keeper"),
        "B": _people(network["B"], clock)(Role.PARTS_KEEPER, "keeper"),
        "HQ": _people(network["HQ"], clock)(Role.SUPERVISOR, "hq-boss"),
    }


def _master(db) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(m.part_no, m.name) for m in session.scalars(select(PartMaster))]


def test_a_station_reads_the_master_and_cannot_write_it_even_in_raw_sql(db, network, keepers):  # noqa: F811
    before = _master(db)
    for name, statement in WRITES.items():
        with pytest.raises(DBAPIError, match="permission denied"):
            with network["A"].db.engine.begin() as connection:
                connection.execute(text(statement))
        assert name
    assert _master(db) == before
    with network["A"].db.read() as session:
        assert session.scalar(select(PartMaster.name)) == "屏幕总成"  # read by all
        assert not may_keep_master(session)


def test_headquarters_writes_the_master(db, network):  # noqa: F811
    add_model(db)
    for statement in (WRITES["insert"], WRITES["fit"], "UPDATE part_masters SET name = '电池组'"):
        with network["HQ"].db.engine.begin() as connection:
            connection.execute(text(statement))
    with network["HQ"].db.read() as session:
        assert may_keep_master(session)
    assert _master(db) == [("BAT-X9", "电池组")]
    with network["HQ"].db.engine.begin() as connection:
        connection.execute(text("DELETE FROM part_master_fits"))
        connection.execute(text(WRITES["delete"].replace("SCR-X1", "BAT-X9")))
    assert _master(db) == []


def test_headquarters_services_add_and_edit_master_parts(db, keepers) -> None:
    hq = keepers["HQ"]
    add_part(hq, "bat-x1", "电池", unit_cost_cents=3000, sale_price_cents=5000, safety_stock=2)
    [master] = master_parts(hq, ["BAT-X1"])  # normalised as a scan
    assert (master.name, master.unit_cost_cents, master.stock_id is not None) == (
        "电池",
        3000,
        True,
    )
    edit_master_part(
        hq,
        "BAT-X1",
        name="电池组",
        unit_cost_cents=3200,
        sale_price_cents=5200,
        model_ids=[],
        active=True,
        expected_version=master.version,
    )
    assert ("BAT-X1", "电池组") in _master(db)


def test_a_station_stocks_a_master_part_and_touches_no_other_centers_stock(
    db,
    network,  # noqa: F811
    keepers,
) -> None:
    a, b = network["A"], network["B"]
    a_part = stock_part(keepers["A"], "SCR-X1", bin_location="A-01", safety_stock=3)
    b_part = stock_part(keepers["B"], "scr-x1", bin_location="B-07")
    with db.read() as session:
        rows = {
            p.center_id: (p.part_no, p.bin_location, p.safety_stock)
            for p in session.scalars(select(Part))
        }
    assert rows == {a.center_id: ("SCR-X1", "A-01", 3), b.center_id: ("SCR-X1", "B-07", 0)}
    with a.db.read() as session:  # A sees its own stock row only, with the master's name
        [mine] = session.scalars(select(Part)).all()
        assert (mine.id, mine.name) == (a_part, "屏幕总成")
    for statement in (
        "UPDATE parts SET bin_location = 'X' WHERE id = :b",
        "DELETE FROM parts WHERE id = :b",
    ):
        with a.db.engine.connect() as connection:
            assert connection.execute(text(statement), {"b": b_part}).rowcount == 0
            connection.rollback()
    with pytest.raises(DBAPIError, match="row-level security"):
        with a.db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO parts (part_no, center_id, safety_stock, reorder_quantity, "
                    "on_hand, defective_on_hand, active) VALUES ('SCR-X1', :b, 0, 0, 9, 0, true)"
                ),
                {"b": b.center_id},
            )
    with db.read() as session:
        assert session.get(Part, b_part).bin_location == "B-07"


def test_a_station_adding_a_new_part_is_told_headquarters_keeps_the_master(db, keepers) -> None:
    with pytest.raises(PermissionDenied, match="headquarters keeps it"):
        add_part(keepers["A"], "BAT-X9", "电池")
    with pytest.raises(PermissionDenied, match="headquarters keeps it"):
        edit_master_part(
            keepers["A"],
            "SCR-X1",
            name="改名",
            unit_cost_cents=1,
            sale_price_cents=1,
            model_ids=[],
            active=True,
            expected_version=1,
        )
    assert _master(db) == [("SCR-X1", "屏幕总成")]


def test_a_stations_import_sets_its_stock_and_refuses_what_would_change_the_master(
    db,
    network,  # noqa: F811
    keepers,
    tmp_path,
) -> None:
    keeper = keepers["A"]
    same = workbook(tmp_path / "same.xlsx", [("SCR-X1", "屏幕总成", "", 120, 0, "A-03", 2, 6)])
    result = import_master(keeper, same)
    assert result.applied and (result.added, result.updated) == (1, 0)
    new = workbook(
        tmp_path / "new.xlsx",
        [
            ("SCR-X1", "屏幕总成", "", 120, 0, "A-04", 2, 6),
            ("BAT-X9", "电池", "", 30, 50, "", 0, 0),
        ],
    )
    refused = import_master(keeper, new)
    assert not refused.applied and [r.row for r in refused.refused] == [3]
    renamed = workbook(tmp_path / "renamed.xlsx", [("SCR-X1", "改名", "", 120, 0, "A-04", 2, 6)])
    assert not import_master(keeper, renamed).applied
    assert _master(db) == [("SCR-X1", "屏幕总成")]
    with network["A"].db.read() as session:
        assert session.scalar(select(Part.bin_location)) == "A-03"  # nothing of the refused files
