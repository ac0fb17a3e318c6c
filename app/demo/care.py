"""The demo's customer care: the staff and the department tree the accountability rules walk, the
customers' consent to text messages, the notices sent by hand each afternoon, the satisfaction
survey asked in each after-repair call, and the figures a settled complaint's accountability is
computed on (the lines follow when it is closed valid).

Draws come from the demo's own care generator (``care_rng``), never the floor's: the floor's
month — its orders, times and figures — is the same with or without this part.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import complaints
from app.complaints import accountability, notice_events, notices, survey
from app.complaints.notices import NoticeStatus
from app.complaints.watch import complaint_version
from app.context import Context
from app.models import Complaint, ComplaintGrade, ComplaintStatus, Department, StaffMember

# (code, name, kind, department, user name): the users at the desks, and staff who never sign in.
STAFF = (
    ("GM01", "黄国栋", "staff", "总经理室", None),
    ("S001", "陈志强", "user", "维修部", "supervisor"),
    ("T001", "王建军", "user", "维修部", "tech1"),
    ("T002", "李明辉", "user", "维修部", "tech2"),
    ("T003", "张伟", "user", "维修部", "tech3"),
    ("P001", "赵丽娟", "user", "物料部", "parts"),
    ("C001", "吴婷婷", "user", "客服部", "service"),
    ("R001", "刘晓燕", "user", "收发部", "receiving"),
    ("H001", "周小红", "user", "收发部", "shipping"),
    ("Q001", "孙浩", "user", "QC部", "qc"),
    ("M001", "钱立新", "sales_rep", "客服部", None),
    ("D001", "郑师傅", "driver", "收发部", None),
)
# Department → (parent, head's staff code): the chain of superiors.
TREE = {
    "总经理室": (None, "GM01"),
    "维修部": ("总经理室", "S001"),
    "物料部": ("维修部", "P001"),
    "客服部": ("总经理室", "C001"),
    "收发部": ("维修部", "R001"),
    "QC部": ("维修部", "Q001"),
}
# Who a complaint is laid at (the floor draws one of three, as it always did).
RESPONSIBLE = ("T002", "T001", "R001")
# What the accountability rules are computed on, per grade (service amount, refund; in cents).
FIGURES = {
    ComplaintGrade.A: (0, 0),
    ComplaintGrade.B: (35_000, 0),
    ComplaintGrade.C: (48_000, 48_000),
}
CONSENT_SHARE = 0.7  # customers who agreed to text messages when first registered
SURVEY_ITEMS_LOW = (2, 3)


def add_staff(session: Session) -> None:
    """The department tree and the staff list (in the catalogue's transaction)."""
    known = {d.name: d for d in session.scalars(select(Department))}
    for code, name, kind, department, username in STAFF:
        session.add(
            StaffMember(code=code, name=name, kind=kind, department=department, username=username)
        )
    for name, (parent, head) in TREE.items():
        row = known.get(name) or Department(name=name)
        row.parent, row.head = parent, head
        session.add(row)


def staff_id(ctx: Context, code: str) -> int:
    with ctx.db.read() as session:
        found = session.scalar(select(StaffMember.id).where(StaffMember.code == code))
    assert found is not None, code
    return found


def record_consents(service: Context, customer_ids: Sequence[int], rng: random.Random) -> None:
    for customer_id in customer_ids:
        if rng.random() < CONSENT_SHARE:
            notices.record_consent(service, customer_id, consents=True, expected_version=0)


def record_figures(service: Context, complaint_id: int, code: str) -> None:
    """The person responsible and the figures, recorded with the facts."""
    with service.db.read() as session:
        grade = session.scalar(select(Complaint.grade).where(Complaint.id == complaint_id))
    assert grade is not None
    service_cents, refund_cents = FIGURES[grade]
    accountability.record_accountability(
        service,
        complaint_id,
        staff_id=staff_id(service, code),
        items_below_standard=1,
        service_amount_cents=service_cents,
        refund_amount_cents=refund_cents,
        expected_version=complaint_version(service, complaint_id),
    )


def notice_round(service: Context, since: datetime) -> None:
    """Customer service's afternoon: what was queued before ``since`` was sent from the desk's
    phone (no provider in the demo), then the day's events queued for tomorrow."""
    waiting = notices.outbox(service, statuses=(NoticeStatus.QUEUED,), limit=10_000)
    for row in waiting:
        if row.created_at < since:
            notices.mark_sent_by_hand(service, row.id, expected_version=row.version)
    notice_events.queue_due_notices(service)


def survey_call(service: Context, follow_up_id: int, satisfied: bool, rng: random.Random) -> None:
    """The after-repair call with its questionnaire: every item 4 or 5 when satisfied, one item
    low when not (an apology call follows)."""
    items, _floor = survey.questionnaire(service)
    scores = {item: rng.choice((4, 5, 5)) for item in items}
    if not satisfied:
        scores[rng.choice(items)] = rng.choice(SURVEY_ITEMS_LOW)
    survey.record_survey(
        service,
        follow_up_id,
        scores,
        comment="客户满意" if satisfied else "客户对等待时间不太满意",
    )


def close_accepted_valid(service: Context, now: datetime) -> None:
    """A valid complaint settled with the customer's acceptance a day ago or more is closed:
    its accountability lines join the month's sheet (the follow-up call still follows)."""
    with service.db.read() as session:
        ids = session.scalars(
            select(Complaint.id).where(
                Complaint.status == ComplaintStatus.SETTLED,
                Complaint.is_valid.is_(True),
                Complaint.customer_accepted.is_(True),
                Complaint.settled_at < now - timedelta(hours=20),
            )
        ).all()
    for complaint_id in ids:
        complaints.close_complaint(
            service, complaint_id, expected_version=complaint_version(service, complaint_id)
        )


def apology_round(service: Context, now: datetime) -> None:
    """The apology calls booked yesterday, made this afternoon (within their 24 hours)."""
    for task in survey.apology_calls(service):
        if task.due_at <= now + timedelta(hours=6):
            survey.record_apology_call(service, task.id, "已致电道歉并说明改进措施,客户表示理解")
