"""Complaint registration: the deadlines (clocks) and validity, first contact, the answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app import audit, numbering, settings, values, versions
from app.audit_actions import AuditAction
from app.care_settings import HANDLER_WITHIN_MINUTES
from app.context import Context
from app.errors import N_, Conflict, NotFound
from app.localtime import center_zone
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintOrder,
    ComplaintStatus,
    Customer,
    RepairOrder,
)
from app.permissions import Permission
from app.workcal import WorkCalendar

FIRST_CONTACT_WITHIN = timedelta(minutes=10)
ANSWER_WITHIN = timedelta(hours=24)
SEVERE_SETTLE_WORKING_DAYS = 3

VALID_CATEGORIES: frozenset[ComplaintCategory] = frozenset(
    {
        ComplaintCategory.REPAIR_QUALITY,
        ComplaintCategory.ATTITUDE,
        ComplaintCategory.TURNAROUND,
        ComplaintCategory.PARTS_SUPPLY,
        ComplaintCategory.PRICING,
    }
)


ACTION_OF_FIELD = {
    "first_contact_at": AuditAction.COMPLAINT_FIRST_CONTACT,
    "answered_at": AuditAction.COMPLAINT_ANSWER,
    "settled_at": AuditAction.SETTLE_COMPLAINT,
}


def counts_against_the_center(category: ComplaintCategory) -> bool:
    """Valid by its subject alone; loss / damage and other become valid only if handled late."""
    return category in VALID_CATEGORIES


@dataclass(frozen=True)
class Clocks:
    """The complaint clocks as the settings say today."""

    first_contact: timedelta = FIRST_CONTACT_WITHIN
    answer: timedelta = ANSWER_WITHIN
    settle_working_days: int = SEVERE_SETTLE_WORKING_DAYS
    working_hours_only: bool = False
    day_start: time = time(8, 30)
    day_end: time = time(18, 0)

    @classmethod
    def load(cls, session: Session) -> Clocks:
        return cls(
            first_contact=timedelta(
                minutes=settings.get(session, settings.COMPLAINT_FIRST_CONTACT_MINUTES)
            ),
            answer=timedelta(hours=settings.get(session, settings.COMPLAINT_ANSWER_HOURS)),
            settle_working_days=settings.get(session, settings.COMPLAINT_SETTLE_WORKING_DAYS),
            working_hours_only=settings.get(session, settings.COMPLAINT_CLOCKS_IN_WORKING_HOURS),
            day_start=settings.get(session, settings.WORKDAY_START),
            day_end=settings.get(session, settings.WORKDAY_END),
        )


def add_working_time(
    calendar: WorkCalendar, start: datetime, span: timedelta, day_start: time, day_end: time
) -> datetime:
    """``span`` of working time after ``start``: only working days, only opening hours count."""
    tz = calendar.tz
    cursor = start.astimezone(tz)
    remaining = span
    while True:
        opening = datetime.combine(cursor.date(), day_start, tz)
        closing = datetime.combine(cursor.date(), day_end, tz)
        if not calendar.is_working_day(cursor.date()) or cursor >= closing:
            next_day = cursor.date() + timedelta(days=1)
            while not calendar.is_working_day(next_day):
                next_day += timedelta(days=1)
            cursor = datetime.combine(next_day, day_start, tz)
            continue
        cursor = max(cursor, opening)
        if cursor + remaining <= closing:
            return (cursor + remaining).astimezone(start.tzinfo)
        remaining -= closing - cursor
        cursor = closing


def compute_deadlines(
    clocks: Clocks, calendar: WorkCalendar, received_at: datetime, grade: ComplaintGrade
) -> tuple[datetime, datetime, datetime | None]:
    """(first contact due, answer due, settle due — grade C only) for a complaint received then."""
    if clocks.working_hours_only:
        first = add_working_time(
            calendar, received_at, clocks.first_contact, clocks.day_start, clocks.day_end
        )
        answer = add_working_time(
            calendar, received_at, clocks.answer, clocks.day_start, clocks.day_end
        )
    else:
        first, answer = received_at + clocks.first_contact, received_at + clocks.answer
    settle = None
    if grade is ComplaintGrade.C:
        settle = calendar.add_working_days(received_at, clocks.settle_working_days)
    return first, answer, settle


def _check_order_ids(session: Session, order_ids: list[int]) -> None:
    if not order_ids:
        return
    found = set(session.scalars(select(RepairOrder.id).where(RepairOrder.id.in_(order_ids))))
    missing = [order_id for order_id in order_ids if order_id not in found]
    if missing:
        raise NotFound(
            N_("There is no repair order with id {id}. Scan the order label again."),
            id=missing[0],
        )


def register_complaint(
    ctx: Context,
    *,
    customer_id: int,
    channel: ComplaintChannel,
    description: str,
    customer_request: str | None,
    grade: ComplaintGrade,
    category: ComplaintCategory,
    order_ids: Iterable[int] = (),
) -> str:
    """Register a complaint in the register (客怨处理登记表); returns its number (CP…)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        return register_in(
            session,
            ctx,
            customer_id=customer_id,
            channel=channel,
            description=description,
            customer_request=customer_request,
            grade=grade,
            category=category,
            order_ids=order_ids,
        )


def register_in(
    session: Session,
    ctx: Context,
    *,
    customer_id: int,
    channel: ComplaintChannel,
    description: str,
    customer_request: str | None,
    grade: ComplaintGrade,
    category: ComplaintCategory,
    order_ids: Iterable[int] = (),
) -> str:
    """Registration inside the caller's transaction (a follow-up call can open a complaint)."""
    description = values.clean_text(
        description,
        max_length=values.MAX_NOTE_LENGTH,
        multiline=True,
        required=N_("Write down what happened, in the customer's words."),
    )
    request = values.optional_text(
        customer_request, max_length=values.MAX_NOTE_LENGTH, multiline=True
    )
    order_ids = list(dict.fromkeys(order_ids))
    now = ctx.now()
    if session.get(Customer, customer_id) is None:
        raise NotFound(N_("Choose the customer who complains."))
    _check_order_ids(session, order_ids)
    first_due, answer_due, settle_due = compute_deadlines(
        Clocks.load(session), WorkCalendar.load(session), now, grade
    )
    complaint = Complaint(
        complaint_no=numbering.next_number(session, "CP", now),
        customer_id=customer_id,
        channel=channel,
        description=description,
        customer_request=request,
        grade=grade,
        category=category,
        is_valid=counts_against_the_center(category),
        status=ComplaintStatus.OPEN,
        received_at=now,
        received_by_id=ctx.user_id,
        first_contact_due=first_due,
        answer_due=answer_due,
        settle_due=settle_due,
        handler_due=now + timedelta(minutes=settings.get(session, HANDLER_WITHIN_MINUTES)),
    )
    session.add(complaint)
    session.flush()
    session.add_all(
        ComplaintOrder(complaint_id=complaint.id, order_id=order_id) for order_id in order_ids
    )
    after = {
        "grade": grade,
        "category": category,
        "channel": channel,
        "is_valid": complaint.is_valid,
    }
    # One row per order concerned, so each order's history shows the complaint.
    concerned: list[int | None] = [*order_ids] or [None]
    for order_id in concerned:
        audit.record(
            session,
            ctx,
            AuditAction.REGISTER_COMPLAINT,
            "complaint",
            complaint.complaint_no,
            order_id=order_id,
            after=after,
            detail=description[:200],
        )
    return complaint.complaint_no


def locked_complaint(session: Session, complaint_id: int) -> Complaint:
    """The complaint, locked for this transaction's change."""
    complaint = session.scalar(
        select(Complaint).where(Complaint.id == complaint_id).with_for_update()
    )
    if complaint is None:
        raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
    return complaint


def check_complaint_version(session: Session, complaint: Complaint, expected_version: int) -> None:
    """Refuse a change made from a form that loaded an older version of the complaint."""
    versions.check(
        session,
        complaint.version,
        expected_version,
        complaint.complaint_no,
        entity="complaint",
        entity_id=complaint.complaint_no,
    )


def complaint_as_loaded(session: Session, complaint_id: int, expected_version: int) -> Complaint:
    """The complaint locked, as the form loaded it (``expected_version``)."""
    complaint = locked_complaint(session, complaint_id)
    check_complaint_version(session, complaint, expected_version)
    return complaint


def _load_open_complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = locked_complaint(session, complaint_id)
    if complaint.status is not ComplaintStatus.OPEN:
        raise Conflict(
            N_("Complaint {complaint_no} is no longer open."), complaint_no=complaint.complaint_no
        )
    return complaint


def _late(done: datetime, due: datetime | None) -> bool:
    return due is not None and done > due


def record_first_contact(ctx: Context, complaint_id: int) -> Complaint:
    """The customer has been called back. Late contact makes the complaint count as valid."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if complaint.first_contact_at is not None:
            raise Conflict(
                N_("First contact for {complaint_no} was already recorded at {time}."),
                complaint_no=complaint.complaint_no,
                time=complaint.first_contact_at.astimezone(center_zone()).strftime("%H:%M"),
            )
        _mark_done(session, ctx, complaint, "first_contact_at", complaint.first_contact_due)
        return complaint


def record_answer(ctx: Context, complaint_id: int, answer: str) -> Complaint:
    """The customer has been given a clear answer (kept in the audit row)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    answer = values.clean_text(
        answer,
        max_length=values.MAX_NOTE_LENGTH,
        multiline=True,
        required=N_("Write down the answer given to the customer."),
    )
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if complaint.answered_at is not None:
            raise Conflict(
                N_("Complaint {complaint_no} was already answered."),
                complaint_no=complaint.complaint_no,
            )
        if complaint.first_contact_at is None:  # answering is contacting
            _mark_done(session, ctx, complaint, "first_contact_at", complaint.first_contact_due)
        _mark_done(session, ctx, complaint, "answered_at", complaint.answer_due, detail=answer)
        return complaint


def _mark_done(
    session: Session,
    ctx: Context,
    complaint: Complaint,
    field: str,
    due: datetime | None,
    detail: str | None = None,
) -> None:
    now = ctx.now()
    setattr(complaint, field, now)
    late = _late(now, due)
    before = {"is_valid": complaint.is_valid}
    if late:
        complaint.is_valid = True  # handling delayed: it counts against us whatever the subject
    audit.record(
        session,
        ctx,
        ACTION_OF_FIELD[field],
        "complaint",
        complaint.complaint_no,
        before=before,
        after={field: now, "late": late, "is_valid": complaint.is_valid},
        detail=detail,
    )


def overdue_complaints(ctx: Context, now: datetime) -> Sequence[Complaint]:
    """Open complaints with a deadline passed and its step not done, oldest first."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        return session.scalars(
            select(Complaint)
            .where(Complaint.status == ComplaintStatus.OPEN, overdue_condition(now))
            .order_by(Complaint.received_at, Complaint.id)
        ).all()


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """A step of the complaint is late: its deadline passed and it is not done."""
    late_contact = and_(Complaint.first_contact_at.is_(None), Complaint.first_contact_due < now)
    late_answer = and_(Complaint.answered_at.is_(None), Complaint.answer_due < now)
    late_settlement = and_(
        Complaint.settle_due.is_not(None),
        Complaint.settled_at.is_(None),
        Complaint.settle_due < now,
    )
    late_handler = and_(
        Complaint.handler_due.is_not(None),
        Complaint.handler_assigned_at.is_(None),
        Complaint.handler_due < now,
    )
    return or_(late_contact, late_answer, late_settlement, late_handler)


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the center's local time, as aware datetimes."""
    start = datetime.combine(date(year, month, 1), time(), center_zone())
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(next_month, time(), center_zone())


def valid_complaints_in_month(ctx: Context, year: int, month: int) -> int:
    """Valid complaints received in that month (two in one month is a warning sign). A count:
    any signed-in person may read it."""
    start, end = _month_bounds(year, month)
    with ctx.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Complaint)
                .where(
                    Complaint.is_valid.is_(True),
                    Complaint.received_at >= start,
                    Complaint.received_at < end,
                )
            )
            or 0
        )
