"""Read side for the lists that grow: pages of rows, sorted and filtered by SQL.

The Qt table models ask for a count and then for pages (``offset``/``limit``) as the user
scrolls (``canFetchMore``/``fetchMore``), so no view ever loads a whole table.

Every desk works on the order lists, so they need only a signed-in person (a Context); the
counts by state are the ledgers tab's and need VIEW_LEDGERS.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.context import Context
from app.db import stream
from app.errors import N_, NotFound
from app.formats import phone_search_digits
from app.models import (
    Customer,
    OrderStateCount,
    ProductModel,
    RepairOrder,
    RepairState,
    Unit,
    User,
)
from app.permissions import Permission
from app.vocabulary import chinese


@dataclass(frozen=True)
class OrderFilter:
    states: frozenset[RepairState] | None = None
    text: str = ""  # order number or serial prefix, customer name or phone
    technician_id: int | None = None
    customer_id: int | None = None
    model_id: int | None = None
    in_warranty: bool | None = None
    repeat_only: bool = False  # repeat repairs (返修) only
    received_before: datetime | None = None  # "older than": the age filter of the queue
    received_since: datetime | None = None  # "recent": the receiving desk's own list


@dataclass(frozen=True)
class OrderRow:
    id: int
    order_no: str
    state: RepairState
    serial: str
    model_name: str
    customer_name: str
    technician_name: str | None
    received_at: datetime
    due_at: datetime | None
    in_warranty: bool
    is_repeat: bool
    is_rework: bool
    rework_count: int
    version: int  # what an edit of the order from this row sends back


ORDER_SORT_KEYS: dict[str, InstrumentedAttribute[Any]] = {
    "order_no": RepairOrder.order_no,
    "state": RepairOrder.state,
    "received_at": RepairOrder.received_at,
    "due_at": RepairOrder.due_at,
    "serial": Unit.serial,
    "model_name": ProductModel.name,
    "customer_name": Customer.name,
}

_technician = aliased(User)


def _filtered(query: Select, where: OrderFilter) -> Select:
    if where.states is not None:
        query = query.where(RepairOrder.state.in_(sorted(where.states)))
    if where.technician_id is not None:
        query = query.where(RepairOrder.technician_id == where.technician_id)
    if where.customer_id is not None:
        query = query.where(RepairOrder.customer_id == where.customer_id)
    if where.in_warranty is not None:
        query = query.where(RepairOrder.in_warranty.is_(where.in_warranty))
    if where.repeat_only:
        query = query.where(RepairOrder.is_repeat.is_(True))
    if where.received_before is not None:
        query = query.where(RepairOrder.received_at < where.received_before)
    if where.received_since is not None:
        query = query.where(RepairOrder.received_at >= where.received_since)
    if where.model_id is not None:
        query = query.where(
            RepairOrder.unit_id.in_(select(Unit.id).where(Unit.product_model_id == where.model_id))
        )
    text = where.text.strip()
    if text:
        prefix = text.upper() + "%"
        query = query.where(
            or_(
                RepairOrder.order_no.like(prefix),
                Unit.serial.like(prefix),
                Customer.phone_digits.like((phone_search_digits(text) or text) + "%"),
                Customer.name.like(text + "%"),
            )
        )
    return query


def _joined(query: Select) -> Select:
    return (
        query.join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(Customer, Customer.id == RepairOrder.customer_id)
    )


def _row_select() -> Select:
    return _joined(
        select(
            RepairOrder.id,
            RepairOrder.order_no,
            RepairOrder.state,
            Unit.serial,
            ProductModel.name,
            Customer.name,
            _technician.display_name,
            RepairOrder.received_at,
            RepairOrder.due_at,
            RepairOrder.in_warranty,
            RepairOrder.is_repeat,
            RepairOrder.is_rework,
            RepairOrder.rework_count,
            RepairOrder.version,
        ).select_from(RepairOrder)
    ).outerjoin(_technician, _technician.id == RepairOrder.technician_id)


def order_rows(session: Session, order_ids: Sequence[int]) -> list[OrderRow]:
    """The list rows of the given orders (by primary key), in no particular order."""
    if not order_ids:
        return []
    query = _row_select().where(RepairOrder.id.in_(list(order_ids)))
    return [OrderRow(*row) for row in session.execute(query)]


def count_orders(ctx: Context, where: OrderFilter) -> int:
    """How many orders the filter lets through (a signed-in person's read: every desk lists
    orders)."""
    query = select(func.count(RepairOrder.id)).select_from(RepairOrder)
    if where.text.strip():
        query = _joined(query)
    with ctx.db.read() as session:
        return session.scalar(_filtered(query, where)) or 0


def order_page(
    ctx: Context,
    where: OrderFilter,
    *,
    offset: int,
    limit: int,
    sort_key: str = "received_at",
    descending: bool = True,
) -> Sequence[OrderRow]:
    """A page of the orders the filter lets through, sorted by SQL (a signed-in person's read:
    every desk lists orders)."""
    column = ORDER_SORT_KEYS.get(sort_key, RepairOrder.received_at)
    ordering = [
        column.desc() if descending else column.asc(),
        RepairOrder.id.desc() if descending else RepairOrder.id.asc(),
    ]
    query = _row_select()
    query = _filtered(query, where).order_by(*ordering).offset(offset).limit(limit)
    with ctx.db.read() as session:
        return [OrderRow(*row) for row in session.execute(query)]


def order_version(ctx: Context, order_id: int) -> int:
    """The order's version now: what a form that loads the order sends back with its save."""
    with ctx.db.read() as session:
        version = session.scalar(select(RepairOrder.version).where(RepairOrder.id == order_id))
    if version is None:
        raise NotFound(N_("There is no repair order with id {id}."), id=order_id)
    return version


def state_counts(ctx: Context) -> dict[RepairState, int]:
    """Orders per state, as the database keeps them (``OrderStateCount``): a dozen rows read,
    however many orders there are."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        rows = session.execute(select(OrderStateCount.state, OrderStateCount.orders)).all()
    counts = {state: 0 for state in RepairState}
    counts.update({state: count for state, count in rows})
    return counts


def model_choices(ctx: Context) -> list[tuple[int, str]]:
    """Active product models (id, name) for the filters of the lists, by name (a signed-in
    person's read)."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(ProductModel.id, ProductModel.name)
            .where(ProductModel.active.is_(True))
            .order_by(ProductModel.name)
        ).all()
    return [(model_id, name) for model_id, name in rows]


def repair_ledger_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    """Every order received in [start, end): its state, people and milestones (the Excel
    ledger, state and handling in Chinese; its caller checks VIEW_LEDGERS)."""
    query = (
        select(
            RepairOrder.order_no,
            RepairOrder.state,
            RepairOrder.handling,
            ProductModel.name,
            Unit.serial,
            Customer.name,
            _technician.display_name,
            RepairOrder.received_at,
            RepairOrder.allocated_at,
            RepairOrder.repaired_at,
            RepairOrder.qc_passed_at,
            RepairOrder.shipped_at,
            RepairOrder.diagnosis,
            RepairOrder.repair_action,
            RepairOrder.rework_count,
            RepairOrder.in_warranty,
        )
        .select_from(RepairOrder)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(Customer, Customer.id == RepairOrder.customer_id)
        .outerjoin(_technician, _technician.id == RepairOrder.technician_id)
        .where(RepairOrder.received_at >= start, RepairOrder.received_at < end)
        .order_by(RepairOrder.received_at, RepairOrder.id)
    )
    for row in stream(session, query):
        yield (row[0], chinese(row[1]), chinese(row[2]), *row[3:])
