"""A complaint's handler is named within the hour (seed 000 找到處理人: 「按照部門和崗位職責快速確定
處理人(1小時)」): the clock starts at registration and is red with the other clocks when late."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_customer
from sqlalchemy import select

from app import complaints
from app.clock import ManualClock
from app.complaints import handler
from app.complaints.watch import complaint_version
from app.context import Context
from app.errors import NotFound
from app.models import (
    AuditEntry,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Role,
    StaffMember,
)

MONDAY = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def desk(db, make_user: Callable[..., Context], clock: ManualClock) -> dict:
    clock.set(MONDAY)
    service = make_user(Role.CUSTOMER_SERVICE, username="service")
    with db.transaction() as session:
        staff = StaffMember(code="T01", name="王工", department="维修部")
        session.add(staff)
        session.flush()
        staff_id = staff.id
    number = complaints.register_complaint(
        service,
        customer_id=add_customer(db, service),
        channel=ComplaintChannel.PHONE,
        description="维修太慢",
        customer_request=None,
        grade=ComplaintGrade.A,
        category=ComplaintCategory.TURNAROUND,
    )
    with db.read() as session:
        cid = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    complaints.record_answer(service, cid, "已解释并道歉")  # contact and answer in time
    return {"service": service, "complaint": cid, "staff": staff_id}


def _row(ctx: Context, complaint_id: int) -> complaints.ComplaintListRow:
    (row,) = [r for r in complaints.register_rows(ctx) if r.id == complaint_id]
    return row


def test_the_handler_clock_runs_an_hour_from_registration_and_is_red_when_late(
    db, desk, clock
) -> None:
    service, cid = desk["service"], desk["complaint"]
    row = _row(service, cid)
    assert row.handler_due == MONDAY + timedelta(hours=1)
    assert row.next_deadline() == (MONDAY + timedelta(hours=1), "handler named")
    clock.advance(minutes=59)
    assert not _row(service, cid).is_overdue(clock.now())
    assert complaints.count_overdue(service, clock.now()) == 0
    clock.advance(minutes=2)
    assert _row(service, cid).is_overdue(clock.now())
    assert complaints.count_overdue(service, clock.now()) == 1
    handler.assign_handler(
        service, cid, staff_id=desk["staff"], expected_version=complaint_version(service, cid)
    )
    assert not _row(service, cid).is_overdue(clock.now())
    assert complaints.count_overdue(service, clock.now()) == 0
    assert handler.handler_of(service, cid).name == "王工"
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint_handler"))
        assert entry.after == {"handler": "T01", "late": True}


def test_naming_the_handler_in_time_and_an_unknown_person_is_refused(db, desk, clock) -> None:
    service, cid = desk["service"], desk["complaint"]
    with pytest.raises(NotFound):
        handler.assign_handler(
            service, cid, staff_id=999, expected_version=complaint_version(service, cid)
        )
    clock.advance(minutes=30)
    handler.assign_handler(
        service, cid, staff_id=desk["staff"], expected_version=complaint_version(service, cid)
    )
    clock.advance(hours=2)
    assert not _row(service, cid).is_overdue(clock.now())
    with db.read() as session:
        assert session.get(Complaint, cid).handler_assigned_at == MONDAY + timedelta(minutes=30)
