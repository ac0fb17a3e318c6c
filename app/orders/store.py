"""Loading repair orders for a change: the row lock, the lookup by number, the version check,
the refusal to edit an order that has left the center."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import states, versions
from app.errors import N_, IllegalTransition, NotFound
from app.models import RepairOrder, Unit


def load_order(session: Session, order_id: int, *, lock: bool = True) -> RepairOrder:
    query = select(RepairOrder).where(RepairOrder.id == order_id)
    if lock:  # PostgreSQL row lock; SQLite writers are already serialised by BEGIN IMMEDIATE
        query = query.with_for_update(of=RepairOrder)
    order = session.scalar(query)
    if order is None:
        raise NotFound(N_("There is no repair order with id {id}."), id=order_id)
    return order


def load_orders(session: Session, order_ids: list[int]) -> list[RepairOrder]:
    """Several orders for a change, in the order asked, locked in one statement (not one
    round trip per order); the first id that names no order is NotFound."""
    query = select(RepairOrder).where(RepairOrder.id.in_(order_ids)).order_by(RepairOrder.id)
    found = {order.id: order for order in session.scalars(query.with_for_update(of=RepairOrder))}
    for order_id in order_ids:
        if order_id not in found:
            raise NotFound(N_("There is no repair order with id {id}."), id=order_id)
    return [found[order_id] for order_id in order_ids]


def find_order_id(session: Session, order_no: str) -> int:
    order_id = session.scalar(
        select(RepairOrder.id).where(RepairOrder.order_no == order_no.strip())
    )
    if order_id is None:
        raise NotFound(N_('No repair order "{order_no}". Scan the label again.'), order_no=order_no)
    return order_id


def load_scanned_order(
    session: Session, code: str, *, by_serial: bool = False, lock: bool = True
) -> RepairOrder:
    """The order a scanned label names by its order number or, with ``by_serial``, first the
    newest order of the unit whose serial it is: found (and locked) in one statement, not one
    round trip per way of reading the scan."""
    code = code.strip()
    wanted: Any = (
        select(RepairOrder.id).where(RepairOrder.order_no == code).limit(1).scalar_subquery()
    )
    if by_serial:
        newest = (
            select(RepairOrder.id)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .where(Unit.serial == code)
            .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        wanted = func.coalesce(newest, wanted)
    query = select(RepairOrder).where(RepairOrder.id == wanted)
    if lock:
        query = query.with_for_update(of=RepairOrder)
    order = session.scalar(query)
    if order is None:
        raise NotFound(N_('No repair order "{order_no}". Scan the label again.'), order_no=code)
    return order


def newest_order_of_serial(session: Session, serial: str) -> int | None:
    """The newest order of the unit whose present serial is ``serial`` (already a clean scan).

    Two equality reads on unique / ordinary indexes (the unit by its serial, then that unit's
    few orders), never a walk of the order table, however large it grows."""
    unit_id = session.scalar(select(Unit.id).where(Unit.serial == serial))
    if unit_id is None:
        return None
    return session.scalar(
        select(RepairOrder.id)
        .where(RepairOrder.unit_id == unit_id)
        .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
        .limit(1)
    )


def check_version(session: Session, order: RepairOrder, expected_version: int | None) -> None:
    """Refuse a save made on a stale copy: "changed by X at T (what), reload".

    ``None`` only for a step the state machine already guards (a second station's same step
    finds the order in another state); every form passes the version it loaded."""
    if expected_version is None:
        return
    versions.check(
        session,
        order.version,
        expected_version,
        order.order_no,
        entity="repair_order",
        order_id=order.id,
    )


def require_in_center(order: RepairOrder) -> None:
    """A shipped (or refunded) order is history: nothing of it changes any more."""
    if order.state in states.TERMINAL_STATES:
        raise IllegalTransition(
            N_("Order {order_no} is {state}: it can no longer be changed."),
            order_no=order.order_no,
            state=states.STATE_LABELS[order.state],
        )


def load_for_edit(session: Session, order_id: int, expected_version: int) -> RepairOrder:
    """The order locked for an edit from a form: still in the center, at the version loaded."""
    order = load_order(session, order_id)
    require_in_center(order)
    check_version(session, order, expected_version)
    return order
