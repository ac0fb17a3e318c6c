"""Follow-up calls (回访): booked after a settled complaint, on a worklist until reached; a
dissatisfied customer's answer opens a complaint at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_customer
from sqlalchemy import select

from app import complaints
from app.clock import ManualClock
from app.complaints import followups
from app.complaints.watch import complaint_version
from app.context import Context
from app.errors import Conflict, InvalidInput
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    FollowUp,
    FollowUpKind,
    Role,
)

MONDAY_MORNING = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def service(make_user: Callable[..., Context], clock: ManualClock) -> Context:
    clock.set(MONDAY_MORNING)
    return make_user(Role.CUSTOMER_SERVICE, username="service")


@pytest.fixture
def settled(db, service: Context, supervisor: Context) -> int:
    """A settled complaint's follow-up call id."""
    customer_id = add_customer(db, service)
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
        complaint_id = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    complaints.propose_remedies(
        service,
        complaint_id,
        "免费重新维修",
        "更换新机",
        expected_version=complaint_version(service, complaint_id),
    )
    complaints.approve_remedies(
        supervisor, complaint_id, expected_version=complaint_version(supervisor, complaint_id)
    )
    complaints.record_choice(
        service,
        complaint_id,
        "免费重新维修",
        expected_version=complaint_version(service, complaint_id),
    )
    complaints.settle_complaint(
        service,
        complaint_id,
        outcome="已返修",
        customer_accepted=True,
        expected_version=complaint_version(service, complaint_id),
    )
    (row,) = followups.worklist(service)
    return row.id


def test_a_settled_complaint_puts_one_call_on_the_worklist(db, settled, service) -> None:
    (row,) = followups.worklist(service)
    assert row.kind is FollowUpKind.AFTER_COMPLAINT
    assert row.customer_name == "张三"
    assert row.subject == "CP202611020001"


def test_a_call_not_made_in_time_is_overdue(db, settled, clock, service) -> None:
    assert followups.count_overdue(service, clock.now()) == 0
    clock.advance(days=4)
    assert followups.count_overdue(service, clock.now()) == 1
    assert followups.worklist(service)[0].is_overdue(clock.now())


def test_a_customer_not_reached_stays_on_the_list(db, service, settled) -> None:
    followups.record_call(service, settled, reached=False, comment="无人接听")
    (row,) = followups.worklist(service)
    assert "未联系上: 无人接听" in (row.comment or "")


def test_a_reached_customer_says_whether_satisfied(db, service, settled) -> None:
    with pytest.raises(InvalidInput):
        followups.record_call(service, settled, reached=True)
    followups.record_call(service, settled, reached=True, satisfied=True, comment="满意")
    assert followups.worklist(service) == []
    with db.read() as session:
        call = session.get(FollowUp, settled)
        assert call.reached and call.satisfied and call.done_by_id == service.user_id
    with pytest.raises(Conflict):
        followups.record_call(service, settled, reached=True, satisfied=True)


def test_a_dissatisfied_answer_opens_a_complaint_in_one_step(db, service, settled, clock) -> None:
    clock.advance(hours=30)
    number = followups.record_dissatisfied_and_open_complaint(
        service, settled, description="返修后又坏了", grade=ComplaintGrade.C
    )
    assert number != "CP202611020001"
    with db.read() as session:
        call = session.get(FollowUp, settled)
        assert call.reached and call.satisfied is False
        complaint = session.scalar(select(Complaint).where(Complaint.complaint_no == number))
        assert complaint.customer_id == call.customer_id
        assert complaint.received_at == MONDAY_MORNING + timedelta(hours=30)
        assert complaint.settle_due is not None


def test_an_empty_dissatisfied_complaint_records_nothing(db, service, settled) -> None:
    with pytest.raises(InvalidInput):
        followups.record_dissatisfied_and_open_complaint(service, settled, description=" ")
    assert len(followups.worklist(service)) == 1
