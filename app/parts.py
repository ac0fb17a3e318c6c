"""The parts ledger (进销存): receipts in, issues to repair orders out, the balance always known.

``Part.on_hand`` is changed only by one guarded UPDATE per move (``... WHERE on_hand >= :q``):
the database, not Python, decides whether the last unit is still there, so two parts counters
issuing at the same moment never sell the same unit twice (SQLite serialises the writers,
PostgreSQL re-checks the guard after waiting for the other row lock). Every move stores the
balance it left, so the ledger reads in / out / balance without adding anything up.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from . import audit, states
from .context import Context
from .db import Database
from .errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from .models import (
    Charge,
    ChargeStatus,
    MoveKind,
    Part,
    RepairOrder,
    Role,
    StockKind,
    StockMove,
    User,
)
from .order_store import load_order
from .permissions import Permission


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InvalidInput(N_("The quantity must be a whole number above zero."))


def _load_part(session: Session, part_id: int) -> Part:
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound(N_("There is no part with id {id}. Scan the part label again."), id=part_id)
    if not part.active:
        raise InvalidInput(
            N_("Part {part_no} is no longer in use. Choose its replacement."), part_no=part.part_no
        )
    return part


def _note_bulk_change(session: Session) -> None:
    """Bulk UPDATEs bypass the flush tracking: name the table for the change broadcast."""
    session.info.setdefault("changed_tables", set()).add(Part.__tablename__)


def _add_to_stock(session: Session, part_id: int, quantity: int) -> int:
    statement = (
        update(Part)
        .where(Part.id == part_id)
        .values(on_hand=Part.on_hand + quantity)
        .returning(Part.on_hand)
        .execution_options(synchronize_session=False)
    )
    balance = session.execute(statement).scalar_one()
    _note_bulk_change(session)
    return int(balance)


def _take_from_stock(session: Session, part: Part, quantity: int) -> int:
    """Take ``quantity`` off the shelf or refuse; the guard in the WHERE is what prevents oversell."""
    statement = (
        update(Part)
        .where(Part.id == part.id, Part.on_hand >= quantity)
        .values(on_hand=Part.on_hand - quantity)
        .returning(Part.on_hand)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement).all()
    if len(result) != 1:  # the guard refused: another counter took the last units first
        left = session.scalar(select(Part.on_hand).where(Part.id == part.id))
        raise Conflict(
            N_(
                "Not enough {name} ({part_no}) on hand: {left} left, {wanted} asked. "
                "Put the order on waiting for parts."
            ),
            name=part.name,
            part_no=part.part_no,
            left=left,
            wanted=quantity,
        )
    _note_bulk_change(session)
    return int(result[0][0])


def receive_stock(
    ctx: Context,
    part_id: int,
    quantity: int,
    *,
    document_no: str,
    unit_cost_cents: int | None = None,
) -> int:
    """Book a delivery into good stock (a RECEIPT move). Returns the move's id."""
    ctx.require(Permission.ISSUE_PARTS)
    _check_quantity(quantity)
    document_no = document_no.strip()
    if not document_no:
        raise InvalidInput(N_("Enter the delivery note or purchase order number."))
    if unit_cost_cents is not None and unit_cost_cents < 0:
        raise InvalidInput(N_("The unit cost cannot be negative."))
    with ctx.db.transaction() as session:
        part = _load_part(session, part_id)
        cost = part.unit_cost_cents if unit_cost_cents is None else unit_cost_cents
        balance = _add_to_stock(session, part.id, quantity)
        move = StockMove(
            part_id=part.id,
            kind=MoveKind.RECEIPT,
            stock=StockKind.GOOD,
            quantity=quantity,
            balance_after=balance,
            unit_cost_cents=cost,
            document_no=document_no,
            at=ctx.now(),
            by_id=ctx.user_id,
            station=ctx.station,
        )
        session.add(move)
        session.flush()
        audit.record(
            session,
            ctx,
            "receive_stock",
            "part",
            part.part_no,
            after={"quantity": quantity, "balance_after": balance, "document_no": document_no},
        )
        return move.id


def _refuse_unconfirmed_charge(session: Session, order: RepairOrder) -> None:
    latest = session.scalar(
        select(Charge).where(Charge.order_id == order.id).order_by(Charge.id.desc()).limit(1)
    )
    if latest is not None and latest.status is not ChargeStatus.ACCEPTED:
        raise IllegalTransition(
            N_(
                "Order {order_no} is charged and the customer has not accepted the charge: "
                "customer service must confirm it before parts are issued."
            ),
            order_no=order.order_no,
        )


def _technician(session: Session, technician_id: int) -> User:
    user = session.get(User, technician_id)
    if user is None or not user.active or Role.TECHNICIAN not in user.roles:
        raise InvalidInput(N_("Parts are issued to an active technician: scan their badge."))
    return user


def issue_part(
    ctx: Context, order_id: int, part_id: int, quantity: int, *, technician_id: int
) -> int:
    """Issue good parts to a technician for a repair order (an ISSUE move). Returns the move's id."""
    ctx.require(Permission.ISSUE_PARTS)
    _check_quantity(quantity)
    with ctx.db.transaction() as session:
        # Lock the order first, then the part: the same order everywhere, so no deadlocks.
        order = load_order(session, order_id)
        if order.state not in states.OPEN_STATES:
            raise IllegalTransition(
                N_("Order {order_no} is {state}: parts go only to open orders."),
                order_no=order.order_no,
                state=states.STATE_LABELS[order.state],
            )
        _refuse_unconfirmed_charge(session, order)
        technician = _technician(session, technician_id)
        part = _load_part(session, part_id)
        balance = _take_from_stock(session, part, quantity)
        move = StockMove(
            part_id=part.id,
            kind=MoveKind.ISSUE,
            stock=StockKind.GOOD,
            quantity=-quantity,
            balance_after=balance,
            unit_cost_cents=part.unit_cost_cents,
            order_id=order.id,
            technician_id=technician.id,
            at=ctx.now(),
            by_id=ctx.user_id,
            station=ctx.station,
        )
        session.add(move)
        session.flush()
        audit.record(
            session,
            ctx,
            "issue_part",
            "part",
            part.part_no,
            order_id=order.id,
            after={"quantity": quantity, "balance_after": balance, "to": technician.username},
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
