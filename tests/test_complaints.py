"""Complaint registration: the deadlines start at receipt, validity follows the subject (or late
handling), and the watch list shows every complaint past a deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import add_customer, add_model, audit_count, receive
from sqlalchemy import select

from app import complaints
from app.audit import entries_for_order
from app.clock import ManualClock
from app.complaints import handler
from app.complaints.watch import complaint_version
from app.context import Context
from app.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from app.models import (
    CalendarDay,
    CalendarDayKind,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintOrder,
    ComplaintStatus,
    FollowUp,
    FollowUpKind,
    RepairOrder,
    Role,
    StaffMember,
)

# Monday 2 November 2026, 09:00 in Shenzhen.
MONDAY_MORNING = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def service(make_user: Callable[..., Context], clock: ManualClock) -> Context:
    clock.set(MONDAY_MORNING)
    return make_user(Role.CUSTOMER_SERVICE, username="service")


@pytest.fixture
def customer_id(db, service: Context) -> int:
    return add_customer(db, service)


def _register(
    ctx: Context,
    customer_id: int,
    *,
    grade: ComplaintGrade = ComplaintGrade.A,
    category: ComplaintCategory = ComplaintCategory.ATTITUDE,
    order_ids: tuple[int, ...] = (),
) -> str:
    return complaints.register_complaint(
        ctx,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="前台态度冷淡,等了很久没人理",
        customer_request="要求道歉",
        grade=grade,
        category=category,
        order_ids=order_ids,
    )


def _complaint(db, complaint_no: str) -> Complaint:
    with db.read() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.complaint_no == complaint_no))
        assert complaint is not None
        return complaint


def test_a_complaint_gets_a_cp_number_and_its_deadlines_at_receipt(
    db, service, customer_id
) -> None:
    complaint = _complaint(db, _register(service, customer_id))
    assert complaint.complaint_no == "CP202611020001"
    assert complaint.status is ComplaintStatus.OPEN
    assert complaint.received_at == MONDAY_MORNING
    assert complaint.first_contact_due == MONDAY_MORNING + timedelta(minutes=10)
    assert complaint.answer_due == MONDAY_MORNING + timedelta(hours=24)
    assert complaint.settle_due is None


def test_a_severe_complaint_must_be_settled_within_three_working_days(
    db, service, customer_id, clock
) -> None:
    clock.set(datetime(2026, 11, 6, 2, 0, tzinfo=UTC))  # Friday 10:00 local
    complaint = _complaint(db, _register(service, customer_id, grade=ComplaintGrade.C))
    assert complaint.settle_due == datetime(2026, 11, 11, 2, 0, tzinfo=UTC)  # Wednesday


def test_the_settlement_deadline_skips_holidays_and_counts_make_up_days(
    db, service, customer_id, clock
) -> None:
    with db.transaction() as session:
        session.add(CalendarDay(day=date(2026, 11, 7), kind=CalendarDayKind.WORKDAY))
        session.add(CalendarDay(day=date(2026, 11, 9), kind=CalendarDayKind.HOLIDAY))
        session.add(CalendarDay(day=date(2026, 11, 10), kind=CalendarDayKind.HOLIDAY))
    clock.set(datetime(2026, 11, 6, 2, 0, tzinfo=UTC))  # Friday
    complaint = _complaint(db, _register(service, customer_id, grade=ComplaintGrade.C))
    # Saturday 7th (make-up day), Wednesday 11th, Thursday 12th; 9th and 10th are holidays.
    assert complaint.settle_due == datetime(2026, 11, 12, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("category", "valid"),
    [
        (ComplaintCategory.REPAIR_QUALITY, True),
        (ComplaintCategory.ATTITUDE, True),
        (ComplaintCategory.TURNAROUND, True),
        (ComplaintCategory.PARTS_SUPPLY, True),
        (ComplaintCategory.PRICING, True),
        (ComplaintCategory.LOSS_DAMAGE, False),
        (ComplaintCategory.OTHER, False),
    ],
)
def test_validity_follows_the_subject_of_the_complaint(
    db, service, customer_id, category, valid
) -> None:
    complaint = _complaint(db, _register(service, customer_id, category=category))
    assert complaint.is_valid is valid


def test_a_complaint_is_linked_to_its_orders_and_shows_in_their_history(
    db, service, customer_id, make_user
) -> None:
    add_model(db)
    receiver = make_user(Role.RECEIVING_CLERK, username="receiving")
    order_ids = (
        receive(receiver, customer_id, 1).order_id,
        receive(receiver, customer_id, 2).order_id,
    )
    number = _register(
        service, customer_id, category=ComplaintCategory.REPAIR_QUALITY, order_ids=order_ids
    )
    with db.read() as session:
        linked = session.scalars(select(ComplaintOrder.order_id)).all()
    assert sorted(linked) == sorted(order_ids)
    for order_id in order_ids:
        actions = [(e.action, e.entity_id) for e in entries_for_order(db, order_id)]
        assert ("register_complaint", number) in actions


def test_registering_needs_the_complaint_permission(db, make_user, customer_id) -> None:
    technician = make_user(Role.TECHNICIAN, username="tech1")
    before = audit_count(db)
    with pytest.raises(PermissionDenied):
        _register(technician, customer_id)
    assert audit_count(db) == before


def test_a_complaint_needs_a_description_a_known_customer_and_real_orders(
    db, service, customer_id
) -> None:
    with pytest.raises(InvalidInput):
        complaints.register_complaint(
            service,
            customer_id=customer_id,
            channel=ComplaintChannel.WALK_IN,
            description="   ",
            customer_request=None,
            grade=ComplaintGrade.A,
            category=ComplaintCategory.OTHER,
        )
    with pytest.raises(NotFound):
        _register(service, customer_id + 99)
    with pytest.raises(NotFound):
        _register(service, customer_id, order_ids=(12345,))
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(days=9)) == []


def test_first_contact_in_time_keeps_the_complaint_off_the_watch_list(
    db, service, customer_id, clock
) -> None:
    complaint = _complaint(db, _register(service, customer_id, category=ComplaintCategory.OTHER))
    clock.advance(minutes=6)
    contacted = complaints.record_first_contact(service, complaint.id)
    assert contacted.first_contact_at == MONDAY_MORNING + timedelta(minutes=6)
    assert contacted.is_valid is False
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(hours=1)) == []
    with pytest.raises(Conflict):
        complaints.record_first_contact(service, complaint.id)


def test_late_first_contact_makes_the_complaint_count_against_the_center(
    db, service, customer_id, clock
) -> None:
    complaint = _complaint(
        db, _register(service, customer_id, category=ComplaintCategory.LOSS_DAMAGE)
    )
    assert complaint.is_valid is False
    clock.advance(minutes=25)
    assert complaints.record_first_contact(service, complaint.id).is_valid is True


def test_a_complaint_not_contacted_within_ten_minutes_is_overdue(db, service, customer_id) -> None:
    number = _register(service, customer_id)
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(minutes=10)) == []
    overdue = complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(minutes=11))
    assert [c.complaint_no for c in overdue] == [number]


def _name_handler(db, service: Context, complaint_id: int) -> None:
    """The handler named in time (its own clock: tests/test_care_handler.py)."""
    with db.transaction() as session:
        staff = StaffMember(code=f"H{complaint_id}", name="王主管")
        session.add(staff)
        session.flush()
        staff_id = staff.id
    handler.assign_handler(
        service,
        complaint_id,
        staff_id=staff_id,
        expected_version=complaint_version(service, complaint_id),
    )


def test_a_complaint_not_answered_within_a_day_is_overdue(db, service, customer_id, clock) -> None:
    complaint = _complaint(db, _register(service, customer_id))
    clock.advance(minutes=5)
    complaints.record_first_contact(service, complaint.id)
    _name_handler(db, service, complaint.id)
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(hours=23)) == []
    assert len(complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(hours=25))) == 1
    clock.advance(hours=2)
    complaints.record_answer(service, complaint.id, "已致歉,下周一前免费复修")
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(hours=25)) == []


def test_an_unsettled_severe_complaint_is_overdue_after_three_working_days(
    db, service, customer_id, clock
) -> None:
    complaint = _complaint(db, _register(service, customer_id, grade=ComplaintGrade.C))
    clock.advance(minutes=5)
    complaints.record_first_contact(service, complaint.id)
    _name_handler(db, service, complaint.id)
    clock.advance(hours=3)
    complaints.record_answer(service, complaint.id, "同意退款,待主管审批")
    assert complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(days=2)) == []
    assert (
        len(complaints.overdue_complaints(service, MONDAY_MORNING + timedelta(days=3, hours=1)))
        == 1
    )


def test_answering_counts_as_first_contact(db, service, customer_id, clock) -> None:
    complaint = _complaint(db, _register(service, customer_id))
    clock.advance(minutes=8)
    answered = complaints.record_answer(service, complaint.id, "已解释维修周期")
    assert answered.first_contact_at == answered.answered_at
    with pytest.raises(Conflict):
        complaints.record_answer(service, complaint.id, "again")


def test_valid_complaints_are_counted_in_the_centers_month(db, service, customer_id, clock) -> None:
    clock.set(datetime(2026, 10, 31, 17, 0, tzinfo=UTC))  # 1 November 01:00 in Shenzhen
    _register(service, customer_id, category=ComplaintCategory.PRICING)
    clock.set(datetime(2026, 10, 31, 15, 0, tzinfo=UTC))  # 31 October 23:00 in Shenzhen
    _register(service, customer_id, category=ComplaintCategory.TURNAROUND)
    clock.set(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    _register(service, customer_id, category=ComplaintCategory.REPAIR_QUALITY)
    _register(service, customer_id, category=ComplaintCategory.OTHER)  # not valid
    assert complaints.valid_complaints_in_month(service, 2026, 11) == 2
    assert complaints.valid_complaints_in_month(service, 2026, 10) == 1
    assert complaints.valid_complaints_in_month(service, 2026, 12) == 0


# --- Deadlines in working hours ---------------------------------------------------------------


def _set(db, **values: object) -> None:
    from app.models import Setting

    with db.transaction() as session:
        for key, value in values.items():
            session.add(Setting(key=key, value=value))


def test_the_clocks_follow_the_settings(db, service, customer_id) -> None:
    _set(db, **{"complaints.first_contact_minutes": 30, "complaints.answer_hours": 8})
    complaint = _complaint(db, _register(service, customer_id))
    assert complaint.first_contact_due == MONDAY_MORNING + timedelta(minutes=30)
    assert complaint.answer_due == MONDAY_MORNING + timedelta(hours=8)


def test_in_working_hours_a_friday_evening_complaint_is_answered_after_the_weekend(
    db, service, customer_id, clock
) -> None:
    _set(
        db,
        **{
            "complaints.clocks_in_working_hours": True,
            "center.workday_start": "09:00",
            "center.workday_end": "18:00",
        },
    )
    clock.set(datetime(2026, 11, 6, 9, 55, tzinfo=UTC))  # Friday 17:55 in Shenzhen
    complaint = _complaint(db, _register(service, customer_id))
    # 5 minutes on Friday, 5 on Monday morning from 09:00.
    assert complaint.first_contact_due == datetime(2026, 11, 9, 1, 5, tzinfo=UTC)
    # 24 working hours: 5 min Friday, 9 h Monday, 9 h Tuesday, 5 h 55 min on Wednesday.
    assert complaint.answer_due == datetime(2026, 11, 11, 6, 55, tzinfo=UTC)


def test_working_hours_skip_holidays(db, service, customer_id, clock) -> None:
    _set(db, **{"complaints.clocks_in_working_hours": True, "center.workday_start": "09:00"})
    with db.transaction() as session:
        session.add(CalendarDay(day=date(2026, 11, 3), kind=CalendarDayKind.HOLIDAY))
    clock.set(datetime(2026, 11, 2, 9, 55, tzinfo=UTC))  # Monday 17:55, Tuesday a holiday
    complaint = _complaint(db, _register(service, customer_id))
    assert complaint.first_contact_due == datetime(2026, 11, 4, 1, 5, tzinfo=UTC)  # Wed 09:05


def test_time_left_counts_down_to_the_next_step_and_goes_negative(
    db, service, customer_id, clock
) -> None:
    number = _register(service, customer_id)
    (row,) = complaints.register_rows(service)
    assert row.complaint_no == number
    assert row.time_left(clock.now()) == timedelta(minutes=10)
    complaints.record_first_contact(service, row.id)
    (row,) = complaints.register_rows(service)
    assert row.next_deadline()[1] == "handler named"
    _name_handler(db, service, row.id)
    (row,) = complaints.register_rows(service)
    assert row.next_deadline()[1] == "answer"
    clock.advance(hours=25)
    assert row.time_left(clock.now()) == -timedelta(hours=1)
    assert row.is_overdue(clock.now())
    assert complaints.count_overdue(service, clock.now()) == 1


# --- Handling: approval gate, settlement, closing --------------------------------------------


def _handled(db, service, customer_id, grade=ComplaintGrade.B) -> int:
    complaint = _complaint(db, _register(service, customer_id, grade=grade))
    complaints.assign_handling(
        service,
        complaint.id,
        responsible_person="李工",
        department_id=None,
        expected_version=complaint_version(service, complaint.id),
    )
    complaints.record_facts(
        service,
        complaint.id,
        "维修后未做老化测试即发货",
        expected_version=complaint_version(service, complaint.id),
    )
    complaints.propose_remedies(
        service,
        complaint.id,
        "免费重新维修",
        "更换新机",
        expected_version=complaint_version(service, complaint.id),
    )
    return complaint.id


def test_unapproved_remedies_cannot_be_offered(db, service, customer_id, supervisor) -> None:
    complaint_id = _handled(db, service, customer_id)
    with pytest.raises(IllegalTransition):
        complaints.record_choice(
            service,
            complaint_id,
            "免费重新维修",
            expected_version=complaint_version(service, complaint_id),
        )
    with pytest.raises(PermissionDenied):
        complaints.approve_remedies(
            service, complaint_id, expected_version=complaint_version(service, complaint_id)
        )
    complaints.approve_remedies(
        supervisor, complaint_id, expected_version=complaint_version(supervisor, complaint_id)
    )
    with pytest.raises(InvalidInput):
        complaints.record_choice(
            service, complaint_id, "退款", expected_version=complaint_version(service, complaint_id)
        )  # not one of the two
    complaints.record_choice(
        service, complaint_id, "更换新机", expected_version=complaint_version(service, complaint_id)
    )
    assert _complaint(db, "CP202611020001").chosen_remedy == "更换新机"


def test_changing_the_remedies_withdraws_the_approval(db, service, customer_id, supervisor) -> None:
    complaint_id = _handled(db, service, customer_id)
    complaints.approve_remedies(
        supervisor, complaint_id, expected_version=complaint_version(supervisor, complaint_id)
    )
    complaints.propose_remedies(
        service,
        complaint_id,
        "免费重新维修",
        "退款",
        expected_version=complaint_version(service, complaint_id),
    )
    with pytest.raises(IllegalTransition):
        complaints.record_choice(
            service, complaint_id, "退款", expected_version=complaint_version(service, complaint_id)
        )


def test_settling_books_a_follow_up_call_within_three_working_days(
    db, service, customer_id, supervisor, clock
) -> None:
    complaint_id = _handled(db, service, customer_id)
    with pytest.raises(IllegalTransition):
        complaints.settle_complaint(
            service,
            complaint_id,
            outcome="已换机",
            customer_accepted=True,
            expected_version=complaint_version(service, complaint_id),
        )
    complaints.approve_remedies(
        supervisor, complaint_id, expected_version=complaint_version(supervisor, complaint_id)
    )
    complaints.record_choice(
        service, complaint_id, "更换新机", expected_version=complaint_version(service, complaint_id)
    )
    complaints.settle_complaint(
        service,
        complaint_id,
        outcome="已换机",
        customer_accepted=True,
        expected_version=complaint_version(service, complaint_id),
    )
    complaint = _complaint(db, "CP202611020001")
    assert complaint.status is ComplaintStatus.SETTLED
    assert complaint.answered_at == MONDAY_MORNING
    with db.read() as session:
        (follow_up,) = session.scalars(select(FollowUp)).all()
    assert follow_up.kind is FollowUpKind.AFTER_COMPLAINT
    assert follow_up.complaint_id == complaint_id
    # Monday → Thursday, 18:00 in Shenzhen.
    assert follow_up.due_at == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def _settled(db, service, customer_id, supervisor, accepted: bool) -> int:
    complaint_id = _handled(db, service, customer_id)
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
        customer_accepted=accepted,
        expected_version=complaint_version(service, complaint_id),
    )
    return complaint_id


def test_a_complaint_closes_when_the_customer_accepts(db, service, customer_id, supervisor) -> None:
    complaint_id = _settled(db, service, customer_id, supervisor, accepted=True)
    complaints.close_complaint(
        service, complaint_id, expected_version=complaint_version(service, complaint_id)
    )
    complaint = _complaint(db, "CP202611020001")
    assert complaint.status is ComplaintStatus.CLOSED
    assert complaint.closed_by_id == service.user_id


def test_without_acceptance_only_a_supervisor_closes_and_with_a_reason(
    db, service, customer_id, supervisor
) -> None:
    complaint_id = _settled(db, service, customer_id, supervisor, accepted=False)
    with pytest.raises(IllegalTransition):
        complaints.close_complaint(
            service, complaint_id, expected_version=complaint_version(service, complaint_id)
        )
    with pytest.raises(InvalidInput):
        complaints.close_complaint(
            supervisor,
            complaint_id,
            reason="  ",
            expected_version=complaint_version(supervisor, complaint_id),
        )
    complaints.close_complaint(
        supervisor,
        complaint_id,
        reason="客户无理要求,已按政策处理",
        expected_version=complaint_version(supervisor, complaint_id),
    )
    complaint = _complaint(db, "CP202611020001")
    assert complaint.status is ComplaintStatus.CLOSED
    assert complaint.close_reason == "客户无理要求,已按政策处理"
    with pytest.raises(Conflict):
        complaints.close_complaint(
            supervisor,
            complaint_id,
            reason="again",
            expected_version=complaint_version(supervisor, complaint_id),
        )


def test_an_open_complaint_is_not_closed_by_service(db, service, customer_id) -> None:
    complaint = _complaint(db, _register(service, customer_id))
    with pytest.raises(IllegalTransition):
        complaints.close_complaint(
            service,
            complaint.id,
            reason="客户撤诉",
            expected_version=complaint_version(service, complaint.id),
        )


def test_a_supervisor_overrules_validity_with_a_reason(
    db, service, customer_id, supervisor
) -> None:
    complaint = _complaint(db, _register(service, customer_id))
    assert complaint.is_valid
    with pytest.raises(PermissionDenied):
        complaints.overrule_validity(
            service,
            complaint.id,
            is_valid=False,
            reason="x",
            expected_version=complaint_version(service, complaint.id),
        )
    with pytest.raises(InvalidInput):
        complaints.overrule_validity(
            supervisor,
            complaint.id,
            is_valid=False,
            reason="",
            expected_version=complaint_version(supervisor, complaint.id),
        )
    complaints.overrule_validity(
        supervisor,
        complaint.id,
        is_valid=False,
        reason="客户误会",
        expected_version=complaint_version(supervisor, complaint.id),
    )
    complaint = _complaint(db, complaint.complaint_no)
    assert not complaint.is_valid and complaint.validity_override_reason == "客户误会"


# --- The two flags ------------------------------------------------------------------------------


def test_three_after_sales_problems_flag_the_customer(
    db, service, customer_id, clock, supervisor
) -> None:
    other = add_customer(db, service, "李四", "13900139000")
    _register(service, customer_id)
    _register(service, customer_id)
    _register(service, other)
    assert complaints.customers_with_three_problems(service, clock.now()) == []
    add_model(db)
    order = receive(supervisor, customer_id, 1)
    with db.transaction() as session:
        session.get(RepairOrder, order.order_id).is_rework = True
    (flagged,) = complaints.customers_with_three_problems(service, clock.now())
    assert (flagged.name, flagged.complaints, flagged.reworks) == ("张三", 2, 1)
    assert complaints.after_sales_problems(service, customer_id, clock.now()) == 3
    clock.advance(days=366)  # a year later the slate is clean
    assert complaints.customers_with_three_problems(service, clock.now()) == []


def test_two_valid_complaints_in_a_month_raise_the_warning(db, service, customer_id, clock) -> None:
    _register(service, customer_id, category=ComplaintCategory.OTHER)  # not valid
    _register(service, customer_id)
    assert complaints.valid_complaints_warning(service, clock.now()) is None
    _register(service, customer_id, category=ComplaintCategory.PRICING)
    assert complaints.valid_complaints_warning(service, clock.now()) == 2
    clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))  # a new month in Shenzhen
    assert complaints.valid_complaints_warning(service, clock.now()) is None


def test_the_register_puts_the_nearest_deadline_first_not_the_oldest_complaint(
    db, service, customer_id, clock
) -> None:
    contacted = _register(service, customer_id)  # called back, handler named: next, the answer
    contacted_id = complaints.register_rows(service)[0].id
    complaints.record_first_contact(service, contacted_id)
    _name_handler(db, service, contacted_id)
    clock.advance(hours=1)
    waiting_longest = _register(service, customer_id)  # first contact due in 10 minutes
    clock.advance(hours=1)
    waiting = _register(service, customer_id)
    clock.advance(minutes=30)  # both calls back are now overdue, the earlier one the longest
    rows = complaints.register_rows(service)
    assert [row.complaint_no for row in rows] == [waiting_longest, waiting, contacted]
    assert [row.is_overdue(clock.now()) for row in rows] == [True, True, False]
