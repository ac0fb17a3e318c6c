"""The next step of a complaint shows itself: 联系 → 核实 → 方案待批 → 客户选择 → 道歉信 → 回访, one
step reachable at a time, the agent told whom they wait for, the first-contact clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_customer

from app import complaints
from app.complaints import followups
from app.complaints.steps import (
    STEPS,
    ComplaintStep,
    HandlingAction,
    complaint_progress,
    handling_progress,
)
from app.complaints.watch import complaint_version
from app.context import Context
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    Role,
)

RECEIVED = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _complaint(**fields: object) -> Complaint:
    values: dict[str, object] = {
        "status": ComplaintStatus.OPEN,
        "grade": ComplaintGrade.B,
        "received_at": RECEIVED,
        "first_contact_due": RECEIVED + timedelta(minutes=10),
    }
    values.update(fields)
    return Complaint(**values)


HANDLED = {
    "first_contact_at": RECEIVED,
    "responsible_person": "李工",
    "facts": "返修时漏装螺丝",
    "remedy_1": "免费重修",
    "remedy_2": "退还维修费",
}


def _current(complaint: Complaint, *, can_approve: bool = False, called: bool = False):
    return complaint_progress(complaint, follow_up_done=called, can_approve=can_approve)


def test_each_step_is_reached_in_turn_and_only_its_button_is_pressable() -> None:
    walk = [
        (_complaint(), ComplaintStep.CONTACT),
        (_complaint(first_contact_at=RECEIVED), ComplaintStep.VERIFY),
        (_complaint(first_contact_at=RECEIVED, facts="x", remedy_1="a"), ComplaintStep.VERIFY),
        (_complaint(**HANDLED), ComplaintStep.APPROVAL),
        (_complaint(**HANDLED, remedies_approved_at=RECEIVED), ComplaintStep.CHOICE),
        (
            _complaint(**HANDLED, remedies_approved_at=RECEIVED, chosen_remedy="免费重修"),
            ComplaintStep.LETTER,
        ),
        (_complaint(**HANDLED, status=ComplaintStatus.SETTLED), ComplaintStep.FOLLOW_UP),
    ]
    for complaint, expected in walk:
        progress = _current(complaint, can_approve=True)
        assert progress.current is expected
        assert progress.done == frozenset(STEPS[: STEPS.index(expected)])
        assert [s for s in STEPS if progress.can_press(s)] == [expected]


def test_an_agent_waits_for_the_supervisor_and_is_told_who_and_where() -> None:
    waiting = complaint_progress(
        _complaint(**HANDLED), follow_up_done=False, can_approve=False, supervisors=("王主管",)
    )
    assert waiting.current is ComplaintStep.APPROVAL and waiting.waiting_for_supervisor
    assert not any(waiting.can_press(step) for step in STEPS)
    assert HandlingAction.APPROVE not in waiting.actions
    assert HandlingAction.SAVE in waiting.actions  # the remedies may still be changed
    assert waiting.hint_params == {"names": "王主管"}
    assert "supervisor" in waiting.hint and "Handling" in waiting.hint
    approving = _current(_complaint(**HANDLED), can_approve=True)
    assert approving.can_press(ComplaintStep.APPROVAL) and not approving.waiting_for_supervisor


def test_a_grade_a_complaint_has_no_letter_but_is_settled() -> None:
    chosen = {**HANDLED, "remedies_approved_at": RECEIVED, "chosen_remedy": "免费重修"}
    phone = _current(_complaint(**chosen, grade=ComplaintGrade.A))
    assert phone.current is ComplaintStep.LETTER
    assert HandlingAction.SETTLE in phone.actions and HandlingAction.LETTER not in phone.actions
    letter = _current(_complaint(**chosen, grade=ComplaintGrade.C))
    assert {HandlingAction.LETTER, HandlingAction.SETTLE} <= letter.actions


def test_after_the_call_back_only_closing_is_left_and_a_closed_one_has_nothing() -> None:
    settled = _complaint(**HANDLED, status=ComplaintStatus.SETTLED)
    called = _current(settled, called=True)
    assert called.current is None and called.done == frozenset(STEPS)
    assert HandlingAction.CLOSE in called.actions
    closed = _current(_complaint(**HANDLED, status=ComplaintStatus.CLOSED), can_approve=True)
    assert closed.current is None and HandlingAction.CLOSE not in closed.actions


def test_the_first_contact_countdown_runs_only_until_contact() -> None:
    fresh = _current(_complaint())
    assert fresh.first_contact_left(RECEIVED + timedelta(minutes=3)) == timedelta(minutes=7)
    assert fresh.first_contact_left(RECEIVED + timedelta(minutes=12)) == timedelta(minutes=-2)
    assert _current(_complaint(first_contact_at=RECEIVED)).first_contact_left(RECEIVED) is None


@pytest.fixture
def service(make_user: Callable[..., Context], clock) -> Context:
    clock.set(RECEIVED)
    return make_user(Role.CUSTOMER_SERVICE, username="service", display_name="客服小林")


def test_the_progress_follows_the_services_to_the_call_back(db, service, make_user) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="王主管")
    customer_id = add_customer(db, service)
    complaints.register_complaint(
        service,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="返修后仍不开机",
        customer_request="重修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    (row,) = complaints.register_rows(service)
    cid = row.id

    def version(ctx: Context = service) -> int:
        return complaint_version(ctx, cid)

    assert handling_progress(service, cid).current is ComplaintStep.CONTACT
    complaints.record_first_contact(service, cid)
    complaints.assign_handling(
        service, cid, responsible_person="李工", department_id=None, expected_version=version()
    )
    complaints.record_facts(service, cid, "漏装螺丝", expected_version=version())
    complaints.propose_remedies(service, cid, "免费重修", "退还维修费", expected_version=version())
    waiting = handling_progress(service, cid)
    assert waiting.current is ComplaintStep.APPROVAL and waiting.hint_params == {"names": "王主管"}
    assert handling_progress(boss, cid).can_press(ComplaintStep.APPROVAL)
    complaints.approve_remedies(boss, cid, expected_version=version(boss))
    assert handling_progress(service, cid).current is ComplaintStep.CHOICE
    complaints.record_choice(service, cid, "免费重修", expected_version=version())
    assert handling_progress(service, cid).current is ComplaintStep.LETTER
    complaints.settle_complaint(
        service, cid, outcome="已重修", customer_accepted=True, expected_version=version()
    )
    assert handling_progress(service, cid).current is ComplaintStep.FOLLOW_UP
    (call,) = [c for c in followups.worklist(service) if c.complaint_no == row.complaint_no]
    followups.record_call(service, call.id, reached=True, satisfied=True)
    assert handling_progress(service, cid).current is None
