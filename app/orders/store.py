"""Loading repair orders for a change: the row lock, the lookup by number, the version check."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.errors import N_, Conflict, NotFound
from app.localtime import local_text
from app.models import RepairOrder, Unit


def load_order(session: Session, order_id: int, *, lock: bool = True) -> RepairOrder:
    query = select(RepairOrder).where(RepairOrder.id == order_id)
    if lock:  # PostgreSQL row lock; SQLite writers are already serialised by BEGIN IMMEDIATE
        query = query.with_for_update(of=RepairOrder)
    order = session.scalar(query)
    if order is None:
        raise NotFound(N_("There is no repair order with id {id}."), id=order_id)
    return order


def find_order_id(session: Session, order_no: str) -> int:
    order_id = session.scalar(
        select(RepairOrder.id).where(RepairOrder.order_no == order_no.strip())
    )
    if order_id is None:
        raise NotFound(N_('No repair order "{order_no}". Scan the label again.'), order_no=order_no)
    return order_id


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
    """Refuse a save made on a stale copy: "changed by X at T, reload"."""
    if expected_version is None or order.version == expected_version:
        return
    last = audit.last_change(session, order.id)
    raise Conflict(
        N_("Order {order_no} was changed by {user} at {time}. Reload it and try again."),
        order_no=order.order_no,
        user=last.username if last else "?",
        time=local_text(last.at if last else None, "%H:%M:%S", "?"),
    )
