"""The lists a floor tab reads when it is shown cost what they show, not the history: counted in
SQLite's virtual machine steps (tests/test_scan_cost.py), the read of each list takes no more
steps after thousands of rows were added outside its window (moves and sign-offs of two years
ago, shipments shipped and complaints settled then), and its query plan reads no history table
whole (tests/test_lookup_plans.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from alembic import command
from conftest import PASSWORD
from sqlalchemy import insert, inspect, select, update

from app import schema
from app.clock import ManualClock
from app.complaints import watchlist
from app.context import Context
from app.db import Database
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Complaint,
    Part,
    RepairOrder,
    Role,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    StockKind,
    StockMove,
)
from app.parts import issuing as parts
from app.parts import views as parts_views
from app.qc import views as qc_views
from app.shipping import shipments
from app.shipping import views as shipping_views
from tests.factories import (
    add_model,
    floor_staff,
    receive,
    repair_and_ship,
    settle_a_complaint,
    stock_row,
)
from tests.test_lookup_plans import full_scans
from tests.test_scan_cost import add_boxless_history, select_steps

HISTORY = 2_000  # rows added two years back, outside every window the tabs show
LONG_AGO = timedelta(days=730)

Read = Callable[[Context], object]


def _fpy(by: str) -> Read:
    def read(ctx: Context) -> object:
        now = ctx.now()
        end = now + timedelta(days=1)  # as the QC tab asks: today included
        return qc_views.first_pass_yield(ctx, now - timedelta(weeks=8), end, by=by)  # type: ignore[arg-type]

    return read


def _shipped_today(ctx: Context) -> object:
    start = ctx.now().astimezone(center_zone()).replace(hour=0, minute=0, second=0, microsecond=0)
    return shipping_views.shipping_ledger(ctx, start, start + timedelta(days=1))


READS: dict[str, Read] = {
    "parts: slow-moving stock": lambda ctx: parts_views.slow_moving(ctx, 90),
    "parts: defective stock": parts_views.defective_stock,
    "qc: first-pass yield by model": _fpy("model"),
    "qc: first-pass yield by technician": _fpy("technician"),
    "shipping: today's shipped units": _shipped_today,
    "shipping: open shipments": shipping_views.open_shipments,
    "complaints: customers under watch": watchlist.watched_customers,
}


def _copies(db: Database, model: Any, like_id: int, rows: list[dict[str, Any]]) -> None:
    """Rows like ``like_id``'s with the given columns changed."""
    table = model.__table__
    with db.transaction() as session:
        row = dict(session.execute(select(table).where(table.c.id == like_id)).one()._mapping)
        del row["id"]
        session.execute(insert(table), [{**row, **changes} for changes in rows])


def _last_id(db: Database, model: Any) -> int:
    with db.read() as session:
        return session.scalars(select(model.id).order_by(model.id.desc())).first()


@pytest.fixture
def floor(db: Database, make_user: Callable[..., Context], clock: ManualClock) -> dict[str, Any]:
    """Today's floor: an order repaired, signed off and shipped, a shipment on the packing
    table, a settled complaint, and a part received 100 days ago (slow-moving) with good and
    defective stock."""
    add_model(db)
    staff = floor_staff(db, make_user)
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    with db.transaction() as session:
        part = stock_row("SCR-X1", "屏幕总成", unit_cost_cents=12000)
        session.add(part)
        session.flush()
        part_id = part.id
    parts.receive_stock(keeper, part_id, 5, document_no="PO-001")
    with db.transaction() as session:
        session.execute(update(Part).where(Part.id == part_id).values(defective_on_hand=1))
    clock.advance(days=100)
    order_id = receive(staff["clerk"], staff["customer"], 1).order_id
    repair_and_ship(staff, clock, order_id, PASSWORD)
    service = make_user(Role.CUSTOMER_SERVICE, username="service")
    settle_a_complaint(db, service, staff["boss"], staff["customer"])
    shipments.create_shipment(staff["ship"], staff["customer"])
    return {"order_id": order_id, "part_id": part_id, "admin": make_user(Role.ADMIN)}


def add_history(db: Database, floor: dict[str, Any], clock: ManualClock) -> None:
    """Two years back: other orders' signed runs and shipments, settled complaints, and the
    part's moves of good and of defective stock."""
    then = clock.now() - LONG_AGO
    add_boxless_history(db, floor["order_id"], HISTORY)
    with db.read() as session:
        old_orders = session.scalars(
            select(RepairOrder.id).where(RepairOrder.order_no.like("HIST%"))
        ).all()
    _copies(
        db,
        AgingRun,
        _last_id(db, AgingRun),
        [{"order_id": order, "signed_at": then, "received_at": then} for order in old_orders],
    )
    shipped = {"status": ShipmentStatus.SHIPPED, "created_at": then, "shipped_at": then}
    _copies(
        db,
        Shipment,
        _last_id(db, Shipment),
        [{**shipped, "shipment_no": f"HS{n:08d}"} for n in range(HISTORY)],
    )
    with db.read() as session:
        old_shipments = session.scalars(
            select(Shipment.id).where(Shipment.shipment_no.like("HS%")).order_by(Shipment.id)
        ).all()
    _copies(
        db,
        ShipmentItem,
        _last_id(db, ShipmentItem),
        [
            {"shipment_id": shipment, "order_id": order, "added_at": then}
            for shipment, order in zip(old_shipments, old_orders, strict=True)
        ],
    )
    _copies(
        db,
        Complaint,
        _last_id(db, Complaint),
        [
            {"complaint_no": f"HC{n:08d}", "received_at": then, "settled_at": then}
            for n in range(HISTORY)
        ],
    )
    stocks = (StockKind.GOOD, StockKind.DEFECTIVE)
    _copies(
        db,
        StockMove,
        _last_id(db, StockMove),
        [{"at": then + timedelta(minutes=n), "stock": stocks[n % 2]} for n in range(HISTORY)],
    )


@pytest.fixture
def sqlite_only(db: Database) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's virtual machine steps and query plans: PostgreSQL's plans differ")


@pytest.mark.usefixtures("sqlite_only")
def test_a_tab_list_reads_no_more_when_history_grows_outside_its_window(db, floor, clock):
    admin = floor["admin"]
    small: dict[str, int] = {}
    for name, read in READS.items():
        assert read(admin), f"{name}: the list is empty, the test would measure nothing"
        with select_steps(db) as steps:
            read(admin)
        small[name] = steps[0]
    add_history(db, floor, clock)
    grown = {}
    for name, read in READS.items():
        read(admin)  # the statement caches warm again after the inserts
        with select_steps(db) as steps:
            read(admin)
        # B-trees one level deeper at most; a walk of the history adds thousands of ticks.
        if steps[0] > small[name] * 1.2 + 10:
            grown[name] = (small[name], steps[0])
    assert grown == {}


@pytest.mark.usefixtures("sqlite_only")
def test_a_tab_list_reads_no_history_table_whole(db, floor, clock):
    add_history(db, floor, clock)
    admin = floor["admin"]
    for name, read in READS.items():
        # "SCAN parts": the stock lists show every part in stock, which is what they show.
        scans = [
            scan
            for scan in full_scans(db, lambda read=read: read(admin))
            if "SCAN parts" not in scan
        ]
        assert scans == [], name


def _indexes(db: Database, table: str) -> set[str]:
    return {index["name"] for index in inspect(db.engine).get_indexes(table)}


def test_migration_0025_goes_down_and_up_again(db):
    """Its indexes go and the single-column index of aging runs by order comes back; up again,
    the schema is the models' (tests/test_schema.py checks that on a fresh database)."""
    command.downgrade(schema.alembic_config(db), "0024")
    assert "ix_aging_runs_order_id" in _indexes(db, "aging_runs")
    assert not {"ix_aging_runs_order_id_id"} & _indexes(db, "aging_runs")
    assert not {"ix_shipments_status_shipped_at", "ix_shipments_status_created_at"} & _indexes(
        db, "shipments"
    )
    assert "ix_stock_moves_part_id_stock_at" not in _indexes(db, "stock_moves")
    assert "ix_complaints_settled_at" not in _indexes(db, "complaints")
    command.upgrade(schema.alembic_config(db), "head")
    assert schema.is_current(db)
    assert "ix_aging_runs_order_id" not in _indexes(db, "aging_runs")
    assert "ix_complaints_settled_at" in _indexes(db, "complaints")
