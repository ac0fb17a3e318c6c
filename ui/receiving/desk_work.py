"""What the receiving desk's jobs run off the UI thread: plain functions of plain data (the
context, a code, ids), calling the core's services; never a widget."""

from __future__ import annotations

from app.context import Context
from app.orders.listing import OrderRow
from app.receiving import BoxSummary, box_summary, open_boxes
from app.receiving.desk import (
    BoxDefaults,
    ScanResult,
    UnitDetails,
    WaybillCheck,
    box_defaults,
    check_waybill,
    scan_unit,
)
from app.search.lookup import order_by_code


def look_up(ctx: Context, code: str) -> OrderRow | WaybillCheck:  # on the floor worker
    """A label scanned with no box open: its order, else the waybill it would open."""
    order = order_by_code(ctx, code)
    return order if order is not None else check_waybill(ctx, code)


Saved = tuple[ScanResult, BoxSummary, BoxDefaults]
Boxes = tuple[BoxSummary | None, list[BoxSummary]]


def read_box(ctx: Context, box_id: int | None) -> tuple[BoxSummary | None, BoxDefaults | None]:
    """A box and the defaults of its next unit (None, None: no box)."""
    return (None, None) if box_id is None else (box_summary(ctx, box_id), box_defaults(ctx, box_id))


def receive(ctx: Context, box_id: int, code: str, details: UnitDetails, **kwargs: bool) -> Saved:
    """A unit scanned into the open box (on the floor worker), and the box as it is then."""
    result = scan_unit(ctx, box_id, code, details, **kwargs)
    box, defaults = read_box(ctx, box_id)
    assert box is not None and defaults is not None
    return result, box, defaults


def read_boxes(ctx: Context, box_id: int | None) -> Boxes:  # on the read worker
    """The desk's box as it is now (None: no box), and the boxes still open."""
    return (None if box_id is None else box_summary(ctx, box_id)), open_boxes(ctx)
