"""A receiving scan costs a fixed, small number of statements (each a round trip to a server in
another city): none per row of the unit's history, none repeated, and the counter of them
(benchmarks/round_trips.py) misses nothing that crosses the wire."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from app.clock import ManualClock
from app.context import Context
from app.db import Database
from app.models import RepairState
from app.receiving import open_box
from app.receiving.desk import UnitDetails, scan_unit
from benchmarks.round_trips import StatementCounter
from benchmarks.wan_proxy import LatencyProxy
from tests.factories import add_model, floor_staff, force_state, imei

# PostgreSQL, round trips (pipeline mode, app/db_pipeline.py): the scan's facts and candidate
# models (with the BEGIN and the live account check), INSERT unit, the order number, INSERT
# order, COMMIT (with the audit row and the change NOTIFY). SQLite, statements: BEGIN, the live
# account check, the facts, the three INSERTs and the number, the audit row, a change mark per
# changed table (units and repair_orders), the KPI day's count (kpi_days: on PostgreSQL it goes
# with the COMMIT), COMMIT.
NEW_UNIT_SCAN = {"postgresql": 5, "sqlite": 11}
# A unit seen before: its orders in one more statement, no INSERT of the unit.
REPEAT_SCAN = {"postgresql": 5, "sqlite": 10}


@pytest.fixture
def desk(db: Database, make_user: Callable[..., Context]) -> Iterator[dict[str, Any]]:
    add_model(db)
    floor = floor_staff(db, make_user)
    floor["box"] = open_box(
        floor["clerk"], "SF1234567890123", sender_id=floor["customer"], declared_quantity=50
    )
    counter = StatementCounter(db)
    floor["counter"] = counter
    yield floor
    counter.close()


def scanned(desk: dict[str, Any], number: int) -> list[str]:
    """The statements one desk scan of IMEI ``number`` sent."""
    with desk["counter"].counting() as sent:
        scan_unit(desk["clerk"], desk["box"], imei(number), UnitDetails(model_code="X1"))
    return sent


def explain(sent: list[str]) -> str:
    return "\n".join(statement[:120] for statement in sent)


def test_a_new_unit_scan_sends_a_fixed_number_of_statements(
    desk: dict[str, Any], db: Database
) -> None:
    scanned(desk, 1)  # the first scan of the box
    sent = scanned(desk, 2)
    assert len(sent) == NEW_UNIT_SCAN[db.dialect], explain(sent)


def ship_earlier(db: Database, clock: ManualClock, desk: dict[str, Any], number: int) -> None:
    """One more earlier order of the unit: received, then shipped."""
    result = scan_unit(desk["clerk"], desk["box"], imei(number), UnitDetails(model_code="X1"))
    force_state(
        db,
        result.received.order_id,
        RepairState.SHIPPED,
        shipped_at=clock.now() - timedelta(days=200),
    )


def test_a_repeat_scan_costs_the_same_whatever_the_unit_history(
    desk: dict[str, Any], db: Database, clock: ManualClock
) -> None:
    ship_earlier(db, clock, desk, 1)
    once = scanned(desk, 1)
    force_state(db, _last_order(db), RepairState.SHIPPED, shipped_at=clock.now())
    for _ in range(3):
        ship_earlier(db, clock, desk, 2)
    many = scanned(desk, 2)
    assert len(once) == len(many) == REPEAT_SCAN[db.dialect], explain(many)


def _last_order(db: Database) -> int:
    from sqlalchemy import func, select

    from app.models import RepairOrder

    with db.read() as session:
        return session.scalar(select(func.max(RepairOrder.id))) or 0


def test_no_statement_is_sent_twice_in_a_scan(desk: dict[str, Any]) -> None:
    sent = [
        statement
        for statement in scanned(desk, 3)
        if not statement.startswith("INSERT INTO counters")
    ]
    assert len(sent) == len(set(sent)), explain(sent)


def test_the_counter_sees_every_round_trip_on_postgresql(
    db: Database, desk: dict[str, Any]
) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite has no wire")
    url = db.url.render_as_string(hide_password=False)
    with LatencyProxy(db.url.host or "127.0.0.1", db.url.port or 5432, one_way_ms=20) as proxy:
        far = Database(proxy.url_for(url))
        counter = StatementCounter(far)
        clerk = Context(far, desk["clerk"].actor, "far", desk["clerk"].clock)
        try:
            scan_unit(clerk, desk["box"], imei(4), UnitDetails(model_code="X1"))  # connects
            with proxy.counting() as trips, counter.counting() as sent:
                scan_unit(clerk, desk["box"], imei(5), UnitDetails(model_code="X1"))
        finally:
            counter.close()
            far.dispose()
    assert trips[0] == len(sent) == NEW_UNIT_SCAN["postgresql"], explain(sent)


def test_the_due_date_read_with_the_facts_skips_the_holidays(
    desk: dict[str, Any], db: Database, clock: ManualClock
) -> None:
    from sqlalchemy import select

    from app.models import CalendarDay, CalendarDayKind, RepairOrder
    from app.workcal import WorkCalendar

    today = clock.now().date()
    with db.transaction() as session:  # a week off from tomorrow, then a make-up Saturday
        for offset in range(1, 8):
            session.add(
                CalendarDay(day=today + timedelta(days=offset), kind=CalendarDayKind.HOLIDAY)
            )
        session.add(CalendarDay(day=today + timedelta(days=12), kind=CalendarDayKind.WORKDAY))
    result = scan_unit(desk["clerk"], desk["box"], imei(9), UnitDetails(model_code="X1"))
    with db.read() as session:
        order = session.get(RepairOrder, result.received.order_id)
        assert order is not None
        expected = WorkCalendar.load(session).add_working_days(order.received_at, 3)
        naive = WorkCalendar().add_working_days(order.received_at, 3)
        assert session.scalar(select(CalendarDay.day).limit(1)) is not None
    assert order.due_at == expected != naive
