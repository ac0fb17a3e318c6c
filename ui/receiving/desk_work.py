"""What the receiving desk's jobs run off the UI thread: plain functions of plain data (the
context, a code, ids), calling the core's services; never a widget.

The services are imported by the first job that calls them (on the worker, after the window's
first paint), not with this module: the receiving tab imports it before it shows
(ui/receiving/tab.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.context import Context
    from app.orders.listing import OrderRow
    from app.receiving import BoxSummary
    from app.receiving.desk import BoxDefaults, ModelChoice, ScanResult, UnitDetails, WaybillCheck

Saved = tuple["ScanResult", "BoxSummary", "BoxDefaults"]
Boxes = tuple["BoxSummary | None", "list[BoxSummary]"]


def look_up(ctx: Context, code: str) -> OrderRow | WaybillCheck:  # on the floor worker
    """A label scanned with no box open: its order, else the waybill it would open."""
    from app.receiving.desk import check_waybill
    from app.search.lookup import order_by_code

    order = order_by_code(ctx, code)
    return order if order is not None else check_waybill(ctx, code)


def read_box(ctx: Context, box_id: int | None) -> tuple[BoxSummary | None, BoxDefaults | None]:
    """A box and the defaults of its next unit (None, None: no box)."""
    if box_id is None:
        return None, None
    from app.receiving import box_summary
    from app.receiving.desk import box_defaults

    return box_summary(ctx, box_id), box_defaults(ctx, box_id)


def receive(ctx: Context, box_id: int, code: str, details: UnitDetails, **kwargs: bool) -> Saved:
    """A unit scanned into the open box (on the floor worker), and the box as it is then."""
    from app.receiving.desk import scan_unit

    result = scan_unit(ctx, box_id, code, details, **kwargs)
    box, defaults = read_box(ctx, box_id)
    assert box is not None and defaults is not None
    return result, box, defaults


def read_boxes(ctx: Context, box_id: int | None) -> Boxes:  # on the read worker
    """The desk's box as it is now (None: no box), and the boxes still open."""
    from app.receiving import box_summary, open_boxes

    return (None if box_id is None else box_summary(ctx, box_id)), open_boxes(ctx)


def read_model_choices(ctx: Context) -> list[ModelChoice]:  # on the read worker
    """The models the intake form offers."""
    from app.receiving.desk import model_choices

    return model_choices(ctx)
