"""The exact order a scan names: an order number or a serial / IMEI."""

from __future__ import annotations

from app.context import Context
from app.formats import clean_scan
from app.orders.listing import OrderFilter, OrderRow, order_page

# A scan is a whole code, but the listing matches prefixes: look at a few candidates.
_SCAN_CANDIDATES = 50


def order_by_code(ctx: Context, code: str) -> OrderRow | None:
    """The order a scanned order number or serial names (the newest one for a serial). Every
    desk scans orders, so any signed-in person may look one up (no permission beyond the
    Context)."""
    wanted = clean_scan(code)
    rows = order_page(ctx, OrderFilter(text=wanted), offset=0, limit=_SCAN_CANDIDATES)
    for row in rows:
        if row.order_no == wanted or row.serial == wanted:
            return row
    return None
