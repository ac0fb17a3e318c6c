"""What the complaint register shows: pages of complaints (open first), and their labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from app.db import Database
from app.errors import N_
from app.models import Complaint, ComplaintCategory, ComplaintGrade, ComplaintStatus, Customer

COMPLAINT_STATUS_LABELS: dict[ComplaintStatus, str] = {
    ComplaintStatus.OPEN: N_("Open"),
    ComplaintStatus.SETTLED: N_("Settled"),
    ComplaintStatus.CLOSED: N_("Closed"),
}

COMPLAINT_CATEGORY_LABELS: dict[ComplaintCategory, str] = {
    ComplaintCategory.REPAIR_QUALITY: N_("Repair quality"),
    ComplaintCategory.ATTITUDE: N_("Attitude"),
    ComplaintCategory.TURNAROUND: N_("Turnaround time"),
    ComplaintCategory.PARTS_SUPPLY: N_("Parts supply"),
    ComplaintCategory.PRICING: N_("Pricing"),
    ComplaintCategory.LOSS_DAMAGE: N_("Loss or damage"),
    ComplaintCategory.OTHER: N_("Other"),
}


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    complaint_no: str
    customer_name: str
    grade: ComplaintGrade
    category: ComplaintCategory
    status: ComplaintStatus
    is_valid: bool
    received_at: datetime
    answer_due: datetime
    answered_at: datetime | None


COMPLAINT_SORT_KEYS = {
    "complaint_no": Complaint.complaint_no,
    "customer_name": Customer.name,
    "grade": Complaint.grade,
    "status": Complaint.status,
    "received_at": Complaint.received_at,
    "answer_due": Complaint.answer_due,
}


def count_complaints(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Complaint.id))) or 0


def complaint_page(
    db: Database,
    *,
    offset: int,
    limit: int,
    sort_key: str = "received_at",
    descending: bool = True,
) -> Sequence[ComplaintRow]:
    """Open complaints first, then the chosen order."""
    column = COMPLAINT_SORT_KEYS.get(sort_key, Complaint.received_at)
    still_open = case((Complaint.status == ComplaintStatus.OPEN, 0), else_=1)
    query = (
        select(
            Complaint.id,
            Complaint.complaint_no,
            Customer.name,
            Complaint.grade,
            Complaint.category,
            Complaint.status,
            Complaint.is_valid,
            Complaint.received_at,
            Complaint.answer_due,
            Complaint.answered_at,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .order_by(
            still_open,
            column.desc() if descending else column.asc(),
            Complaint.id.desc(),
        )
        .offset(offset)
        .limit(limit)
    )
    with db.read() as session:
        return [ComplaintRow(*row) for row in session.execute(query)]  # type: ignore[call-arg]  # SQLAlchemy types a row of 10+ columns as open-ended
