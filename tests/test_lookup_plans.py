"""Every lookup by a scanned code is an equality on an index: SQLite's query plan of each statement
it runs reads no big table whole (``SCAN repair_orders`` ...), so a scan costs the same at 60
orders and at a million. And the exact lookup finds what the old LIKE listing found."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text

from app.allocation.dispatch import technician_by_badge
from app.db import Database
from app.models import Customer, Part, RepairOrder, Role, Shipment, Unit, User
from app.orders.listing import OrderFilter, order_page
from app.orders.store import load_scanned_order
from app.parts.issuing import part_by_code
from app.receiving.boxes import open_box
from app.receiving.desk import check_waybill
from app.search.find import search
from app.search.history import unit_history
from app.search.lookup import order_by_code

EMS_WAYBILL = "EA123456785CN"  # a valid S10 number
# Tables that grow with the floor's history (a million orders and their rows), and the people and
# parts a badge or bin label names.
BIG_TABLES = (
    "repair_orders",
    "units",
    "customers",
    "inbound_boxes",
    "shipments",
    "shipment_items",
    "aging_runs",
    "stock_moves",
    "audit_log",
    "serial_swaps",
    "complaints",
    "follow_ups",
    "allocations",
    "parts",  # small, but a bin label is still found by its index
    "users",
)


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def full_scans(db: Database, run: Callable[[], object]) -> list[str]:
    with statements(db) as seen:
        run()
    assert seen, f"{run} ran no query at all"
    scans = []
    with db.engine.connect() as connection:
        for statement, parameters in seen:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            for row in plan:
                detail = row[-1]
                words = detail.split()
                if words[:1] == ["SCAN"] and words[1] in BIG_TABLES:
                    scans.append(f"{detail}  <-  {statement}")
    return scans


@pytest.fixture
def codes(demo_db: Database) -> dict[str, str]:
    if demo_db.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with demo_db.read() as session:
        order_no, serial = session.execute(
            select(RepairOrder.order_no, Unit.serial)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .order_by(RepairOrder.id)
            .limit(1)
        ).one()
        return {
            "order_no": order_no,
            "serial": serial,
            "badge": session.scalar(select(User.badge_code).where(User.badge_code.is_not(None))),
            "part_no": session.scalar(select(Part.part_no).limit(1)),
            # "尾号": a phone's last digits that start no number (every number starts 0 or 1)
            "phone_tail": next(
                digits[-5:]
                for digits in session.scalars(
                    select(Customer.phone_digits).where(Customer.phone_digits.is_not(None))
                )
                if digits[-5] not in "01"
            ),
            "outbound_waybill": session.scalar(
                select(Shipment.waybill_no).where(Shipment.waybill_no.is_not(None)).limit(1)
            ),
        }


def test_every_code_lookup_reads_only_indexes(demo_db, codes, make_user) -> None:
    ctx = make_user(Role.ADMIN, username="planner")
    keeper = make_user(Role.PARTS_KEEPER, username="plankeeper")
    clerk = make_user(Role.RECEIVING_CLERK, username="planclerk")
    with demo_db.read() as session:
        sender = session.scalar(select(Customer.id).limit(1))
    open_box(clerk, EMS_WAYBILL, sender_id=sender, declared_quantity=1)

    def in_session(work: Callable) -> Callable[[], object]:
        def run() -> object:
            with demo_db.read() as session:
                return work(session)

        return run

    lookups: dict[str, Callable[[], object]] = {
        "order by number": lambda: order_by_code(ctx, codes["order_no"].lower()),
        "order by serial": lambda: order_by_code(ctx, codes["serial"]),
        "unknown code": lambda: order_by_code(ctx, "NO-SUCH-CODE-1"),
        "badge": lambda: technician_by_badge(ctx, codes["badge"].lower()),
        "part number": lambda: part_by_code(keeper, codes["part_no"].lower()),
        "inbound waybill": lambda: _refusal_ok(lambda: check_waybill(clerk, EMS_WAYBILL.lower())),
        "packing by serial": in_session(
            lambda s: load_scanned_order(s, codes["serial"], by_serial=True, lock=False)
        ),
        "packing by number": in_session(
            lambda s: load_scanned_order(s, codes["order_no"], by_serial=True, lock=False)
        ),
        "QC label": in_session(lambda s: load_scanned_order(s, codes["order_no"], lock=False)),
        "unit history": lambda: unit_history(ctx, codes["serial"]),
        "phone's last digits": lambda: _found(search(ctx, codes["phone_tail"])),
    }
    if codes["outbound_waybill"]:
        lookups["outbound waybill"] = in_session(
            lambda s: s.scalar(
                select(Shipment.id).where(Shipment.waybill_no == codes["outbound_waybill"])
            )
        )
    found = {}
    for name, run in lookups.items():
        run.__qualname__ = name
        found[name] = full_scans(demo_db, run)
    assert {name: scans for name, scans in found.items() if scans} == {}


def _found(hits: list) -> list:
    assert hits, "the last digits of a customer's phone found nobody"
    return hits


def test_the_plan_check_sees_a_full_scan(demo_db, codes, make_user) -> None:
    """The check itself: the free-text listing (the search box's LIKE) does walk the orders."""
    ctx = make_user(Role.ADMIN, username="planner")
    scans = full_scans(
        demo_db,
        lambda: order_page(ctx, OrderFilter(text=codes["order_no"]), offset=0, limit=50),
    )
    assert any("repair_orders" in scan or "units" in scan or "customers" in scan for scan in scans)


def test_the_exact_lookup_finds_what_the_listing_found(demo_db, codes, make_user) -> None:
    """Every order of the demo month, by its label and by its serial: the same row as the old
    lookup (the listing filtered by the code, the exact match among its rows)."""
    ctx = make_user(Role.ADMIN, username="planner")
    with demo_db.read() as session:
        pairs = session.execute(
            select(RepairOrder.order_no, Unit.serial).join(Unit, Unit.id == RepairOrder.unit_id)
        ).all()
    assert len(pairs) >= 50
    for code in [code for pair in pairs for code in pair] + ["NO-SUCH-CODE-1"]:
        rows = order_page(ctx, OrderFilter(text=code), offset=0, limit=50)
        old = next((row for row in rows if code in (row.order_no, row.serial)), None)
        assert order_by_code(ctx, code) == old, code


def _refusal_ok(run: Callable[[], object]) -> object:
    from app.errors import DomainError

    try:
        return run()
    except DomainError as refusal:  # a closed box's waybill is refused: after its lookup
        return refusal


def test_the_sqlite_plan_reader_works(demo_db, codes) -> None:
    with demo_db.engine.connect() as connection:
        rows = connection.execute(text("EXPLAIN QUERY PLAN SELECT id FROM repair_orders")).all()
    assert rows and rows[0][-1].startswith("SCAN")
