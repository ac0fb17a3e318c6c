"""The complaint watch list: time left, the register, overdue counts and the flags (事不过三,
two valid complaints in a month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.complaints.registration import (
    overdue_complaints,
    valid_complaints_in_month,
)
from app.context import Context
from app.errors import N_, NotFound
from app.formats import phone_search_digits
from app.localtime import center_zone
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintGrade,
    ComplaintOrder,
    ComplaintStatus,
    Customer,
    Department,
    RepairOrder,
)
from app.permissions import Permission

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
    handler_due: datetime | None = None  # a named handler within the hour (seed 000)
    handler_assigned_at: datetime | None = None

    def pending_steps(self) -> list[tuple[datetime, str]]:
        """(due, step) of every step still to do, soonest first; none once settled."""
        if self.status is not ComplaintStatus.OPEN:
            return []
        steps = (
            (self.first_contact_due, self.first_contact_at, N_("first contact")),
            (self.answer_due, self.answered_at, N_("answer")),
            (self.settle_due, self.settled_at, N_("settlement")),
            (self.handler_due, self.handler_assigned_at, N_("handler named")),
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
    Complaint.handler_due,
    Complaint.handler_assigned_at,
)


def register_rows(ctx: Context, *, limit: int = 500) -> list[ComplaintListRow]:
    """The register by urgency: open complaints first, the nearest deadline first (so the
    overdue ones lead, the longest overdue at the top; an open one with every step done after
    them), then the settled and closed ones, newest first."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    is_open = Complaint.status == ComplaintStatus.OPEN
    query = select(*_ROW_COLUMNS).join(Customer, Customer.id == Complaint.customer_id)
    with ctx.db.read() as session:
        still_open = [
            ComplaintListRow(*row)  # type: ignore[call-arg]  # a row of 10+ columns is open-ended to SQLAlchemy
            for row in session.execute(
                query.where(is_open).order_by(Complaint.received_at, Complaint.id).limit(limit)
            )
        ]
        done = [
            ComplaintListRow(*row)  # type: ignore[call-arg]
            for row in session.execute(
                query.where(~is_open)
                .order_by(Complaint.received_at.desc(), Complaint.id.desc())
                .limit(max(0, limit - len(still_open)))
            )
        ]
    still_open.sort(key=_urgency)
    return still_open + done


def _urgency(row: ComplaintListRow) -> tuple[bool, datetime]:
    deadline = row.next_deadline()
    return (deadline is None, deadline[0] if deadline else row.received_at)


def count_overdue(ctx: Context, now: datetime) -> int:
    return len(overdue_complaints(ctx, now))  # checks HANDLE_COMPLAINTS


@dataclass(frozen=True)
class ComplaintDetail:
    complaint: Complaint
    customer_name: str
    customer_phone: str | None
    order_nos: list[str]
    department_name: str | None


def complaint_version(ctx: Context, complaint_id: int) -> int:
    """The complaint's version now: what a handling form sends back with its save (a number
    that shows nothing of the complaint: any signed-in person may read it)."""
    with ctx.db.read() as session:
        version = session.scalar(select(Complaint.version).where(Complaint.id == complaint_id))
    if version is None:
        raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
    return version


def complaint_detail(ctx: Context, complaint_id: int) -> ComplaintDetail:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
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


def after_sales_problems(ctx: Context, customer_id: int, now: datetime) -> int:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        complaints_n, reworks_n = _problem_counts(session, now - PROBLEM_WINDOW, customer_id).get(
            customer_id, (0, 0)
        )
        return complaints_n + reworks_n


def customers_with_three_problems(ctx: Context, now: datetime) -> list[FlaggedCustomer]:
    """Customers at three after-sales problems or more (事不过三), most problems first."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        counts = _problem_counts(session, now - PROBLEM_WINDOW)
        flagged = {cid: c for cid, c in counts.items() if sum(c) >= THREE_PROBLEMS}
        if not flagged:
            return []
        query = select(Customer.id, Customer.name).where(Customer.id.in_(flagged))
        names = {cid: name for cid, name in session.execute(query)}
    rows = [FlaggedCustomer(cid, names.get(cid, "?"), *c) for cid, c in flagged.items()]
    return sorted(rows, key=lambda row: (-row.problems, row.name))


def valid_complaints_warning(ctx: Context, now: datetime) -> int | None:
    """The count of valid complaints this calendar month when it reaches two (a warning sign).
    A count, no complaint's content: any signed-in person may read it (the dashboard shows it
    to ledger readers, the complaints tab to customer service)."""
    local = now.astimezone(center_zone())
    count = valid_complaints_in_month(ctx, local.year, local.month)
    return count if count >= VALID_COMPLAINTS_WARNING else None


def departments(ctx: Context) -> list[tuple[int, str]]:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        rows = session.execute(select(Department.id, Department.name).order_by(Department.name))
        return [(department_id, name) for department_id, name in rows]


def order_ids_of(session: Session, complaint_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ComplaintOrder.order_id).where(ComplaintOrder.complaint_id == complaint_id)
        )
    )


def find_customers(ctx: Context, text: str, limit: int = 20) -> list[tuple[int, str, str | None]]:
    """(id, name, phone) of customers whose name or phone holds the text."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    text = text.strip()
    if not text:
        return []
    pattern = f"%{text}%"
    digits = phone_search_digits(text)
    matches = [Customer.name.like(pattern)]
    if digits:
        matches.append(Customer.phone_digits.like(f"%{digits}%"))
    query = (
        select(Customer.id, Customer.name, Customer.phone)
        .where(or_(*matches))
        .order_by(Customer.name, Customer.id)
        .limit(limit)
    )
    with ctx.db.read() as session:
        return [(cid, name, phone) for cid, name, phone in session.execute(query)]
