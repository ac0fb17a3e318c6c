"""The round trips each floor desk's scan costs (each one to a server in another city),
as the desks' tabs call the services on a scan: a budget per scan, and none that grows with the
number of orders a scan touches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from factories import stock_row

from app.allocation import dispatch as allocation
from app.clock import ManualClock
from app.context import Context
from app.db import Database
from app.models import RepairState, Role
from app.orders import transitions as orders
from app.parts import issuing as parts
from app.parts.counter import IssueStep, attempt_issue
from app.qc import aging as qc
from app.qc import desk
from app.search.lookup import order_by_code
from app.shipping import shipments as shipping
from benchmarks.round_trips import StatementCounter
from tests.conftest import PASSWORD
from tests.factories import add_model, floor_staff, force_state, receive

# On PostgreSQL, the round trips (each statement that waits for its answer; a write's BEGIN,
# live account check, audit rows and change NOTIFY go with its statements: app/db_pipeline.py).
# SQLite runs in the process: reported only.
BUDGET = {
    "allocation label": 7,
    "allocation badge, 1 order": 8,
    "allocation badge, 5 orders": 12,
    "parts order label": 7,
    "parts part label + issue": 11,
    "qc placing": 13,
    "qc sign-off scan": 6,
    "shipping first unit": 6,
    "shipping next unit": 5,
}
REPORT: dict[str, int] = {}
SENT: dict[str, list[str]] = {}


@pytest.fixture
def floor(db: Database, make_user: Callable[..., Context]) -> Iterator[dict[str, Any]]:
    add_model(db)
    staff = floor_staff(db, make_user)
    staff["tech"] = make_user(Role.TECHNICIAN, username="tech2", badge_code="T002")
    with db.transaction() as session:
        part = stock_row(part_no="SCR-X1", name="屏幕总成", unit_cost_cents=12000, on_hand=50)
        session.add(part)
        session.flush()
        staff["part"] = part.id
    staff["counter"] = counter = StatementCounter(db)
    staff["db"] = db
    yield staff
    counter.close()


def orders_in(floor: dict[str, Any], first: int, count: int, state: RepairState, db) -> list[Any]:
    received = [receive(floor["clerk"], floor["customer"], n) for n in range(first, first + count)]
    for order in received:
        force_state(db, order.order_id, state, technician_id=floor["tech"].user_id)
    return received


def counted(floor: dict[str, Any], name: str, action: Callable[[], Any]) -> int:
    with floor["counter"].counting() as sent:
        action()
    REPORT[name] = len(sent)
    SENT[name] = sent
    db: Database = floor["db"]
    if not db.is_sqlite and name in BUDGET:
        assert len(sent) <= BUDGET[name], f"{name}: {len(sent)} statements\n" + "\n".join(sent)
    return len(sent)


def test_allocation_badge_scan(floor: dict[str, Any], db: Database) -> None:
    boss, tech = floor["boss"], floor["tech"]

    def scan_badge(basket: list[int]) -> Callable[[], Any]:
        def scan() -> None:  # ui/allocation/queue.py: the badge empties the basket onto it
            technician = allocation.badge_or_label(boss, "T002")
            assert not isinstance(technician, allocation.QueueItem)
            orders.allocate(boss, basket, technician.id)

        return scan

    first = orders_in(floor, 1, 1, RepairState.RECEIVED, db)
    one, one_no = [o.order_id for o in first], [o.order_no for o in first]
    five = [o.order_id for o in orders_in(floor, 10, 5, RepairState.RECEIVED, db)]
    for order_id in one + five:
        force_state(db, order_id, RepairState.RECEIVED, technician_id=None)
    label = counted(  # the badge looked for first, in the same session
        floor, "allocation label", lambda: allocation.badge_or_label(boss, one_no[0])
    )
    single = counted(floor, "allocation badge, 1 order", scan_badge(one))
    basket = counted(floor, "allocation badge, 5 orders", scan_badge(five))
    assert tech.user_id and label > 0
    # The orders are read and locked in one statement; each changed order is one UPDATE (the
    # version check needs each row's count), nothing else per order.
    if not db.is_sqlite:
        assert basket == single + 4, REPORT


def test_parts_scans(
    floor: dict[str, Any], db: Database, make_user: Callable[..., Context]
) -> None:
    tech = make_user(Role.PARTS_KEEPER, username="keeper")
    (order,) = orders_in(floor, 1, 1, RepairState.IN_REPAIR, db)
    force_state(db, order.order_id, RepairState.IN_REPAIR, in_warranty=True)

    def order_scan() -> None:  # ui/parts/tab.py: an order label
        row = order_by_code(tech, order.order_no)
        assert row is not None
        parts.order_technician(tech, row.id)

    def part_scan() -> None:  # then a part label: checked and issued
        part = parts.part_by_code(tech, "SCR-X1")
        assert part is not None
        attempt = attempt_issue(tech, order.order_id, part.id, 1, floor["tech"].user_id)
        assert attempt.step is IssueStep.ISSUED, attempt

    counted(floor, "parts order label", order_scan)
    counted(floor, "parts part label + issue", part_scan)


def test_qc_and_shipping_scans(floor: dict[str, Any], db: Database, clock: ManualClock) -> None:
    qc_ctx, ship = floor["qc"], floor["ship"]
    repaired = orders_in(floor, 1, 3, RepairState.REPAIRED, db)

    def place(order_no: str) -> Callable[[], Any]:
        def scan() -> None:  # ui/qc/tab.py: a slot? an order: received from repair
            from app.qc.views import find_slot

            assert find_slot(qc_ctx, order_no) is None
            assert order_by_code(qc_ctx, order_no) is not None
            qc.receive_from_repair(qc_ctx, order_no, None)

        return scan

    counted(floor, "qc placing", place(repaired[0].order_no))
    for order in repaired[1:]:
        qc.receive_from_repair(qc_ctx, order.order_no, None)

    def sign_scan() -> None:  # ui/qc/tab.py: a unit on the rack opens its sign-off form
        found = desk.scanned(qc_ctx, repaired[1].order_no)
        assert isinstance(found, desk.SignOffRead), found
        assert found.form.order_id == repaired[1].order_id

    counted(floor, "qc sign-off scan", sign_scan)
    clock.advance(hours=4)
    for order in repaired:
        qc.sign_off(qc_ctx, order.order_id, passed=True, password=PASSWORD)
    first = repaired[0].order_no
    started = shipping.start_shipment(ship, first)
    counted(
        floor, "shipping first unit", lambda: shipping.start_shipment(ship, repaired[1].order_no)
    )
    counted(
        floor,
        "shipping next unit",
        lambda: shipping.add_unit(ship, started.shipment_id, repaired[2].order_no),
    )


def test_report(db: Database) -> None:
    import os

    if os.environ.get("SHOW_SENT"):
        for name, sent in SENT.items():
            print(f"\n{name}:\n  " + "\n  ".join(line[:140] for line in sent))
    print(f"\nstatements per scan ({db.dialect}):")
    for name, count in REPORT.items():
        print(f"  {name:32} {count}")
