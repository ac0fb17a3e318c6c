"""The parts ledger (进销存): receipts in, issues to repair orders out, the balance always known.

Every change of stock goes through :mod:`app.parts.stock` (a guarded UPDATE plus one ledger row);
the other move kinds (returns, scrap, sale, stocktake, supplier return) are in
:mod:`app.parts.moves`, shortage and waiting orders in :mod:`app.parts.shortage`, the reports in
:mod:`app.parts.views` and the parts master in :mod:`app.parts.master`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app import audit, money, states, values
from app.audit_actions import AuditAction
from app.context import Context
from app.db import Database
from app.errors import N_, IllegalTransition, InvalidInput
from app.formats import clean_scan
from app.models import (
    MoveKind,
    Part,
    PartFit,
    RepairOrder,
    Role,
    StockKind,
    StockMove,
    User,
)
from app.orders.charges import (
    PARTS_MAY_LEAVE,
    PartsCharge,
    parts_charge,
    require_parts_may_leave,
)
from app.orders.store import load_order
from app.parts.shortage import UnblockedOrder, resolve_waits
from app.parts.stock import book_move, check_quantity, load_part
from app.permissions import Permission


class PartDoesNotFit(InvalidInput):
    """The part is not listed for the order's model: the keeper may override with a reason."""


@dataclass(frozen=True)
class Receipt:
    move_id: int
    balance_after: int
    unblocked: list[UnblockedOrder] = field(default_factory=list)


def receive_stock(
    ctx: Context,
    part_id: int,
    quantity: int,
    *,
    document_no: str,
    unit_cost_cents: int | None = None,
) -> int:
    """Book a delivery into good stock (a RECEIPT move). Returns the move's id.

    Orders waiting for the part are unblocked as in :func:`receive_purchase`.
    """
    return receive_purchase(
        ctx, part_id, quantity, document_no=document_no, unit_cost_cents=unit_cost_cents
    ).move_id


def receive_purchase(
    ctx: Context,
    part_id: int,
    quantity: int,
    *,
    document_no: str,
    unit_cost_cents: int | None = None,
) -> Receipt:
    """Book a delivery; orders waiting for the part leave *waiting for parts*, first waiting
    first served, up to the quantity received. Returns the move and the orders unblocked."""
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    document_no = values.clean_text(
        document_no,
        max_length=64,
        required=N_("Enter the delivery note or purchase order number."),
    )
    unit_cost_cents = money.check_cents(unit_cost_cents)
    with ctx.db.transaction() as session:
        part = load_part(session, part_id)
        # The waiting orders are locked before the part (orders first, as issue_part does).
        unblocked = resolve_waits(session, ctx, part, quantity)
        move = book_move(
            session,
            ctx,
            part,
            MoveKind.RECEIPT,
            quantity,
            unit_cost_cents=unit_cost_cents,
            document_no=document_no[:64],
        )
        audit.record(
            session,
            ctx,
            AuditAction.RECEIVE_STOCK,
            "part",
            part.part_no,
            after={
                "quantity": quantity,
                "balance_after": move.balance_after,
                "document_no": document_no,
            },
        )
        return Receipt(move.id, move.balance_after, unblocked)


def technician_for_parts(session: Session, technician_id: int) -> User:
    # The account with its roles: one statement (the roles' select-in load would be a second).
    user = session.get(User, technician_id, options=[joinedload(User.role_links)])
    if user is None or not user.active or Role.TECHNICIAN not in user.roles:
        raise InvalidInput(N_("Parts are issued to an active technician: scan their badge."))
    return user


def part_fits_order(session: Session, part: Part, order: RepairOrder) -> bool:
    """A part with no models listed fits every model (screws, adhesive...)."""
    fits = set(
        session.scalars(
            select(PartFit.product_model_id).where(PartFit.part_master_id == part.master.id)
        )
    )
    if not fits:
        return True
    return order.unit.product_model_id in fits  # the unit comes with the order (a joined load)


def issue_part(
    ctx: Context,
    order_id: int,
    part_id: int,
    quantity: int,
    *,
    technician_id: int,
    fit_override_reason: str | None = None,
) -> int:
    """Issue good parts to a technician for a repair order (an ISSUE move). Returns the move's id.

    A part not listed for the order's model is refused with :class:`PartDoesNotFit` unless the
    keeper gives ``fit_override_reason`` (kept on the move and in the audit row).
    """
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    override = values.optional_text(fit_override_reason, max_length=200)
    with ctx.db.transaction() as session:
        # Lock the order first, then the part: the same order everywhere, so no deadlocks.
        order = load_order(session, order_id)
        require_open_for_parts(order)
        require_parts_may_leave(session, order)
        technician = technician_for_parts(session, technician_id)
        part = load_part(session, part_id)
        fits = part_fits_order(session, part, order)
        return issue_in(session, ctx, order, part, technician, quantity, fits, override)


def require_open_for_parts(order: RepairOrder) -> None:
    if order.state not in states.OPEN_STATES:
        raise IllegalTransition(
            N_("Order {order_no} is {state}: parts go only to open orders."),
            order_no=order.order_no,
            state=states.STATE_LABELS[order.state],
        )


def issue_in(
    session: Session,
    ctx: Context,
    order: RepairOrder,
    part: Part,
    technician: User,
    quantity: int,
    fits: bool,
    override: str | None,
) -> int:
    """The ISSUE move and its audit row, inside the caller's transaction, once the order, the
    part and the technician are checked; ``fits``: the part is listed for the order's model."""
    if not fits and override is None:
        raise PartDoesNotFit(
            N_(
                "{part_no} ({name}) is not listed for the model of order {order_no}. "
                "Check the part, or give a reason to issue it anyway."
            ),
            part_no=part.part_no,
            name=part.name,
            order_no=order.order_no,
        )
    reason = None if fits else f"fit override: {override}"[:255]
    move = book_move(
        session,
        ctx,
        part,
        MoveKind.ISSUE,
        -quantity,
        order_id=order.id,
        technician_id=technician.id,
        reason=reason,
    )
    after: dict[str, object] = {
        "quantity": quantity,
        "balance_after": move.balance_after,
        "to": technician.username,
    }
    if reason is not None:
        after["fit_override"] = override
    audit.record(
        session,
        ctx,
        AuditAction.ISSUE_PART,
        "part",
        part.part_no,
        order_id=order.id,
        after=after,
        detail=f"{part.name} x{quantity} → {technician.display_name}",
    )
    return move.id


def balance_from_moves(db: Database, part_id: int, stock: StockKind = StockKind.GOOD) -> int:
    """The balance recomputed from the ledger (a check on ``Part.on_hand``, never a replacement)."""
    with db.read() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(StockMove.quantity), 0)).where(
                StockMove.part_id == part_id, StockMove.stock == stock
            )
        )
        return int(total or 0)


def parts_below_safety_stock(db: Database) -> Sequence[Part]:
    """Active parts whose good stock is under their safety stock, emptiest first (to reorder)."""
    with db.read() as session:
        return session.scalars(
            select(Part)
            .where(Part.active.is_(True), Part.on_hand < Part.safety_stock)
            .order_by(Part.on_hand, Part.part_no)
        ).all()


@dataclass(frozen=True)
class IssueCheck:
    """What the counter shows the moment a part is scanned against an order."""

    part_id: int
    part_no: str
    name: str
    fits_model: bool
    charge: PartsCharge  # free in warranty, else confirmed / waived / what is missing
    on_hand: int
    wanted: int

    @property
    def enough_on_hand(self) -> bool:
        return self.on_hand >= self.wanted

    @property
    def charge_allows_issue(self) -> bool:
        return self.charge in PARTS_MAY_LEAVE


def check_issue(ctx: Context, order_id: int, part_id: int, quantity: int = 1) -> IssueCheck:
    """The checks of :func:`issue_part`, read without writing (the write checks them again)."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        order = load_order(session, order_id, lock=False)
        part = load_part(session, part_id)
        return IssueCheck(
            part_id=part.id,
            part_no=part.part_no,
            name=part.name,
            fits_model=part_fits_order(session, part, order),
            charge=parts_charge(session, order),
            on_hand=part.on_hand,
            wanted=quantity,
        )


def part_by_code(ctx: Context, code: str) -> Part | None:
    """The part whose number (the barcode on its bin label) is ``code``."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        return session.scalar(select(Part).where(func.upper(Part.part_no) == clean_scan(code)))


def order_technician(ctx: Context, order_id: int) -> tuple[int | None, str | None]:
    """The technician the order is allocated to (who receives its parts unless told otherwise)."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        row = session.execute(
            select(User.id, User.display_name)
            .join(RepairOrder, RepairOrder.technician_id == User.id)
            .where(RepairOrder.id == order_id)
        ).first()
        return (row[0], row[1]) if row else (None, None)
