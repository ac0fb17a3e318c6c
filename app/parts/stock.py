"""The one way stock changes: a guarded UPDATE on the part's balance plus one ledger row.

``Part.on_hand`` (good stock) and ``Part.defective_on_hand`` (不良料) are changed only here, by
``UPDATE ... WHERE balance >= :taken``: the database, not Python, decides whether the last unit is
still there, so two counters taking it at the same moment never both get it (SQLite serialises
the writers, PostgreSQL re-checks the guard after waiting for the other row lock). Every move
stores the balance it left, so the ledger reads in / out / balance without adding anything up.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app import values
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.models import MoveKind, Part, StockKind, StockMove


def check_quantity(quantity: int) -> None:
    values.bounded_int(quantity)


def required_text(text: str | None, message: str) -> str:
    """``text`` cleaned (``values.clean_text``), or refuse with ``message`` (an ``N_()``
    template) when it is blank."""
    return values.clean_text(text, max_length=255, required=message)


def load_part(session: Session, part_id: int) -> Part:
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound(N_("There is no part with id {id}. Scan the part label again."), id=part_id)
    if not part.active:
        raise InvalidInput(
            N_("Part {part_no} is no longer in use. Choose its replacement."), part_no=part.part_no
        )
    return part


def _balance_column(stock: StockKind) -> InstrumentedAttribute[int]:
    return Part.on_hand if stock is StockKind.GOOD else Part.defective_on_hand


def note_bulk_change(session: Session) -> None:
    """Bulk UPDATEs bypass the flush tracking: name the table for the change broadcast."""
    session.info.setdefault("changed_tables", set()).add(Part.__tablename__)


def add_to_stock(
    session: Session, part_id: int, quantity: int, stock: StockKind = StockKind.GOOD
) -> int:
    column = _balance_column(stock)
    statement = (
        update(Part)
        .where(Part.id == part_id)
        .values({column: column + quantity})
        .returning(column)
        .execution_options(synchronize_session=False)
    )
    balance = session.execute(statement).scalar_one()
    note_bulk_change(session)
    return int(balance)


def take_from_stock(
    session: Session, part: Part, quantity: int, stock: StockKind = StockKind.GOOD
) -> int:
    """Take ``quantity`` off the shelf or refuse; the guard in the WHERE is what prevents oversell."""
    column = _balance_column(stock)
    statement = (
        update(Part)
        .where(Part.id == part.id, column >= quantity)
        .values({column: column - quantity})
        .returning(column)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement).all()
    if len(result) != 1:  # the guard refused: another counter took the last units first
        left = session.scalar(select(column).where(Part.id == part.id))
        if stock is StockKind.DEFECTIVE:
            raise Conflict(
                N_(
                    "Not enough defective {name} ({part_no}): {left} in defective stock, "
                    "{wanted} asked."
                ),
                name=part.name,
                part_no=part.part_no,
                left=left,
                wanted=quantity,
            )
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
    note_bulk_change(session)
    return int(result[0][0])


def change_stock(session: Session, part: Part, signed_quantity: int, stock: StockKind) -> int:
    if signed_quantity >= 0:
        return add_to_stock(session, part.id, signed_quantity, stock)
    return take_from_stock(session, part, -signed_quantity, stock)


def book_move(
    session: Session,
    ctx: Context,
    part: Part,
    kind: MoveKind,
    signed_quantity: int,
    *,
    stock: StockKind = StockKind.GOOD,
    unit_cost_cents: int | None = None,
    **fields: Any,
) -> StockMove:
    """Change the balance and write the ledger row that says why (inside the caller's transaction)."""
    balance = change_stock(session, part, signed_quantity, stock)
    move = StockMove(
        part_id=part.id,
        kind=kind,
        stock=stock,
        quantity=signed_quantity,
        balance_after=balance,
        unit_cost_cents=part.unit_cost_cents if unit_cost_cents is None else unit_cost_cents,
        at=ctx.now(),
        by_id=ctx.user_id,
        station=ctx.station,
        **fields,
    )
    session.add(move)
    session.flush()
    return move
