"""The KPI dashboard reads the per-day figures kept as the data changes (``kpi_days``): every
figure equals the direct count over the rows (``tests/kpi_oracle.py``, the product's former SQL),
after a history built through the services (reworks, QC fails, repairs redone in a later month)
and after edits that move rows between days, months and states; and the kept table equals one
counted again from scratch (``rebuild``). SQLite and PostgreSQL (``REPAIRFLOOR_TEST_DB``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import kpi_oracle as oracle
import pytest
from conftest import PASSWORD
from factories import add_model, floor_staff, receive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.clock import ManualClock
from app.context import Context
from app.day_figures import MEDIAN
from app.day_keeping import rebuild
from app.db import Database
from app.errors import DomainError
from app.ledgers import kpi
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Complaint,
    ComplaintGrade,
    FollowUp,
    KpiDay,
    RepairOrder,
    RepairState,
    Role,
    StockMove,
)
from app.orders.listing import order_version


def kept_rows(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(
                KpiDay.center_id,
                KpiDay.figure,
                KpiDay.day,
                KpiDay.key,
                KpiDay.count,
                KpiDay.amount,
                KpiDay.known,
            )
        ).all()
    # Counted rows, not the medians kept from a read (app.ledgers.median).
    return sorted(tuple(row) for row in rows if any(row[4:]) and row[1] != MEDIAN)


def counted_again(db: Database) -> list[tuple[Any, ...]]:
    """The table as ``rebuild`` counts it from the rows now (rolled back after)."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        rebuild(connection)
        rows = connection.execute(
            select(
                KpiDay.center_id,
                KpiDay.figure,
                KpiDay.day,
                KpiDay.key,
                KpiDay.count,
                KpiDay.amount,
                KpiDay.known,
            )
        ).all()
        transaction.rollback()
    return sorted(tuple(row) for row in rows)


def months_between(first: date, last: date) -> Iterator[tuple[date, datetime, datetime]]:
    return kpi.periods(first, last, "month")


def assert_figures_are_the_direct_ones(reader: Context, first: date, last: date) -> None:
    db = reader.db
    for granularity in ("month", "week"):
        with db.read() as session:
            direct = [
                oracle.month_kpis(session, period, start, end, by_center=False)[None]
                for period, start, end in kpi.periods(first, last, granularity)  # type: ignore[arg-type]
            ]
        # Twice: the medians read from the orders the first time are kept for the second.
        assert kpi.period_kpis(reader, first, last, granularity) == direct  # type: ignore[arg-type]
        assert kpi.period_kpis(reader, first, last, granularity) == direct  # type: ignore[arg-type]
    with db.read() as session:
        for period, start, end in kpi.periods(first, last, "month"):
            kept = kpi.month_kpis(session, period, start, end, by_center=True)
            assert kept == oracle.month_kpis(session, period, start, end, by_center=True)
    assert kpi.turnaround_histogram(reader, first, last) == oracle.turnaround_histogram(
        reader, first, last
    )
    assert kpi.technician_productivity(reader, first, last) == oracle.technician_productivity(
        reader, first, last
    )
    assert kept_rows(db) == counted_again(db)


def activity_range(db: Database) -> tuple[date, date]:
    with db.read() as session:
        first, last = session.execute(
            select(RepairOrder.received_at, RepairOrder.received_at)
            .order_by(RepairOrder.received_at)
            .limit(1)
        ).one()
        moments = [
            session.scalar(select(column).order_by(column.desc().nulls_last()).limit(1))
            for column in (RepairOrder.shipped_at, RepairOrder.repaired_at, AgingRun.signed_at)
        ]
    latest = max([last, *(moment for moment in moments if moment is not None)])
    zone = center_zone()
    return first.astimezone(zone).date() - timedelta(days=40), latest.astimezone(zone).date()


def test_the_demo_months_figures_are_the_direct_ones_before_and_after_edits(demo_db, make_user):
    reader = make_user(Role.SUPERVISOR, username="kpi-reader")
    first, last = date(2026, 9, 1), date(2026, 12, 31)
    assert kept_rows(demo_db)  # the demo month went through the services
    assert_figures_are_the_direct_ones(reader, first, last)
    with demo_db.transaction() as session:
        # Corrections that move rows between days, months and states.
        shipped = session.scalars(
            select(RepairOrder).where(RepairOrder.shipped_at.is_not(None)).order_by(RepairOrder.id)
        ).all()
        assert len(shipped) >= 3
        shipped[0].shipped_at -= timedelta(days=31)
        shipped[1].received_at -= timedelta(days=45)
        shipped[1].is_rework = not shipped[1].is_rework
        shipped[2].shipped_at = None
        shipped[2].state = RepairState.QC_PASSED
        run = session.scalars(select(AgingRun).where(AgingRun.result.is_not(None))).first()
        assert run is not None
        run.signed_at -= timedelta(days=30)
        move = session.scalars(select(StockMove).order_by(StockMove.id.desc())).first()
        assert move is not None
        move.at -= timedelta(days=33)
        follow_up = session.scalars(select(FollowUp).where(FollowUp.done_at.is_not(None))).first()
        assert follow_up is not None
        follow_up.done_at -= timedelta(days=31)
        follow_up.satisfied = not follow_up.satisfied
        complaint = session.scalars(select(Complaint)).first()
        assert complaint is not None
        complaint.received_at -= timedelta(days=31)
        complaint.grade = ComplaintGrade.A
        complaint.is_valid = not complaint.is_valid
    assert_figures_are_the_direct_ones(reader, first, last)
    with demo_db.transaction() as session:  # rows deleted (a run: its order's first verdict)
        run = session.scalars(select(AgingRun).where(AgingRun.result.is_not(None))).first()
        move = session.scalars(select(StockMove).order_by(StockMove.id.desc())).first()
        session.delete(run)
        session.delete(move)
    assert_figures_are_the_direct_ones(reader, first, last)


@pytest.fixture
def floor(db: Database, make_user: Callable[..., Context], clock: ManualClock) -> dict[str, Any]:
    staff = floor_staff(db, make_user)
    add_model(db)
    staff["tech2"] = make_user(Role.TECHNICIAN, username="tech2", display_name="李工")
    staff["reader"] = make_user(Role.SUPERVISOR, username="kpi-reader")
    staff["clock"] = clock
    staff["orders"] = []
    staff["serials"] = itertools.count(1)
    staff["shipped_serials"] = []
    staff["numbers"] = {}
    return staff


def _advance_order(floor: dict[str, Any], order_id: int, passed: bool, second_tech: bool) -> None:
    """The order's next step on the floor (allocation, repair, QC pass or fail, shipping)."""
    from app.orders import transitions as orders
    from app.qc import aging as qc
    from app.shipping import shipments as shipping

    db: Database = floor["clerk"].db
    with db.read() as session:
        state = session.scalar(select(RepairOrder.state).where(RepairOrder.id == order_id))
    tech = floor["tech2"] if second_tech else floor["tech"]
    if state is RepairState.RECEIVED:
        orders.allocate(floor["boss"], [order_id], tech.user_id)
    elif state is RepairState.ALLOCATED:
        with db.read() as session:
            assigned = session.scalar(
                select(RepairOrder.technician_id).where(RepairOrder.id == order_id)
            )
        bench = floor["tech2"] if assigned == floor["tech2"].user_id else floor["tech"]
        orders.start_repair(bench, order_id)
    elif state is RepairState.IN_REPAIR:
        orders.finish_repair(
            floor["boss"],
            order_id,
            diagnosis="尾插氧化",
            repair_action="更换尾插小板",
            expected_version=order_version(floor["boss"], order_id),
        )
    elif state is RepairState.REPAIRED:
        qc.start_aging(floor["qc"], order_id)
    elif state is RepairState.IN_QC:
        floor["clock"].advance(hours=4)
        qc.sign_off(floor["qc"], order_id, passed=passed, password=PASSWORD, reason="仍不开机")
    elif state is RepairState.QC_PASSED:
        shipping.ship_orders(
            floor["ship"],
            [order_id],
            carrier_code="SF",
            waybill_no="SF1234567890123",
            receiver_name="张三",
            receiver_phone="13800138000",
            receiver_address="深圳",
        )
        floor["shipped_serials"].append(floor["numbers"].get(order_id))


def _edit(floor: dict[str, Any], order_id: int, shift_days: int, field: str) -> None:
    """A correction by hand, through the unit of work: a moment moved, a technician changed."""
    with floor["clerk"].db.transaction() as session:
        order = session.get(RepairOrder, order_id)
        assert order is not None
        if field == "technician" and order.technician_id is not None:
            order.technician_id = floor["tech2"].user_id
        elif field != "technician" and getattr(order, field) is not None:
            setattr(order, field, getattr(order, field) + timedelta(days=shift_days))


STEP = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 480), st.booleans()),
    st.tuples(
        st.just("advance"),
        st.integers(0, 60),
        st.integers(1, 8),
        st.integers(0, 300),
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(
        st.just("edit"),
        st.integers(0, 60),
        st.integers(-40, 40),
        st.sampled_from(["received_at", "shipped_at", "repaired_at", "allocated_at", "technician"]),
    ),
)


def _step(floor: dict[str, Any], step: tuple[Any, ...]) -> None:
    clock: ManualClock = floor["clock"]
    if step[0] == "receive":
        # Odd seconds: a mean of spans in whole hours can fall on a rounding tie (0.375 days),
        # where the database's float AVG and the exact sum kept round apart.
        clock.advance(hours=step[1], minutes=step[1] * 7 % 60, seconds=step[1] * 37 % 59 + 1)
        # A new unit, or the unit of an earlier shipment back (a rework within 90 days).
        back = step[2] and floor["shipped_serials"]
        number = floor["shipped_serials"].pop() if back else next(floor["serials"])
        received = receive(floor["clerk"], floor["customer"], number)
        floor["orders"].append(received.order_id)
        floor["numbers"][received.order_id] = number
    elif floor["orders"]:
        order_id = floor["orders"][step[1] % len(floor["orders"])]
        if step[0] == "advance":
            _, _, moves, hours, passed, second_tech = step
            for _ in range(moves):  # a few steps of one order, hours apart
                clock.advance(hours=hours / moves, minutes=hours % 60, seconds=hours % 53 + 3)
                _advance_order(floor, order_id, passed, second_tech)
        else:
            _edit(floor, order_id, step[2], step[3])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=30))
def test_kept_figures_are_the_direct_ones_after_any_history(floor, steps) -> None:
    """Examples add to one growing history (the clock only goes forward)."""
    for step in steps:
        try:
            _step(floor, step)
        except DomainError:
            pass  # a step the floor refuses (a warranty check, a rework window...) changes nothing
    if floor["orders"]:
        first, last = activity_range(floor["clerk"].db)
        assert_figures_are_the_direct_ones(floor["reader"], first, last)


def test_a_unit_back_within_the_rework_window_counts_as_a_rework(floor) -> None:
    clock: ManualClock = floor["clock"]
    received = receive(floor["clerk"], floor["customer"], 900)
    floor["numbers"][received.order_id] = 900
    for _ in range(7):
        clock.advance(hours=3)
        _advance_order(floor, received.order_id, True, False)
    clock.advance(days=20)
    again = receive(floor["clerk"], floor["customer"], 900)
    with floor["clerk"].db.read() as session:
        assert session.get(RepairOrder, again.order_id).is_rework  # type: ignore[union-attr]
    for _ in range(5):  # a QC fail, then the repair redone the next month
        clock.advance(days=6)
        _advance_order(floor, again.order_id, False, True)
    first, last = activity_range(floor["clerk"].db)
    assert_figures_are_the_direct_ones(floor["reader"], first, last)
    months = kpi.period_kpis(floor["reader"], first, last)
    assert sum(month.received for month in months) == 2
    assert any(month.rework_rate for month in months)
    assert any(month.qc_first_pass_yield == 1.0 for month in months)
    assert any(month.qc_first_pass_yield == 0.0 for month in months)


def test_a_new_time_zone_counts_the_days_again(demo_db, make_user):
    """The days are the center's calendar days: a new zone moves orders between days and months."""
    from app import settings
    from app.localtime import DEFAULT_ZONE_NAME, use_center_zone

    boss = make_user(Role.ADMIN, Role.SUPERVISOR, username="zone-boss")
    before = kept_rows(demo_db)
    try:
        settings.put(
            boss,
            settings.CENTER_TIME_ZONE,
            "America/Los_Angeles",
            expected_version=settings.setting_version(boss, settings.CENTER_TIME_ZONE),
        )
        assert kept_rows(demo_db) != before
        assert_figures_are_the_direct_ones(boss, date(2026, 9, 1), date(2026, 12, 31))
    finally:
        use_center_zone(DEFAULT_ZONE_NAME)
