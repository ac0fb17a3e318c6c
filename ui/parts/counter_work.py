"""What the parts counter's jobs run off the UI thread: plain functions of plain data (the context,
a code, ids), calling the core's services; never a widget.

The services are imported by the first job that calls them (on the floor worker, after the
window's first paint), not with this module: the parts tab imports it before it shows
(ui/parts/tab.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.context import Context
    from app.parts.counter import IssueAttempt
    from app.parts.shortage import WaitRecorded


def look_up(
    ctx: Context, code: str, order_id: int | None, quantity: int, technician_id: int | None
) -> tuple[str, Any]:  # on the floor worker
    """A scanned code: an order (with its technician), a part (its issue tried), a technician's
    badge, or nothing known."""
    from app.allocation.dispatch import technician_by_badge
    from app.errors import DomainError
    from app.parts import issuing as parts
    from app.parts.counter import attempt_issue
    from app.search.lookup import order_by_code

    order = order_by_code(ctx, code)
    if order is not None:
        return ("order", (order, parts.order_technician(ctx, order.id)))
    part = parts.part_by_code(ctx, code)
    if part is not None:
        attempt = attempt_issue(ctx, order_id, part.id, quantity, technician_id)
        return ("part", (part.id, quantity, attempt))
    try:
        return ("badge", technician_by_badge(ctx, code))
    except DomainError:
        return ("unknown", None)


def issue(
    ctx: Context,
    order_id: int | None,
    part_id: int,
    quantity: int,
    technician_id: int | None,
    reason: str,
) -> IssueAttempt:  # on the floor worker
    """The part issued anyway (not listed for the model), with the keeper's reason."""
    from app.parts.counter import attempt_issue

    return attempt_issue(ctx, order_id, part_id, quantity, technician_id, reason)


def wait_for_part(ctx: Context, order_id: int, part_id: int, quantity: int) -> WaitRecorded:
    """The order put on waiting for the part; a purchase request for what is short."""
    from app.parts import shortage

    return shortage.wait_for_part(ctx, order_id, part_id, quantity)
