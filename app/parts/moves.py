"""The keeper's other moves: returns from the bench, scrap, counter sales, stocktake and
supplier returns. Each is one transaction: a guarded change of the balance, its ledger row and
its audit row; a correction is always a new move, never an edit.

Repair consumption (ISSUE, RETURN_UNUSED, RETURN_FAULTY, always against an order) and counter
sales (SALE, against a sales slip, never an order) are different kinds: the two ledgers
(两消两本账) never mix.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, money, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput
from app.models import MoveKind, Part, StockKind, StockMove
from app.orders.store import load_order
from app.parts.stock import book_move, check_quantity, load_part, required_text
from app.permissions import Permission

CONSUMPTION_KINDS = (MoveKind.ISSUE, MoveKind.RETURN_UNUSED, MoveKind.RETURN_FAULTY)


def net_issued(session: Session, order_id: int, part_id: int) -> int:
    """Parts of this kind issued to the order and not yet returned (unused or faulty)."""
    total = session.scalar(
        select(func.coalesce(func.sum(StockMove.quantity), 0)).where(
            StockMove.order_id == order_id,
            StockMove.part_id == part_id,
            StockMove.kind.in_(CONSUMPTION_KINDS),
        )
    )
    return -int(total or 0)


def _issued_to(session: Session, order_id: int, part_id: int) -> int | None:
    """The technician who last received this part for the order (who brings it back)."""
    return session.scalar(
        select(StockMove.technician_id)
        .where(
            StockMove.order_id == order_id,
            StockMove.part_id == part_id,
            StockMove.kind == MoveKind.ISSUE,
        )
        .order_by(StockMove.id.desc())
        .limit(1)
    )


def _return_from_order(
    ctx: Context,
    order_id: int,
    part_id: int,
    quantity: int,
    kind: MoveKind,
    stock: StockKind,
    reason: str | None,
) -> int:
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)  # serialises returns against the same order
        part = load_part(session, part_id)
        outstanding = net_issued(session, order.id, part.id)
        if quantity > outstanding:
            raise Conflict(
                N_(
                    "Order {order_no} has {outstanding} of {part_no} issued and not returned: "
                    "{wanted} cannot come back."
                ),
                order_no=order.order_no,
                outstanding=outstanding,
                part_no=part.part_no,
                wanted=quantity,
            )
        move = book_move(
            session,
            ctx,
            part,
            kind,
            quantity,
            stock=stock,
            order_id=order.id,
            technician_id=_issued_to(session, order.id, part.id) or order.technician_id,
            reason=reason,
        )
        audit.record(
            session,
            ctx,
            AuditAction(kind),
            "part",
            part.part_no,
            order_id=order.id,
            after={"quantity": quantity, "balance_after": move.balance_after, "stock": stock},
            detail=reason,
        )
        return move.id


def return_unused(ctx: Context, order_id: int, part_id: int, quantity: int) -> int:
    """An issued part the repair did not need goes back to good stock (退料)."""
    return _return_from_order(
        ctx, order_id, part_id, quantity, MoveKind.RETURN_UNUSED, StockKind.GOOD, None
    )


def return_faulty(ctx: Context, order_id: int, part_id: int, quantity: int, *, reason: str) -> int:
    """A faulty part from the bench goes to defective stock (坏件退回, 不良料), for the supplier."""
    reason = required_text(reason, N_("Say what is wrong with the returned part."))
    return _return_from_order(
        ctx, order_id, part_id, quantity, MoveKind.RETURN_FAULTY, StockKind.DEFECTIVE, reason
    )


def _simple_move(
    ctx: Context,
    part_id: int,
    kind: MoveKind,
    signed_quantity: int,
    stock: StockKind,
    *,
    reason: str | None = None,
    document_no: str | None = None,
    unit_cost_cents: int | None = None,
    detail: str | None = None,
) -> int:
    with ctx.db.transaction() as session:
        part = load_part(session, part_id)
        move = book_move(
            session,
            ctx,
            part,
            kind,
            signed_quantity,
            stock=stock,
            reason=reason,
            document_no=document_no,
            unit_cost_cents=unit_cost_cents,
        )
        after: dict[str, object] = {
            "quantity": signed_quantity,
            "balance_after": move.balance_after,
            "stock": stock,
        }
        if document_no:
            after["document_no"] = document_no
        audit.record(
            session,
            ctx,
            AuditAction(kind),
            "part",
            part.part_no,
            after=after,
            detail=detail or reason,
        )
        return move.id


def scrap(ctx: Context, part_id: int, quantity: int, *, stock: StockKind, reason: str) -> int:
    """Write parts off, good or defective (报废), with the reason."""
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    reason = required_text(reason, N_("Say why the parts are scrapped."))
    return _simple_move(ctx, part_id, MoveKind.SCRAP, -quantity, stock, reason=reason)


def sell(
    ctx: Context,
    part_id: int,
    quantity: int,
    *,
    document_no: str,
    unit_price_cents: int | None = None,
) -> int:
    """A counter sale (销售) against a sales slip: its own ledger, never a repair order's.

    The move carries the sale price; repair consumption carries the cost.
    """
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    document_no = required_text(document_no, N_("Enter the sales slip number."))[:64]
    unit_price_cents = money.check_cents(unit_price_cents)
    with ctx.db.read() as session:
        list_price = load_part(session, part_id).sale_price_cents
    price = list_price if unit_price_cents is None else unit_price_cents
    return _simple_move(
        ctx,
        part_id,
        MoveKind.SALE,
        -quantity,
        StockKind.GOOD,
        document_no=document_no,
        unit_cost_cents=price,
        detail=f"{quantity} x {price / 100:.2f}",
    )


def adjust_stock(
    ctx: Context,
    part_id: int,
    difference: int,
    *,
    reason: str,
    stock: StockKind = StockKind.GOOD,
    document_no: str | None = None,
) -> int:
    """A stocktake correction (盘点调整): the counted minus the booked quantity, with a reason."""
    ctx.require(Permission.ISSUE_PARTS)
    values.bounded_int(difference, low=-values.MAX_COUNT, high=values.MAX_COUNT)
    if difference == 0:
        raise InvalidInput(N_("A stocktake adjustment is a whole number, above or below zero."))
    reason = required_text(reason, N_("Say why the count differs (stocktake reason)."))
    document = values.optional_text(document_no, max_length=64)
    return _simple_move(
        ctx, part_id, MoveKind.ADJUSTMENT, difference, stock, reason=reason, document_no=document
    )


def count_stock(
    ctx: Context, part_id: int, counted: int, *, reason: str, stock: StockKind = StockKind.GOOD
) -> int | None:
    """Book a stocktake count: the adjustment to reach ``counted``, or None when it matches."""
    ctx.require(Permission.ISSUE_PARTS)
    values.bounded_int(counted, low=0)
    with ctx.db.read() as session:
        part = load_part(session, part_id)
        booked = part.on_hand if stock is StockKind.GOOD else part.defective_on_hand
    if counted == booked:
        return None
    return adjust_stock(ctx, part_id, counted - booked, reason=reason, stock=stock)


def supplier_return(
    ctx: Context, lines: Sequence[tuple[int, int]], *, document_no: str, reason: str | None = None
) -> list[int]:
    """Send a batch of defective stock back to the supplier (退供应商, RMA): one document, one
    ledger row per part, all or nothing. ``lines`` are (part id, quantity)."""
    ctx.require(Permission.ISSUE_PARTS)
    document_no = required_text(document_no, N_("Enter the supplier return (RMA) number."))[:64]
    if not lines:
        raise InvalidInput(N_("Add at least one defective part to the supplier return."))
    quantities: dict[int, int] = {}
    for part_id, quantity in lines:
        check_quantity(quantity)
        quantities[part_id] = quantities.get(part_id, 0) + quantity
    note = values.optional_text(reason, max_length=255)
    with ctx.db.transaction() as session:
        move_ids = []
        for part_id in sorted(quantities):  # the same lock order everywhere: no deadlocks
            part = load_part(session, part_id)
            move = book_move(
                session,
                ctx,
                part,
                MoveKind.SUPPLIER_RETURN,
                -quantities[part_id],
                stock=StockKind.DEFECTIVE,
                document_no=document_no,
                reason=note,
            )
            move_ids.append(move.id)
        audit.record(
            session,
            ctx,
            AuditAction.SUPPLIER_RETURN,
            "stock_moves",
            document_no,
            after={
                "lines": [
                    {"part": session.get_one(Part, pid).part_no, "quantity": q}
                    for pid, q in sorted(quantities.items())
                ]
            },
            detail=note,
        )
        return move_ids
