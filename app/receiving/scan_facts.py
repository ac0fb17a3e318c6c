"""What a receiving scan needs to know, read in as few statements as the rules allow.

A station in another city reaches the server at 20-60 ms a round trip, so a scan reads its facts
in one statement (the box and its last unit, the sender, the unit's id, the sales register, the
rework window, the sender's latest settled complaint: scalar subqueries of one SELECT, on SQLite
and PostgreSQL alike), the product models it may be (with their categories) in a second one, and
a known unit's orders in a third one only when the unit was seen before. The rules that use them
stay in ``intake.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from app import care_settings, settings
from app.localtime import center_zone
from app.models import (
    CalendarDay,
    CalendarDayKind,
    Complaint,
    Customer,
    InboundBox,
    ProductCategory,
    ProductModel,
    RepairOrder,
    SalesRecord,
    Setting,
    Unit,
)
from app.receiving.boxes import BoxDefaults
from app.workcal import WorkCalendar


@dataclass(frozen=True)
class Sale:
    """The maker's sales register line of the serial."""

    model_code: str
    sale_date: date
    dealer: str | None


@dataclass(frozen=True)
class ScanFacts:
    customer_found: bool
    box_found: bool
    box_closed: bool
    box_sender_id: int | None
    defaults: BoxDefaults  # the box's last unit: what the next one most likely is
    scanned: int  # units in the box before this scan
    unit_id: int | None
    sale: Sale | None
    rework_window_days: int
    last_settlement: datetime | None  # the customer's latest settled complaint (the watch)
    watch_months: int
    calendar: WorkCalendar  # the exceptions from today to CALENDAR_DAYS_AHEAD days later


# The work calendar's exceptions a scan reads with its facts: a due date lies a few weeks ahead.
CALENDAR_DAYS_AHEAD = 366


def read_facts(
    session: Session, serial: str, customer_id: int | None, box_id: int | None, now: datetime
) -> ScanFacts:
    """Everything a scan checks before it writes, in one statement (``customer_id`` None: the
    box's sender). A lookup that may match a row of each center (a role that sees several)
    takes one, as ``session.scalar`` would."""
    box = InboundBox.id == box_id
    today = now.astimezone(center_zone()).date()
    customer: Any = (
        literal(customer_id)
        if customer_id is not None
        else select(InboundBox.sender_id).where(box).scalar_subquery()
    )
    last_in_box = (
        select(func.max(RepairOrder.id)).where(RepairOrder.box_id == box_id).scalar_subquery()
    )
    last_order = RepairOrder.id == last_in_box
    sale = SalesRecord.serial == serial
    row = session.execute(
        select(
            select(Customer.id).where(Customer.id == customer_id).scalar_subquery(),
            select(InboundBox.id).where(box).scalar_subquery(),
            select(InboundBox.closed_at).where(box).scalar_subquery(),
            select(InboundBox.sender_id).where(box).scalar_subquery(),
            select(ProductModel.code)
            .join(Unit, Unit.product_model_id == ProductModel.id)
            .join(RepairOrder, RepairOrder.unit_id == Unit.id)
            .where(last_order)
            .scalar_subquery(),
            select(RepairOrder.capacity).where(last_order).scalar_subquery(),
            select(RepairOrder.colour).where(last_order).scalar_subquery(),
            select(func.count()).where(RepairOrder.box_id == box_id).scalar_subquery(),
            select(Unit.id).where(Unit.serial == serial).limit(1).scalar_subquery(),
            select(SalesRecord.model_code).where(sale).limit(1).scalar_subquery(),
            select(SalesRecord.sale_date).where(sale).limit(1).scalar_subquery(),
            select(SalesRecord.dealer).where(sale).limit(1).scalar_subquery(),
            select(Setting.value)
            .where(Setting.key == settings.REWORK_WINDOW_DAYS.key)
            .limit(1)
            .scalar_subquery(),
            select(func.max(Complaint.settled_at))
            .where(Complaint.customer_id == customer, Complaint.settled_at <= now)
            .scalar_subquery(),
            select(Setting.value)
            .where(Setting.key == care_settings.WATCH_MONTHS.key)
            .limit(1)
            .scalar_subquery(),
            select(
                func.aggregate_strings(
                    cast(CalendarDay.day, String) + ":" + cast(CalendarDay.kind, String), ","
                )
            )
            .where(
                CalendarDay.day >= today, CalendarDay.day <= today + timedelta(CALENDAR_DAYS_AHEAD)
            )
            .scalar_subquery(),
        )
    ).one()
    (customer, found_box, closed_at, sender, model_code, capacity, colour, scanned) = row[:8]
    unit_id, sold_as, sale_date, dealer, rework_window, settled, watch_months, days = row[8:]
    return ScanFacts(
        customer_found=customer is not None,
        box_found=found_box is not None,
        box_closed=closed_at is not None,
        box_sender_id=sender,
        defaults=BoxDefaults(model_code, capacity, colour),
        scanned=scanned or 0,
        unit_id=unit_id,
        sale=Sale(sold_as, _as_date(sale_date), dealer) if sold_as is not None else None,
        rework_window_days=settings.stored_value(settings.REWORK_WINDOW_DAYS, rework_window),
        last_settlement=settled,
        watch_months=settings.stored_value(care_settings.WATCH_MONTHS, watch_months),
        calendar=WorkCalendar(_exceptions(days)),
    )


def _exceptions(days: str | None) -> dict[date, CalendarDayKind]:
    """``2026-10-01:holiday,2026-10-11:workday`` (the aggregated rows) as the calendar's map."""
    found = {}
    for item in (days or "").split(","):
        if item:
            day, _, kind = item.partition(":")
            found[date.fromisoformat(day.strip()[:10])] = CalendarDayKind(kind.strip())
    return found


def _as_date(value: date | datetime | str) -> date:
    # A scalar subquery of a Date column comes back as a date on both engines; a string is what
    # SQLite gives when the type is lost on the way.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ModelCandidates:
    """The product models a scan may be, with their categories, in id order."""

    models: list[ProductModel]
    categories: dict[str, ProductCategory]

    def by_code(self, code: str) -> ProductModel | None:
        return next((model for model in self.models if model.code == code), None)

    def by_tac(self, serial: str) -> ProductModel | None:
        if not (len(serial) == 15 and serial.isascii() and serial.isdigit()):
            return None
        tac = serial[:8]
        return next(
            (m for m in self.models if m.active and tac in (m.tac_prefixes or [])),
            None,
        )


def read_models(session: Session, serial: str, codes: Iterable[str | None]) -> ModelCandidates:
    """The models named by ``codes`` and those whose TAC list names the serial's, in one
    statement with their categories. The TAC is looked for in the list's JSON text (a digit
    string in quotes) and confirmed in Python: the same on SQLite and PostgreSQL."""
    wanted = sorted({code for code in codes if code})
    conditions: list[Any] = [ProductModel.code.in_(wanted)] if wanted else []
    if len(serial) == 15 and serial.isascii() and serial.isdigit():
        conditions.append(
            ProductModel.active.is_(True)
            & cast(ProductModel.tac_prefixes, String).like(f'%"{serial[:8]}"%')
        )
    if not conditions:
        return ModelCandidates([], {})
    rows = session.execute(
        select(ProductModel, ProductCategory)
        .outerjoin(ProductCategory, ProductCategory.code == ProductModel.category)
        .where(or_(*conditions))
        .order_by(ProductModel.id)
    ).all()
    return ModelCandidates(
        [model for model, _ in rows],
        {model.category: category for model, category in rows if category is not None},
    )


def read_unit_orders(session: Session, unit_id: int) -> tuple[Unit, list[RepairOrder]]:
    """A known unit and its orders, newest first, in one statement."""
    rows = session.execute(
        select(Unit, RepairOrder)
        .outerjoin(RepairOrder, RepairOrder.unit_id == Unit.id)
        .where(Unit.id == unit_id)
        .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
    ).all()
    return rows[0][0], [order for _, order in rows if order is not None]
