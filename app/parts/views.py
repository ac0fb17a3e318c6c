"""What the parts keeper reads: the ledger page by page, the stock list, slow-moving and
defective stock. Each read takes a Context and needs ISSUE_PARTS (those who see the parts tab);
the Excel ledger's queries (``*_ledger_rows``) are checked by ``export_ledgers``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased

from app import values
from app.context import Context
from app.db import stream
from app.models import (
    MoveKind,
    Part,
    PartMaster,
    PurchaseRequest,
    RepairOrder,
    StockKind,
    StockMove,
    User,
)
from app.permissions import Permission
from app.vocabulary import chinese

Row = Sequence[Any]


class Ledger(StrEnum):
    """The books a move belongs to (两消两本账: repair consumption and sales apart)."""

    ALL = "all"
    REPAIR = "repair"  # issues and returns against repair orders
    SALE = "sale"  # counter sales
    OTHER = "other"  # receipts, scrap, stocktake, supplier returns


LEDGER_KINDS: dict[Ledger, tuple[MoveKind, ...]] = {
    Ledger.REPAIR: (MoveKind.ISSUE, MoveKind.RETURN_UNUSED, MoveKind.RETURN_FAULTY),
    Ledger.SALE: (MoveKind.SALE,),
    Ledger.OTHER: (
        MoveKind.RECEIPT,
        MoveKind.SCRAP,
        MoveKind.ADJUSTMENT,
        MoveKind.SUPPLIER_RETURN,
        MoveKind.TRANSFER_OUT,
        MoveKind.TRANSFER_IN,
    ),
}


@dataclass(frozen=True)
class LedgerFilter:
    part_id: int | None = None
    ledger: Ledger = Ledger.ALL
    order_id: int | None = None


@dataclass(frozen=True)
class LedgerRow:
    move_id: int
    at: datetime
    part_no: str
    part_name: str
    kind: MoveKind
    stock: StockKind
    quantity: int
    balance_after: int
    unit_cents: int
    order_no: str | None
    technician: str | None
    document_no: str | None
    reason: str | None
    by: str


_technician = aliased(User)
_keeper = aliased(User)


def _filtered(statement: Select, where: LedgerFilter) -> Select:
    if where.part_id is not None:
        statement = statement.where(StockMove.part_id == where.part_id)
    if where.order_id is not None:
        statement = statement.where(StockMove.order_id == where.order_id)
    if where.ledger is not Ledger.ALL:
        statement = statement.where(StockMove.kind.in_(LEDGER_KINDS[where.ledger]))
    return statement


def count_moves(ctx: Context, where: LedgerFilter = LedgerFilter()) -> int:  # noqa: B008
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        return int(
            session.scalar(_filtered(select(func.count()).select_from(StockMove), where)) or 0
        )


def _moves() -> Select:
    """The one query of the parts ledger (物料进销存台账): the page view and the Excel ledger
    both read it."""
    return (
        select(
            StockMove.id,
            StockMove.at,
            Part.part_no,
            PartMaster.name,
            StockMove.kind,
            StockMove.stock,
            StockMove.quantity,
            StockMove.balance_after,
            StockMove.unit_cost_cents,
            RepairOrder.order_no,
            _technician.display_name,
            StockMove.document_no,
            StockMove.reason,
            _keeper.display_name,
        )
        .select_from(StockMove)
        .join(Part, Part.id == StockMove.part_id)
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .outerjoin(RepairOrder, RepairOrder.id == StockMove.order_id)
        .outerjoin(_technician, _technician.id == StockMove.technician_id)
        .join(_keeper, _keeper.id == StockMove.by_id)
    )


def ledger_page(
    ctx: Context,
    where: LedgerFilter = LedgerFilter(),  # noqa: B008
    *,
    offset: int = 0,
    limit: int = 200,
    descending: bool = True,
) -> list[LedgerRow]:
    """Moves newest first (the ``at`` indexes keep this a walk down an index, also on 1M rows)."""
    ctx.require(Permission.ISSUE_PARTS)
    order = (
        (StockMove.at.desc(), StockMove.id.desc())
        if descending
        else (StockMove.at.asc(), StockMove.id.asc())
    )
    statement = _filtered(_moves(), where).order_by(*order).offset(offset).limit(limit)
    with ctx.db.read() as session:
        return [LedgerRow(*row) for row in session.execute(statement)]


def move_ledger_rows(ledger: Ledger) -> Callable[[Session, datetime, datetime], Iterator[Row]]:
    """One book of the Excel parts ledger: its moves in [start, end), oldest first, kind and
    stock in Chinese (its caller checks VIEW_LEDGERS)."""

    def rows(session: Session, start: datetime, end: datetime) -> Iterator[Row]:
        query = (
            _filtered(_moves(), LedgerFilter(ledger=ledger))
            .where(StockMove.at >= start, StockMove.at < end)
            .order_by(StockMove.at, StockMove.id)
        )
        for row in stream(session, query):
            yield (row[1], row[2], row[3], chinese(row[4]), chinese(row[5]), *row[6:])

    return rows


@dataclass(frozen=True)
class AgedStock:
    part_id: int
    part_no: str
    name: str
    bin_location: str | None
    quantity: int
    value_cents: int
    last_move_at: datetime | None
    age_days: int | None  # None: never moved


def _aged(ctx: Context, stock: StockKind, min_days: int | None) -> list[AgedStock]:
    ctx.require(Permission.ISSUE_PARTS)
    now = ctx.now()
    quantity = Part.on_hand if stock is StockKind.GOOD else Part.defective_on_hand
    # Per part in stock, its last move of this stock: one look-up on (part_id, stock, at) each,
    # where grouping every move by part read the whole ledger (1.4 s on 600,000 moves).
    last_at = (
        select(func.max(StockMove.at))
        .where(StockMove.part_id == Part.id, StockMove.stock == stock)
        .correlate(Part)
        .scalar_subquery()
    )
    statement = (
        select(Part, last_at)
        .where(quantity > 0)
        .order_by(last_at.asc().nulls_first(), Part.part_no)
    )
    if min_days is not None:
        cutoff = now - timedelta(days=min_days)
        statement = statement.where(last_at.is_(None) | (last_at <= cutoff))
    rows: list[AgedStock] = []
    with ctx.db.read() as session:
        for part, moved_at in session.execute(statement):
            held = part.on_hand if stock is StockKind.GOOD else part.defective_on_hand
            rows.append(
                AgedStock(
                    part_id=part.id,
                    part_no=part.part_no,
                    name=part.name,
                    bin_location=part.bin_location,
                    quantity=held,
                    value_cents=held * part.unit_cost_cents,
                    last_move_at=moved_at,
                    age_days=None if moved_at is None else (now - moved_at).days,
                )
            )
    return rows


def slow_moving(ctx: Context, days: int = 90) -> list[AgedStock]:
    """Good stock with no move for ``days`` days or more (呆滞料), the oldest first."""
    return _aged(ctx, StockKind.GOOD, values.bounded_int(days, high=values.MAX_DAYS))


def defective_stock(ctx: Context) -> list[AgedStock]:
    """Defective stock waiting for a supplier return or scrap (不良料), the oldest first."""
    return _aged(ctx, StockKind.DEFECTIVE, None)


@dataclass(frozen=True)
class PartStockRow:
    id: int
    part_no: str
    name: str
    bin_location: str | None
    on_hand: int
    safety_stock: int
    defective_on_hand: int

    @property
    def below_safety_stock(self) -> bool:
        return self.on_hand < self.safety_stock


PART_SORT_KEYS = {
    "part_no": Part.part_no,
    "name": PartMaster.name,
    "on_hand": Part.on_hand,
    "safety_stock": Part.safety_stock,
    # Most urgent first when ascending: furthest below its safety stock.
    "shortfall": Part.on_hand - Part.safety_stock,
}


def count_parts(ctx: Context) -> int:
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        return session.scalar(select(func.count(Part.id)).where(Part.active.is_(True))) or 0


def part_stock_page(
    ctx: Context,
    *,
    offset: int,
    limit: int,
    sort_key: str = "shortfall",
    descending: bool = False,
) -> Sequence[PartStockRow]:
    ctx.require(Permission.ISSUE_PARTS)
    column = PART_SORT_KEYS.get(sort_key, PART_SORT_KEYS["shortfall"])
    query = (
        select(
            Part.id,
            Part.part_no,
            PartMaster.name,
            Part.bin_location,
            Part.on_hand,
            Part.safety_stock,
            Part.defective_on_hand,
        )
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .where(Part.active.is_(True))
        .order_by(column.desc() if descending else column.asc(), Part.part_no)
        .offset(offset)
        .limit(limit)
    )
    with ctx.db.read() as session:
        return [PartStockRow(*row) for row in session.execute(query)]


def balance_ledger_rows(session: Session, start: datetime, end: datetime) -> Iterator[Row]:
    """Per part (good stock): opening balance, in, out, closing — all sums of the moves (the
    Excel ledger; its caller checks VIEW_LEDGERS)."""
    good = StockMove.stock == StockKind.GOOD
    opening = func.coalesce(func.sum(case((StockMove.at < start, StockMove.quantity), else_=0)), 0)
    within = (StockMove.at >= start) & (StockMove.at < end)
    incoming = func.coalesce(
        func.sum(case((within & (StockMove.quantity > 0), StockMove.quantity), else_=0)), 0
    )
    outgoing = func.coalesce(
        func.sum(case((within & (StockMove.quantity < 0), -StockMove.quantity), else_=0)), 0
    )
    closing = func.coalesce(func.sum(case((StockMove.at < end, StockMove.quantity), else_=0)), 0)
    query = (
        select(
            Part.part_no,
            PartMaster.name,
            Part.bin_location,
            opening,
            incoming,
            outgoing,
            closing,
            Part.safety_stock,
        )
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .outerjoin(StockMove, (StockMove.part_id == Part.id) & good)
        .group_by(Part.id, Part.part_no, PartMaster.name, Part.bin_location, Part.safety_stock)
        .order_by(Part.part_no)
    )
    return stream(session, query)


def purchase_ledger_rows(session: Session, start: datetime, end: datetime) -> Iterator[Row]:
    """Purchase requests raised in [start, end) (the Excel ledger; its caller checks
    VIEW_LEDGERS)."""
    query = (
        select(
            PurchaseRequest.created_at,
            Part.part_no,
            PartMaster.name,
            PurchaseRequest.quantity,
            Part.on_hand,
            Part.safety_stock,
            PurchaseRequest.closed_at,
        )
        .join(Part, Part.id == PurchaseRequest.part_id)
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .where(PurchaseRequest.created_at >= start, PurchaseRequest.created_at < end)
        .order_by(PurchaseRequest.created_at)
    )
    return stream(session, query)
