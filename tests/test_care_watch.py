"""The 3-month watch after a settled complaint (seed 000: 「投訴處理後的三個月內要注意追蹤」):
it starts at settlement, counts months on the center's wall clock, and ends by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from factories import add_customer, settle_a_complaint
from sqlalchemy import select

from app.clock import ManualClock
from app.complaints import watchlist
from app.context import Context
from app.models import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def service(make_user: Callable[..., Context], clock: ManualClock) -> Context:
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # 30 November, 15:00 in Shanghai
    return make_user(Role.CUSTOMER_SERVICE, username="service")


def test_months_are_counted_on_the_centers_wall_clock_with_the_day_clamped() -> None:
    settled = datetime(2026, 11, 30, 15, 0, tzinfo=SHANGHAI)
    assert watchlist.add_months(settled, 3) == datetime(2027, 2, 28, 15, 0, tzinfo=SHANGHAI)
    assert watchlist.add_months(settled, 15) == datetime(2028, 2, 29, 15, 0, tzinfo=SHANGHAI)
    # 1 August 00:30 in Shanghai is still 31 July in UTC: the month is Shanghai's.
    early = datetime(2026, 7, 31, 16, 30, tzinfo=UTC)
    assert watchlist.add_months(early, 3) == datetime(2026, 10, 31, 16, 30, tzinfo=UTC)


def test_the_watch_starts_at_settlement_and_ends_by_itself_after_three_months(
    db, service, supervisor, clock
) -> None:
    customer = add_customer(db, service)
    other = add_customer(db, service, "李四", "13900139000")
    assert watchlist.watched_until(service, customer) is None
    settle_a_complaint(db, service, supervisor, customer)
    end = datetime(2027, 2, 28, 15, 0, tzinfo=SHANGHAI)
    assert watchlist.watched_until(service, customer) == end
    assert watchlist.watched_until(service, other) is None
    (row,) = watchlist.watched_customers(service)
    assert (row.customer_id, row.name, row.until) == (customer, "张三", end)
    clock.set(end - timedelta(seconds=1))
    assert watchlist.watched_until(service, customer) == end
    clock.set(end)
    assert watchlist.watched_until(service, customer) is None
    assert watchlist.watched_customers(service) == []


def test_a_later_settlement_extends_the_watch(db, service, supervisor, clock) -> None:
    customer = add_customer(db, service)
    settle_a_complaint(db, service, supervisor, customer)
    clock.advance(days=40)
    settle_a_complaint(db, service, supervisor, customer)
    assert watchlist.watched_until(service, customer) == watchlist.add_months(clock.now(), 3)


def test_a_watched_customers_unit_is_flagged_at_the_desk_in_search_and_for_service(
    db, service, supervisor, make_user, clock
) -> None:
    """Seed 000: any new order of a watched customer is flagged at once — on the box and the
    scan at receiving, on the search hit, and to customer service through an audit line."""
    from factories import add_model, imei, receive

    from app.audit_actions import AuditAction
    from app.models import AuditEntry, Carrier
    from app.receiving import box_summary, open_box
    from app.receiving.desk import scan_unit
    from app.search.find import search

    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    add_model(db)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    watched = add_customer(db, service)
    other = add_customer(db, service, "李四", "13900139000")
    settle_a_complaint(db, service, supervisor, watched)
    end = datetime(2027, 2, 28, 15, 0, tzinfo=SHANGHAI)
    clock.advance(days=10)

    box_id = open_box(clerk, "SF1234567890123", sender_id=watched, declared_quantity=1)
    assert box_summary(clerk, box_id).sender_watched_until == end
    scanned = scan_unit(clerk, box_id, imei(1))
    assert scanned.received.watched_until == end
    not_watched = receive(clerk, other, 2)
    assert not_watched.watched_until is None

    with db.read() as session:
        flags = session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.WATCHED_CUSTOMER_BACK.value)
        ).all()
    assert [(f.entity_id, f.order_id) for f in flags] == [(str(watched), scanned.received.order_id)]
    (contact,) = watchlist.new_orders_of_watched(service)
    assert (contact.customer_id, contact.order_no, contact.until) == (
        watched,
        scanned.received.order_no,
        end,
    )

    hits = {hit.order_no: hit for hit in search(clerk, "1380013")}
    assert hits[scanned.received.order_no].customer_id == watched
    assert hits[scanned.received.order_no].watched_until == end
    (other_hit,) = search(clerk, "13900139000")
    assert (other_hit.customer_id, other_hit.watched_until) == (other, None)

    clock.set(end)  # the flag ends by itself, everywhere
    assert box_summary(clerk, box_id).sender_watched_until is None
    assert search(clerk, scanned.received.order_no)[0].watched_until is None
    assert watchlist.new_orders_of_watched(service) == []
