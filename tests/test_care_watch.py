"""The 3-month watch after a settled complaint (seed 000: 「投訴處理後的三個月內要注意追蹤」):
it starts at settlement, counts months on the center's wall clock, and ends by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from factories import add_customer
from sqlalchemy import select

from app import complaints
from app.clock import ManualClock
from app.complaints import watchlist
from app.complaints.watch import complaint_version
from app.context import Context
from app.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintGrade, Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def service(make_user: Callable[..., Context], clock: ManualClock) -> Context:
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # 30 November, 15:00 in Shanghai
    return make_user(Role.CUSTOMER_SERVICE, username="service")


def _settle(db, service: Context, supervisor: Context, customer_id: int) -> None:
    number = complaints.register_complaint(
        service,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="维修后仍然不开机",
        customer_request="重新维修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with db.read() as session:
        cid = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    complaints.propose_remedies(
        service, cid, "免费重修", "换新机", expected_version=complaint_version(service, cid)
    )
    complaints.approve_remedies(supervisor, cid, expected_version=complaint_version(service, cid))
    complaints.record_choice(
        service, cid, "免费重修", expected_version=complaint_version(service, cid)
    )
    complaints.settle_complaint(
        service,
        cid,
        outcome="已重修",
        customer_accepted=True,
        expected_version=complaint_version(service, cid),
    )


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
    _settle(db, service, supervisor, customer)
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
    _settle(db, service, supervisor, customer)
    clock.advance(days=40)
    _settle(db, service, supervisor, customer)
    assert watchlist.watched_until(service, customer) == watchlist.add_months(clock.now(), 3)
