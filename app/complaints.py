"""Complaints (客怨): registration with its deadlines, first contact, the answer, and the watch list.

The clocks start when the complaint is received (seed 000): first contact with the customer
within 10 minutes, a clear answer within 24 hours, and a severe (grade C) complaint settled
within 3 working days. A complaint counts against the center (有效投诉) when it concerns
repair quality, attitude, turnaround, parts supply or pricing, or when our handling was late.

The clocks are settings (``app.settings``: minutes, hours, working days); when
``complaints.clocks_in_working_hours`` is on, the first-contact and answer clocks run only in
the working hours of working days (a letter read on Friday at 17:55 is answered on Monday).
Handling (second half of this module): the responsible person and department, the facts, two
remedies a supervisor approves before they are offered, the customer's choice, settlement (which
books the follow-up call), and closing only on the customer's acceptance or a supervisor's reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from . import audit, numbering, settings
from .context import Context
from .db import Database
from .errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintOrder,
    ComplaintStatus,
    Customer,
    Department,
    FollowUp,
    FollowUpKind,
    RepairOrder,
)
from .permissions import Permission
from .workcal import CENTER_TIMEZONE, WorkCalendar

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
    "first_contact_at": "complaint_first_contact",
    "answered_at": "complaint_answer",
    "settled_at": "settle_complaint",
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
            day_start=_clock_time(settings.get(session, settings.WORKDAY_START), time(8, 30)),
            day_end=_clock_time(settings.get(session, settings.WORKDAY_END), time(18, 0)),
        )


def _clock_time(text: str, default: time) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return default


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
    description = description.strip()
    if not description:
        raise InvalidInput(N_("Write down what happened, in the customer's words."))
    request = (customer_request or "").strip() or None
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
    for order_id in order_ids or [None]:
        audit.record(
            session,
            ctx,
            "register_complaint",
            "complaint",
            complaint.complaint_no,
            order_id=order_id,
            after=after,
            detail=description[:200],
        )
    return complaint.complaint_no


def _load_open_complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = session.scalar(
        select(Complaint).where(Complaint.id == complaint_id).with_for_update()
    )
    if complaint is None:
        raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
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
                time=complaint.first_contact_at.astimezone(CENTER_TIMEZONE).strftime("%H:%M"),
            )
        _mark_done(session, ctx, complaint, "first_contact_at", complaint.first_contact_due)
        return complaint


def record_answer(ctx: Context, complaint_id: int, answer: str) -> Complaint:
    """The customer has been given a clear answer (kept in the audit row)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    answer = answer.strip()
    if not answer:
        raise InvalidInput(N_("Write down the answer given to the customer."))
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


def overdue_complaints(db: Database, now: datetime) -> Sequence[Complaint]:
    """Open complaints with a deadline passed and its step not done, oldest first."""
    late_contact = and_(Complaint.first_contact_at.is_(None), Complaint.first_contact_due < now)
    late_answer = and_(Complaint.answered_at.is_(None), Complaint.answer_due < now)
    late_settlement = and_(
        Complaint.settle_due.is_not(None),
        Complaint.settled_at.is_(None),
        Complaint.settle_due < now,
    )
    with db.read() as session:
        return session.scalars(
            select(Complaint)
            .where(
                Complaint.status == ComplaintStatus.OPEN,
                or_(late_contact, late_answer, late_settlement),
            )
            .order_by(Complaint.received_at, Complaint.id)
        ).all()


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the center's local time, as aware datetimes."""
    start = datetime.combine(date(year, month, 1), time(), CENTER_TIMEZONE)
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(next_month, time(), CENTER_TIMEZONE)


def valid_complaints_in_month(db: Database, year: int, month: int) -> int:
    """Valid complaints received in that month (two in one month is a warning sign)."""
    start, end = _month_bounds(year, month)
    with db.read() as session:
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


# --- Handling ---------------------------------------------------------------------------------


def _load(session: Session, complaint_id: int) -> Complaint:
    complaint = session.scalar(
        select(Complaint).where(Complaint.id == complaint_id).with_for_update()
    )
    if complaint is None:
        raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
    return complaint


def _text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


def _audit(session: Session, ctx: Context, action: str, complaint: Complaint, **kw: object) -> None:
    audit.record(session, ctx, action, "complaint", complaint.complaint_no, **kw)  # type: ignore[arg-type]


def assign_handling(
    ctx: Context, complaint_id: int, *, responsible_person: str, department_id: int | None
) -> None:
    """Who answers for it (责任人) and which department (责任部门)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    person = _text(responsible_person, N_("Name the person responsible."))
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if department_id is not None and session.get(Department, department_id) is None:
            raise NotFound(N_("Choose the department responsible from the list."))
        before = {"person": complaint.responsible_person, "department": complaint.department_id}
        complaint.responsible_person, complaint.department_id = person, department_id
        _audit(
            session,
            ctx,
            "complaint_assign",
            complaint,
            before=before,
            after={"person": person, "department": department_id},
        )


def record_facts(ctx: Context, complaint_id: int, facts: str) -> None:
    """What the check with the person responsible found (事实核查)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    facts = _text(facts, N_("Write down the facts found with the person responsible."))
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        before = {"facts": complaint.facts}
        complaint.facts = facts
        _audit(session, ctx, "complaint_facts", complaint, before=before, after={"facts": facts})


def propose_remedies(ctx: Context, complaint_id: int, remedy_1: str, remedy_2: str) -> None:
    """Two alternative remedies; changing them withdraws an earlier approval."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    first = _text(remedy_1, N_("Propose two remedies: the first is missing."))
    second = _text(remedy_2, N_("Propose two remedies: the second is missing."))
    if first == second:
        raise InvalidInput(N_("The two remedies are the same: propose a real alternative."))
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if complaint.chosen_remedy is not None:
            raise Conflict(
                N_("The customer already chose a remedy for {complaint_no}."),
                complaint_no=complaint.complaint_no,
            )
        before = {"remedy_1": complaint.remedy_1, "remedy_2": complaint.remedy_2}
        if (first, second) != (complaint.remedy_1, complaint.remedy_2):
            complaint.remedies_approved_by_id = complaint.remedies_approved_at = None
        complaint.remedy_1, complaint.remedy_2 = first, second
        _audit(
            session,
            ctx,
            "complaint_remedies",
            complaint,
            before=before,
            after={"remedy_1": first, "remedy_2": second},
        )


def approve_remedies(ctx: Context, complaint_id: int) -> None:
    """The manager's approval (主管审批): only then may the remedies be offered."""
    ctx.require(Permission.APPROVE)
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if not complaint.remedy_1 or not complaint.remedy_2:
            raise IllegalTransition(
                N_("Propose two remedies for {complaint_no} before approving them."),
                complaint_no=complaint.complaint_no,
            )
        complaint.remedies_approved_by_id, complaint.remedies_approved_at = ctx.user_id, ctx.now()
        _audit(
            session,
            ctx,
            "complaint_approve_remedies",
            complaint,
            after={"remedy_1": complaint.remedy_1, "remedy_2": complaint.remedy_2},
        )


def record_choice(ctx: Context, complaint_id: int, chosen_remedy: str) -> None:
    """The customer's choice between the two approved remedies (客户选择)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if complaint.remedies_approved_at is None:
            raise IllegalTransition(
                N_(
                    "The remedies for {complaint_no} are not approved yet: a supervisor approves "
                    "them before they are offered to the customer."
                ),
                complaint_no=complaint.complaint_no,
            )
        chosen_remedy = chosen_remedy.strip()
        if chosen_remedy not in (complaint.remedy_1, complaint.remedy_2):
            raise InvalidInput(N_("The customer chooses one of the two approved remedies."))
        complaint.chosen_remedy = chosen_remedy
        _audit(session, ctx, "complaint_choice", complaint, after={"chosen": chosen_remedy})


def settle_complaint(
    ctx: Context, complaint_id: int, *, outcome: str, customer_accepted: bool
) -> None:
    """The remedy is carried out; books the follow-up call (回访) within the set days."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    outcome = _text(outcome, N_("Write down the outcome of the complaint."))
    with ctx.db.transaction() as session:
        complaint = _load_open_complaint(session, complaint_id)
        if complaint.chosen_remedy is None:
            raise IllegalTransition(
                N_("Record the remedy the customer chose before settling {complaint_no}."),
                complaint_no=complaint.complaint_no,
            )
        now = ctx.now()
        if complaint.first_contact_at is None:
            _mark_done(session, ctx, complaint, "first_contact_at", complaint.first_contact_due)
        if complaint.answered_at is None:
            _mark_done(session, ctx, complaint, "answered_at", complaint.answer_due)
        complaint.outcome, complaint.customer_accepted = outcome, customer_accepted
        complaint.status = ComplaintStatus.SETTLED
        _mark_done(session, ctx, complaint, "settled_at", complaint.settle_due, detail=outcome)
        days = settings.get(session, settings.COMPLAINT_FOLLOW_UP_DAYS)
        closing = _clock_time(settings.get(session, settings.WORKDAY_END), time(18, 0))
        session.add(
            FollowUp(
                kind=FollowUpKind.AFTER_COMPLAINT,
                complaint_id=complaint.id,
                customer_id=complaint.customer_id,
                due_at=WorkCalendar.load(session).end_of_working_day(now, days, closing),
            )
        )


def record_acceptance(ctx: Context, complaint_id: int, accepted: bool) -> None:
    """The customer's word after settlement (e.g. on the follow-up call)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        complaint = _load(session, complaint_id)
        if complaint.status is not ComplaintStatus.SETTLED:
            raise IllegalTransition(
                N_("Complaint {complaint_no} is not settled."), complaint_no=complaint.complaint_no
            )
        before = {"accepted": complaint.customer_accepted}
        complaint.customer_accepted = accepted
        _audit(
            session,
            ctx,
            "complaint_acceptance",
            complaint,
            before=before,
            after={"accepted": accepted},
        )


def close_complaint(ctx: Context, complaint_id: int, *, reason: str | None = None) -> None:
    """Closed when the customer accepted the settlement; otherwise only a supervisor, with a
    reason (结案)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    reason = (reason or "").strip() or None
    with ctx.db.transaction() as session:
        complaint = _load(session, complaint_id)
        if complaint.status is ComplaintStatus.CLOSED:
            raise Conflict(
                N_("Complaint {complaint_no} is already closed."),
                complaint_no=complaint.complaint_no,
            )
        accepted = (
            complaint.status is ComplaintStatus.SETTLED and complaint.customer_accepted is True
        )
        if not accepted:
            if not ctx.actor.can(Permission.APPROVE):
                raise IllegalTransition(
                    N_(
                        "Complaint {complaint_no} stays open until the customer accepts the "
                        "settlement; a supervisor can close it with a reason."
                    ),
                    complaint_no=complaint.complaint_no,
                )
            if reason is None:
                raise InvalidInput(
                    N_("The customer has not accepted: write down why the complaint is closed.")
                )
        before = {"status": complaint.status}
        complaint.status = ComplaintStatus.CLOSED
        complaint.closed_at, complaint.closed_by_id = ctx.now(), ctx.user_id
        complaint.close_reason = reason
        _audit(
            session,
            ctx,
            "close_complaint",
            complaint,
            before=before,
            after={"status": ComplaintStatus.CLOSED, "accepted": accepted},
            detail=reason,
        )


def overrule_validity(ctx: Context, complaint_id: int, *, is_valid: bool, reason: str) -> None:
    """A supervisor decides the complaint does (or does not) count against the center."""
    ctx.require(Permission.APPROVE)
    reason = _text(reason, N_("Write down why the validity is overruled."))
    with ctx.db.transaction() as session:
        complaint = _load(session, complaint_id)
        before = {"is_valid": complaint.is_valid}
        complaint.is_valid, complaint.validity_override_reason = is_valid, reason
        _audit(
            session,
            ctx,
            "complaint_validity",
            complaint,
            before=before,
            after={"is_valid": is_valid},
            detail=reason,
        )


# --- Watch list: time left, the register, the flags --------------------------------------------


@dataclass(frozen=True)
class ComplaintListRow:
    id: int
    complaint_no: str
    customer_id: int
    customer_name: str
    grade: ComplaintGrade
    category: ComplaintCategory
    status: ComplaintStatus
    is_valid: bool
    received_at: datetime
    first_contact_due: datetime
    first_contact_at: datetime | None
    answer_due: datetime
    answered_at: datetime | None
    settle_due: datetime | None
    settled_at: datetime | None

    def pending_steps(self) -> list[tuple[datetime, str]]:
        """(due, step) of every step still to do, soonest first; none once settled."""
        if self.status is not ComplaintStatus.OPEN:
            return []
        steps = (
            (self.first_contact_due, self.first_contact_at, N_("first contact")),
            (self.answer_due, self.answered_at, N_("answer")),
            (self.settle_due, self.settled_at, N_("settlement")),
        )
        return sorted((due, step) for due, done, step in steps if due is not None and done is None)

    def next_deadline(self) -> tuple[datetime, str] | None:
        pending = self.pending_steps()
        return pending[0] if pending else None

    def time_left(self, now: datetime) -> timedelta | None:
        """Until the next deadline; negative when it has passed."""
        deadline = self.next_deadline()
        return None if deadline is None else deadline[0] - now

    def is_overdue(self, now: datetime) -> bool:
        return any(due < now for due, _ in self.pending_steps())


_ROW_COLUMNS = (
    Complaint.id,
    Complaint.complaint_no,
    Complaint.customer_id,
    Customer.name,
    Complaint.grade,
    Complaint.category,
    Complaint.status,
    Complaint.is_valid,
    Complaint.received_at,
    Complaint.first_contact_due,
    Complaint.first_contact_at,
    Complaint.answer_due,
    Complaint.answered_at,
    Complaint.settle_due,
    Complaint.settled_at,
)


def register_rows(db: Database, *, limit: int = 500) -> list[ComplaintListRow]:
    """The register: open complaints first (oldest first), then the rest newest first."""
    still_open = case((Complaint.status == ComplaintStatus.OPEN, 0), else_=1)
    query = (
        select(*_ROW_COLUMNS)
        .join(Customer, Customer.id == Complaint.customer_id)
        .order_by(still_open, Complaint.received_at.desc(), Complaint.id.desc())
        .limit(limit)
    )
    with db.read() as session:
        return [ComplaintListRow(*row) for row in session.execute(query)]


def count_overdue(db: Database, now: datetime) -> int:
    return len(overdue_complaints(db, now))


@dataclass(frozen=True)
class ComplaintDetail:
    complaint: Complaint
    customer_name: str
    customer_phone: str | None
    order_nos: list[str]
    department_name: str | None


def complaint_detail(db: Database, complaint_id: int) -> ComplaintDetail:
    with db.read() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
        customer = session.get(Customer, complaint.customer_id)
        assert customer is not None
        order_nos = list(
            session.scalars(
                select(RepairOrder.order_no)
                .join(ComplaintOrder, ComplaintOrder.order_id == RepairOrder.id)
                .where(ComplaintOrder.complaint_id == complaint_id)
                .order_by(RepairOrder.order_no)
            )
        )
        department = (
            session.get(Department, complaint.department_id) if complaint.department_id else None
        )
        return ComplaintDetail(
            complaint,
            customer.name,
            customer.phone,
            order_nos,
            department.name if department else None,
        )


# 事不过三 (seed 003): a customer's after-sales problems are their complaints plus their repair
# orders that came back as a rework of our own repair (is_rework: back within the rework window
# of our shipment), both received in the last 365 days. Three or more flag the customer for the
# supervisor: the next contact with them is the supervisor's.
PROBLEM_WINDOW = timedelta(days=365)
THREE_PROBLEMS = 3
VALID_COMPLAINTS_WARNING = 2


@dataclass(frozen=True)
class FlaggedCustomer:
    customer_id: int
    name: str
    complaints: int
    reworks: int

    @property
    def problems(self) -> int:
        return self.complaints + self.reworks


def _problem_counts(
    session: Session, since: datetime, customer_id: int | None = None
) -> dict[int, tuple[int, int]]:
    complaint_q = (
        select(Complaint.customer_id, func.count())
        .where(Complaint.received_at >= since)
        .group_by(Complaint.customer_id)
    )
    # Grouped by an expression ("+ 0") so that SQLite finds the few reworks through their own
    # index instead of walking every order in customer order (1.6 s on a million orders).
    customer = RepairOrder.customer_id + 0
    rework_q = (
        select(customer, func.count())
        .where(RepairOrder.is_rework.is_(True), RepairOrder.received_at >= since)
        .group_by(customer)
    )
    if customer_id is not None:
        complaint_q = complaint_q.where(Complaint.customer_id == customer_id)
        rework_q = rework_q.where(RepairOrder.customer_id == customer_id)
    counts: dict[int, tuple[int, int]] = {}
    for cid, n in session.execute(complaint_q):
        counts[cid] = (int(n), 0)
    for cid, n in session.execute(rework_q):
        counts[cid] = (counts.get(cid, (0, 0))[0], int(n))
    return counts


def after_sales_problems(db: Database, customer_id: int, now: datetime) -> int:
    with db.read() as session:
        complaints_n, reworks_n = _problem_counts(session, now - PROBLEM_WINDOW, customer_id).get(
            customer_id, (0, 0)
        )
        return complaints_n + reworks_n


def customers_with_three_problems(db: Database, now: datetime) -> list[FlaggedCustomer]:
    """Customers at three after-sales problems or more (事不过三), most problems first."""
    with db.read() as session:
        counts = _problem_counts(session, now - PROBLEM_WINDOW)
        flagged = {cid: c for cid, c in counts.items() if sum(c) >= THREE_PROBLEMS}
        if not flagged:
            return []
        query = select(Customer.id, Customer.name).where(Customer.id.in_(flagged))
        names = {cid: name for cid, name in session.execute(query)}
    rows = [FlaggedCustomer(cid, names.get(cid, "?"), *c) for cid, c in flagged.items()]
    return sorted(rows, key=lambda row: (-row.problems, row.name))


def valid_complaints_warning(db: Database, now: datetime) -> int | None:
    """The count of valid complaints this calendar month when it reaches two (a warning sign)."""
    local = now.astimezone(CENTER_TIMEZONE)
    count = valid_complaints_in_month(db, local.year, local.month)
    return count if count >= VALID_COMPLAINTS_WARNING else None


def departments(db: Database) -> list[tuple[int, str]]:
    with db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Department.id, Department.name).order_by(Department.name)
            )
        ]  # type: ignore[misc]


def order_ids_of(session: Session, complaint_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ComplaintOrder.order_id).where(ComplaintOrder.complaint_id == complaint_id)
        )
    )


def find_customers(db: Database, text: str, limit: int = 20) -> list[tuple[int, str, str | None]]:
    """(id, name, phone) of customers whose name or phone holds the text."""
    text = text.strip()
    if not text:
        return []
    pattern = f"%{text}%"
    query = (
        select(Customer.id, Customer.name, Customer.phone)
        .where(or_(Customer.name.like(pattern), Customer.phone.like(pattern)))
        .order_by(Customer.name, Customer.id)
        .limit(limit)
    )
    with db.read() as session:
        return [(cid, name, phone) for cid, name, phone in session.execute(query)]
