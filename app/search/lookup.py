"""The exact order a scan names: an order number or a serial / IMEI.

A scan is a whole code, so it is found by equality on indexed columns (the order number, the
unit's serial), in constant time however many orders the database holds. The free-text match
(prefixes, names, phones) belongs to the search box (``app.search.find``) only.
"""

from __future__ import annotations

from sqlalchemy import select

from app.context import Context
from app.formats import clean_scan
from app.models import RepairOrder
from app.orders.listing import OrderRow, order_rows
from app.orders.store import newest_order_of_serial


def order_by_code(ctx: Context, code: str) -> OrderRow | None:
    """The order a scanned order number or serial names (the newest one for a serial). Every
    desk scans orders, so any signed-in person may look one up (no permission beyond the
    Context)."""
    wanted = clean_scan(code)
    with ctx.db.read() as session:
        order_id = session.scalar(select(RepairOrder.id).where(RepairOrder.order_no == wanted))
        if order_id is None:
            order_id = newest_order_of_serial(session, wanted)
        if order_id is None:
            return None
        rows = order_rows(session, [order_id])
    return rows[0] if rows else None
