"""A station escalates a hard complaint to headquarters with a reason; headquarters takes it from
its worklist and answers with a decision and a note; the station reads the answer on the
complaint. Each step is audited and saved only over the version its form loaded. (One database:
the station is center 1, headquarters a second center its users belong to.)"""

from __future__ import annotations

import pytest
from factories import add_customer, move_users
from sqlalchemy import select, update

from app import complaints
from app.complaints.escalation import escalate_complaint, escalations_of
from app.errors import Conflict, InvalidInput, PermissionDenied, SignedOut
from app.headquarters.escalations import answer_escalation, take_escalation, worklist
from app.models import (
    AuditEntry,
    Center,
    CenterKind,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    EscalationDecision,
    EscalationStatus,
    Role,
    UserRole,
)


@pytest.fixture
def hq(db, make_user):
    """Two supervisors whose home center is headquarters (a center of its own)."""
    with db.transaction() as session:
        center = Center(code="HQ", name="服务管理部", kind=CenterKind.HEADQUARTERS)
        session.add(center)
        session.flush()
        center_id = center.id
    people = [make_user(Role.SUPERVISOR, username=name) for name in ("hq-li", "hq-wang")]
    with db.transaction() as session:
        move_users(session, [person.user_id for person in people], center_id)
    return people


def _complaint(db, station) -> tuple[int, int]:
    customer = add_customer(db, station)
    number = complaints.register_complaint(
        station,
        customer_id=customer,
        channel=ComplaintChannel.PHONE,
        description="同一故障修了三次仍未解决",
        customer_request="换新机",
        grade=ComplaintGrade.C,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with db.read() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.complaint_no == number))
        return complaint.id, complaint.version


def test_escalated_taken_answered_and_read_by_the_station(db, make_user, hq, clock) -> None:
    station = make_user(Role.SUPERVISOR, username="station-boss")
    li, wang = hq
    complaint_id, version = _complaint(db, station)
    with pytest.raises(InvalidInput):
        escalate_complaint(station, complaint_id, "  ", expected_version=version)
    with pytest.raises(Conflict):  # a form of an older version of the complaint
        escalate_complaint(station, complaint_id, "客户要求换机", expected_version=version - 1)
    escalation_id = escalate_complaint(
        station, complaint_id, "同一投诉已处理三次无法解决,客户要求换机", expected_version=version
    )
    with pytest.raises(Conflict):  # one waits for headquarters at a time
        escalate_complaint(station, complaint_id, "再次上报", expected_version=version)
    [seen] = escalations_of(station, complaint_id)
    assert (seen.id, seen.status, seen.reply_version) == (
        escalation_id,
        EscalationStatus.WAITING,
        0,
    )

    with pytest.raises(PermissionDenied):  # the station's supervisor has no worklist
        worklist(station)
    [row] = worklist(li)
    assert (row.center_code, row.escalation.reason) == (
        "C1",
        "同一投诉已处理三次无法解决,客户要求换机",
    )
    assert row.grade is ComplaintGrade.C and row.customer == "张三"
    assert row.status is EscalationStatus.WAITING

    clock.advance(minutes=30)
    take_escalation(li, escalation_id, expected_version=0)
    with pytest.raises(Conflict, match="hq-li|taken"):  # wang's worklist still showed it waiting
        take_escalation(wang, escalation_id, expected_version=0)
    [row] = worklist(wang)
    assert row.status is EscalationStatus.TAKEN and row.taken_by == "hq-li"
    take_escalation(wang, escalation_id, expected_version=1)  # taken over, as wang saw it
    [row] = worklist(li)
    assert row.taken_by == "hq-wang" and row.escalation.reply_version == 2
    assert escalations_of(station, complaint_id)[0].status is EscalationStatus.TAKEN

    answer = {"decision": EscalationDecision.GUIDANCE}
    with pytest.raises(InvalidInput):
        answer_escalation(wang, escalation_id, note="", expected_version=2, **answer)
    with pytest.raises(Conflict):  # answered from a worklist loaded before the takeover
        answer_escalation(li, escalation_id, note="x", expected_version=1, **answer)
    answer_escalation(
        wang, escalation_id, note="同意为客户更换新机,费用由总部承担", expected_version=2, **answer
    )
    with pytest.raises(Conflict):
        answer_escalation(li, escalation_id, note="再答", expected_version=3, **answer)
    with pytest.raises(Conflict):  # answered: no longer taken over
        take_escalation(li, escalation_id, expected_version=3)

    assert worklist(li) == []  # answered: off the worklist
    [row] = worklist(li, answered=True)
    assert row.answered_by == "hq-wang"
    [seen] = escalations_of(station, complaint_id)
    assert seen.status is EscalationStatus.ANSWERED
    assert (seen.decision, seen.note) == (
        EscalationDecision.GUIDANCE,
        "同意为客户更换新机,费用由总部承担",
    )
    assert seen.answered_at == clock.now()

    # answered: the station may escalate it again
    escalate_complaint(station, complaint_id, "客户不接受,再次上报", expected_version=version)
    assert [e.status for e in escalations_of(station, complaint_id)] == [
        EscalationStatus.ANSWERED,
        EscalationStatus.WAITING,
    ]
    with db.read() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("%escalat%"))
            .order_by(AuditEntry.id)
        ).all()
    assert actions == [
        "escalate_complaint",
        "take_escalation",
        "take_escalation",
        "answer_escalation",
        "escalate_complaint",
    ]


def test_headquarters_permission_is_checked_live(db, make_user, hq) -> None:
    station = make_user(Role.SUPERVISOR, username="station-boss")
    li, _ = hq
    complaint_id, version = _complaint(db, station)
    escalation_id = escalate_complaint(station, complaint_id, "重大投诉", expected_version=version)
    with db.transaction() as session:  # li is no longer a supervisor
        session.execute(
            update(UserRole).where(UserRole.user_id == li.user_id).values(role=Role.RECEIVING_CLERK)
        )
    with pytest.raises(SignedOut):
        take_escalation(li, escalation_id, expected_version=0)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    with pytest.raises(PermissionDenied):
        escalate_complaint(clerk, complaint_id, "重大投诉", expected_version=version)
