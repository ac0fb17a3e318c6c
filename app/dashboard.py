"""Read-only queries the floor screens show beside the order lists: parts stock, complaints,
and the exact order a scan names. Pages of rows, sorted by SQL, like :mod:`app.listing`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from .db import Database
from .errors import N_
from .formats import clean_scan
from .listing import OrderFilter, OrderRow, order_page
from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintGrade,
    ComplaintStatus,
    Customer,
    Part,
)

# A scan is a whole code, but the listing matches prefixes: look at a few candidates.
_SCAN_CANDIDATES = 50

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


def order_by_code(db: Database, code: str) -> OrderRow | None:
    """The order a scanned order number or serial names (the newest one for a serial)."""
    wanted = clean_scan(code).upper()
    rows = order_page(db, OrderFilter(text=wanted), offset=0, limit=_SCAN_CANDIDATES)
    for row in rows:
        if row.order_no == wanted or row.serial == wanted:
            return row
    return None


@dataclass(frozen=True)
class PartStockRow:
    id: int
    part_no: str
    name: str
    bin_location: str | None
    on_hand: int
    safety_stock: int
    defective_on_hand: int

    @property
    def below_safety_stock(self) -> bool:
        return self.on_hand < self.safety_stock


PART_SORT_KEYS = {
    "part_no": Part.part_no,
    "name": Part.name,
    "on_hand": Part.on_hand,
    "safety_stock": Part.safety_stock,
    # Most urgent first when ascending: furthest below its safety stock.
    "shortfall": Part.on_hand - Part.safety_stock,
}


def count_parts(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Part.id)).where(Part.active.is_(True))) or 0


def part_stock_page(
    db: Database,
    *,
    offset: int,
    limit: int,
    sort_key: str = "shortfall",
    descending: bool = False,
) -> Sequence[PartStockRow]:
    column = PART_SORT_KEYS.get(sort_key, PART_SORT_KEYS["shortfall"])
    query = (
        select(
            Part.id,
            Part.part_no,
            Part.name,
            Part.bin_location,
            Part.on_hand,
            Part.safety_stock,
            Part.defective_on_hand,
        )
        .where(Part.active.is_(True))
        .order_by(column.desc() if descending else column.asc(), Part.part_no)
        .offset(offset)
        .limit(limit)
    )
    with db.read() as session:
        return [PartStockRow(*row) for row in session.execute(query)]


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
        return [ComplaintRow(*row) for row in session.execute(query)]
