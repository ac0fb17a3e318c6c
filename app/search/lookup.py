"""The exact order a scan names: an order number or a serial / IMEI.

A scan is a whole code, so it is found by equality on indexed columns (the order number, the
unit's serial), in constant time however many orders the database holds. The free-text match
(prefixes, names, phones) belongs to the search box (``app.search.find``) only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Context
from app.formats import clean_scan
from app.models import RepairOrder, RepairState
from app.orders.listing import OrderRow, order_rows
from app.orders.store import newest_order_of_serial


def order_by_code(ctx: Context, code: str) -> OrderRow | None:
    """The order a scanned order number or serial names (the newest one for a serial). Every
    desk scans orders, so any signed-in person may look one up (no permission beyond the
    Context)."""
    with ctx.db.read() as session:
        found = order_of_code(session, code)
        if found is None:
            return None
        rows = order_rows(session, [found[0]])
    return rows[0] if rows else None


def order_of_code(session: Session, code: str) -> tuple[int, RepairState] | None:
    """The id and state of the order a scanned order number or serial names (as
    ``order_by_code``), for a caller that reads more in the same session."""
    wanted = clean_scan(code)
    row = session.execute(
        select(RepairOrder.id, RepairOrder.state).where(RepairOrder.order_no == wanted)
    ).first()
    if row is not None:
        return row.id, row.state
    order_id = newest_order_of_serial(session, wanted)
    if order_id is None:
        return None
    state = session.scalar(select(RepairOrder.state).where(RepairOrder.id == order_id))
    return None if state is None else (order_id, state)
