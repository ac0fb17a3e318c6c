"""Migration 0023 on a database of schema 0022 holding three centers' parts lists: one master
part per normalised part number (headquarters' name and prices where centers disagree, else the
lowest center's; the fits of all), every stock row kept with its balances and bin, the ledgers
unchanged, the scan's expression index and the stock's row-level security still there; and
back down again. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from factories import add_model
from sqlalchemy import select, text

from app import schema
from app.models import Part, PartMaster, Role

PARTS = [  # id, center, number, name, cost, price, bin, on hand, active
    (1, 1, "scr-x1", "屏幕 (C1)", 10000, 15000, "A-01", 4, True),
    (2, 1, "BAT-X1", "电池", 3000, 5000, "A-02", 2, True),
    (3, "HQ", "SCR-X1", "屏幕总成", 12000, 18000, "H-01", 1, True),
    (4, "HQ", "GEN-SIM", "卡托", 100, 500, None, 0, False),
    (5, "B", "BAT-X1", "电池 (B)", 3300, 5500, "B-09", 7, True),
]


def _old_database(db, make_user) -> dict[str, int]:
    """Downgraded to 0022, then filled as 0022 keeps parts: each center its own list."""
    first, second = add_model(db, "X1"), add_model(db, "X2")
    keeper = make_user(Role.PARTS_KEEPER, username="keeper").user_id
    command.downgrade(schema.alembic_config(db), "0022")
    with db.engine.begin() as connection:
        centers = {"C1": 1}
        for code, kind in (("HQ", "headquarters"), ("B", "authorised_station")):
            connection.execute(
                text("INSERT INTO centers (code, name, kind, active) VALUES (:c, :c, :k, true)"),
                {"c": code, "k": kind},
            )
            centers[code] = connection.scalar(
                text("SELECT id FROM centers WHERE code = :c"), {"c": code}
            )
        for pid, center, number, name, cost, price, bin_, held, active in PARTS:
            connection.execute(
                text(
                    "INSERT INTO parts (id, part_no, name, unit_cost_cents, sale_price_cents, "
                    "bin_location, safety_stock, reorder_quantity, on_hand, defective_on_hand, "
                    "active, center_id) VALUES (:id, :no, :name, :cost, :price, :bin, 1, 5, "
                    ":held, 0, :active, :center)"
                ),
                {
                    "id": pid,
                    "no": number,
                    "name": name,
                    "cost": cost,
                    "price": price,
                    "bin": bin_,
                    "held": held,
                    "active": active,
                    "center": centers.get(center, center),
                },
            )
            if held:
                connection.execute(
                    text(
                        "INSERT INTO stock_moves (part_id, kind, stock, quantity, balance_after, "
                        "unit_cost_cents, document_no, at, by_id, station, center_id) VALUES "
                        "(:id, 'receipt', 'good', :held, :held, :cost, 'PO-1', "
                        "'2026-11-01 08:00:00+00:00', :by, 'old', :center)"
                    ),
                    {
                        "id": pid,
                        "held": held,
                        "cost": cost,
                        "by": keeper,
                        "center": centers.get(center, center),
                    },
                )
        for part_id, model in ((1, first), (3, second), (2, first)):
            center = connection.scalar(
                text("SELECT center_id FROM parts WHERE id = :i"), {"i": part_id}
            )
            connection.execute(
                text(
                    "INSERT INTO part_fits (part_id, product_model_id, center_id) "
                    "VALUES (:p, :m, :c)"
                ),
                {"p": part_id, "m": model, "c": center},
            )
    return {"X1": first, "X2": second, **centers}


def _ledger(db) -> list[tuple]:
    with db.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT id, part_id, kind, quantity, balance_after, unit_cost_cents, "
                    "center_id FROM stock_moves ORDER BY id"
                )
            )
        ]


def _stock(db) -> dict[int, tuple]:
    with db.engine.connect() as connection:
        return {
            row.id: (row.center_id, row.part_no.upper(), row.bin_location, row.on_hand, row.active)
            for row in connection.execute(text("SELECT * FROM parts"))
        }


def test_the_centers_parts_lists_become_one_master_and_their_stock_rows(db, make_user) -> None:
    ids = _old_database(db, make_user)
    ledger, stock = _ledger(db), _stock(db)
    schema.upgrade(db)
    assert schema.is_current(db)
    assert _ledger(db) == ledger and len(ledger) == 4  # not one move changed
    assert _stock(db) == stock  # every stock row kept: center, bin, balance (number normalised)
    with db.read() as session:
        masters = {
            m.part_no: (m.name, m.unit_cost_cents, m.sale_price_cents, m.active)
            for m in session.scalars(select(PartMaster))
        }
        fits = {
            m.part_no: sorted(f.product_model_id for f in m.fits)
            for m in session.scalars(select(PartMaster))
        }
        parts = {p.id: (p.part_no, p.name, p.version) for p in session.scalars(select(Part))}
    assert masters == {
        "SCR-X1": ("屏幕总成", 12000, 18000, True),  # headquarters' row where centers disagree
        "BAT-X1": ("电池", 3000, 5000, True),  # else the lowest center's
        "GEN-SIM": ("卡托", 100, 500, False),
    }
    assert fits == {"SCR-X1": sorted([ids["X1"], ids["X2"]]), "BAT-X1": [ids["X1"]], "GEN-SIM": []}
    assert parts[1] == ("SCR-X1", "屏幕总成", 1)  # "scr-x1" normalised, the master's name
    assert parts[5] == ("BAT-X1", "电池", 1)
    with db.engine.connect() as connection:
        if db.is_sqlite:
            plan = " ".join(
                str(row[-1])
                for row in connection.execute(
                    text("EXPLAIN QUERY PLAN SELECT id FROM parts WHERE upper(part_no) = 'BAT-X1'")
                )
            )
            assert "ix_parts_part_no_upper" in plan
        else:
            policies = set(
                connection.scalars(
                    text("SELECT policyname FROM pg_policies WHERE tablename = 'parts'")
                )
            )
            assert policies == {"center_rows", "center_reads"}
            secured = dict(
                connection.execute(
                    text(
                        "SELECT relname, relrowsecurity FROM pg_class "
                        "WHERE relname IN ('parts', 'part_masters', 'part_master_fits')"
                    )
                ).all()
            )
            assert secured == {"parts": True, "part_masters": False, "part_master_fits": False}


def test_the_downgrade_gives_each_stock_row_its_masters_columns_back(db, make_user) -> None:
    ids = _old_database(db, make_user)
    ledger = _ledger(db)
    schema.upgrade(db)
    command.downgrade(schema.alembic_config(db), "0022")
    with db.engine.connect() as connection:
        rows = {
            row.id: (row.part_no, row.name, row.unit_cost_cents, row.on_hand)
            for row in connection.execute(text("SELECT * FROM parts"))
        }
        fits = sorted(
            tuple(row)
            for row in connection.execute(text("SELECT part_id, product_model_id FROM part_fits"))
        )
    assert rows[1] == ("SCR-X1", "屏幕总成", 12000, 4)
    assert rows[5] == ("BAT-X1", "电池", 3000, 7)
    assert fits == sorted(
        [
            (1, ids["X1"]),
            (1, ids["X2"]),
            (3, ids["X1"]),
            (3, ids["X2"]),
            (2, ids["X1"]),
            (5, ids["X1"]),
        ]
    )
    assert _ledger(db) == ledger
    schema.upgrade(db)
    assert schema.is_current(db)
