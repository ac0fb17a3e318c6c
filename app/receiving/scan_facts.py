"""What a receiving scan needs to know, read in as few statements as the rules allow.

A station in another city reaches the server at 20-60 ms a round trip, so a scan reads its facts
(the box and its last unit, the sender, the unit's id, the sales register, the rework window,
the sender's latest settled complaint: scalar subqueries, on SQLite and PostgreSQL alike) and
the product models it may be (with their categories) in one statement, and a known unit's
orders in a second one only when the unit was seen before. The rules that use them
stay in ``intake.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, null, or_, select
from sqlalchemy.orm import Session, aliased

from app import care_settings, settings
from app.localtime import center_zone
from app.models import (
    CalendarDay,
    CalendarDayKind,
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
    session: Session,
    serial: str,
    customer_id: int | None,
    box_id: int | None,
    now: datetime,
    model_code: str | None = None,
) -> tuple[ScanFacts, ModelCandidates]:
    """Everything a scan checks before it writes, and the product models it may be, in one
    statement (``customer_id`` None: the box's sender; ``model_code``: the panel's model). A
    lookup that may match a row of each center (a role that sees several) takes one, as
    ``session.scalar`` would.

    The facts are scalar subqueries (each evaluated once); the models are outer-joined to them
    (one row per candidate model, or one row of facts alone): the models named by the panel,
    the sales register, the box's last unit and the unit's own history, and those whose TAC
    list names the serial's."""
    facts = _fact_columns(serial, customer_id, box_id, now)
    codes = [facts[9], _unit_model_code(serial)]  # the register's, the unit's own
    if box_id is not None:
        codes.append(facts[4])  # the box's last unit's
    one = select(literal(1).label("one")).subquery()
    rows = session.execute(
        select(*facts, ProductModel, ProductCategory)
        .select_from(one)
        .outerjoin(ProductModel, _candidates(serial, model_code, codes))
        .outerjoin(ProductCategory, ProductCategory.code == ProductModel.category)
        .order_by(ProductModel.id)
    ).all()
    found = [(row[-2], row[-1]) for row in rows if row[-2] is not None]
    candidates = ModelCandidates(
        [model for model, _ in found],
        {model.category: category for model, category in found if category is not None},
    )
    return _facts(rows[0][: len(facts)]), candidates


def _unit_model_code(serial: str) -> Any:
    model = aliased(ProductModel)
    return (
        select(model.code)
        .join(Unit, Unit.product_model_id == model.id)
        .where(Unit.serial == serial)
        .limit(1)
        .correlate(None)
        .scalar_subquery()
    )


def _candidates(serial: str, model_code: str | None, codes: list[Any]) -> Any:
    """The join condition of the models a scan may be (see :func:`read_facts`)."""
    conditions: list[Any] = [ProductModel.code == code for code in codes]
    if model_code:
        conditions.append(ProductModel.code == model_code)
    if len(serial) == 15 and serial.isascii() and serial.isdigit():
        conditions.append(
            ProductModel.active.is_(True)
            & cast(ProductModel.tac_prefixes, String).like(f'%"{serial[:8]}"%')
        )
    return or_(*conditions)


def _fact_columns(
    serial: str, customer_id: int | None, box_id: int | None, now: datetime
) -> list[Any]:
    if box_id is None:
        # No box: its facts are known empty. ``box_id == None`` would be ``IS NULL``: counting
        # every box-less order of history (738,000 at 1,000,000 orders, 30 ms a scan).
        return _box_free_columns(serial, customer_id, now)
    box = InboundBox.id == box_id
    today = now.astimezone(center_zone()).date()
    customer: Any = (
        literal(customer_id)
        if customer_id is not None
        else select(InboundBox.sender_id).where(box).correlate(None).scalar_subquery()
    )
    last_in_box = (
        select(func.max(RepairOrder.id))
        .where(RepairOrder.box_id == box_id)
        .correlate(None)
        .scalar_subquery()
    )
    last_order = RepairOrder.id == last_in_box
    box_model = aliased(ProductModel)
    box_queries = [
        select(InboundBox.id).where(box),
        select(InboundBox.closed_at).where(box),
        select(InboundBox.sender_id).where(box),
        select(box_model.code)
        .join(Unit, Unit.product_model_id == box_model.id)
        .join(RepairOrder, RepairOrder.unit_id == Unit.id)
        .where(last_order),
        select(RepairOrder.capacity).where(last_order),
        select(RepairOrder.colour).where(last_order),
        select(func.count()).where(RepairOrder.box_id == box_id),
    ]
    return _columns(serial, customer_id, customer, box_queries, now, today)


def _box_free_columns(serial: str, customer_id: int | None, now: datetime) -> list[Any]:
    """The facts of a scan without a box: the box's seven facts are constants (none, no units)."""
    today = now.astimezone(center_zone()).date()
    empty: list[Any] = [null(), null(), null(), null(), null(), null(), literal(0)]
    return _columns(serial, customer_id, literal(customer_id), empty, now, today)


def _columns(
    serial: str,
    customer_id: int | None,
    customer: Any,
    box_facts: list[Any],
    now: datetime,
    today: date,
) -> list[Any]:
    """The scan's facts in :func:`_facts`'s order: queries become scalar subqueries, constants
    stay constants."""
    from app.models import Complaint  # complaints' tables: mapped with the first scan, not at start

    sale = SalesRecord.serial == serial
    queries = [
        select(Customer.id).where(Customer.id == customer_id),
        *box_facts,
        select(Unit.id).where(Unit.serial == serial).limit(1),
        select(SalesRecord.model_code).where(sale).limit(1),
        select(SalesRecord.sale_date).where(sale).limit(1),
        select(SalesRecord.dealer).where(sale).limit(1),
        select(Setting.value).where(Setting.key == settings.REWORK_WINDOW_DAYS.key).limit(1),
        select(func.max(Complaint.settled_at)).where(
            Complaint.customer_id == customer, Complaint.settled_at <= now
        ),
        select(Setting.value).where(Setting.key == care_settings.WATCH_MONTHS.key).limit(1),
        select(
            func.aggregate_strings(
                cast(CalendarDay.day, String) + ":" + cast(CalendarDay.kind, String), ","
            )
        ).where(
            CalendarDay.day >= today, CalendarDay.day <= today + timedelta(CALENDAR_DAYS_AHEAD)
        ),
    ]
    return [
        query.correlate(None).scalar_subquery() if isinstance(query, Select) else query
        for query in queries
    ]


def _facts(row: Any) -> ScanFacts:
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


def read_unit_orders(session: Session, unit_id: int) -> tuple[Unit, list[RepairOrder]]:
    """A known unit and its orders, newest first, in one statement."""
    rows = session.execute(
        select(Unit, RepairOrder)
        .outerjoin(RepairOrder, RepairOrder.unit_id == Unit.id)
        .where(Unit.id == unit_id)
        .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
    ).all()
    return rows[0][0], [order for _, order in rows if order is not None]
