"""Every center's stock and shortages, for headquarters (read in ``network_view``), and where a
short center could get the part from: the centers with the same part number to spare.

A center is short of a part (the parts counter's own rule, ``app.parts.shortage``) when orders
wait for it (待料) or its good stock is at or under its safety stock. It needs what serves the
waiting orders and brings the stock back to safety; another center can spare what it holds
beyond its own waiting orders and safety stock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.centers import network_view
from app.context import Context
from app.headquarters.figures import require_headquarters
from app.models import Center, Part, PartMaster, PartWait, StockKind, StockMove


@dataclass(frozen=True)
class Source:
    center_id: int
    code: str
    spare: int


@dataclass(frozen=True)
class CenterStock:
    center_id: int
    code: str  # the center's
    center_name: str
    part_no: str
    name: str
    on_hand: int
    safety_stock: int
    waiting: int  # units the center's open orders wait for
    orders_waiting: int
    sources: tuple[Source, ...] = field(default=())  # short rows: who could send, most first

    @property
    def short(self) -> bool:
        return self.waiting > 0 or (0 < self.safety_stock and self.on_hand <= self.safety_stock)

    @property
    def need(self) -> int:
        return max(0, self.waiting + self.safety_stock - self.on_hand)

    @property
    def spare(self) -> int:
        return max(0, self.on_hand - self.waiting - self.safety_stock)


def _rows(session: Session, part_nos: list[str] | None = None) -> list[CenterStock]:
    waits = (
        select(
            PartWait.part_id,
            func.sum(PartWait.quantity).label("units"),
            func.count(func.distinct(PartWait.order_id)).label("orders"),
        )
        .where(PartWait.resolved_at.is_(None))
        .group_by(PartWait.part_id)
        .subquery()
    )
    query = (
        select(
            Center.id,
            Center.code,
            Center.name,
            Part.part_no,
            PartMaster.name,
            Part.on_hand,
            Part.safety_stock,
            func.coalesce(waits.c.units, 0),
            func.coalesce(waits.c.orders, 0),
        )
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .join(Center, Center.id == Part.center_id)
        .outerjoin(waits, waits.c.part_id == Part.id)
        .where(Part.active.is_(True))
        .order_by(Part.part_no, Center.code)
    )
    if part_nos is not None:
        query = query.where(Part.part_no.in_(part_nos))
    return [
        CenterStock(center, code, center_name, part_no, name, held, safety, int(units), int(orders))
        for center, code, center_name, part_no, name, held, safety, units, orders in session.execute(
            query
        )
    ]


def network_stock(ctx: Context, *, only_short: bool = False) -> list[CenterStock]:
    """Every center's active parts (by part number, then center); with ``only_short``, the
    shortages only, each with the centers that could send it (most to spare first)."""
    require_headquarters(ctx)
    with ctx.db.read() as session:
        network_view(session)
        rows = _rows(session)
    if not only_short:
        return rows
    spare: dict[str, list[Source]] = {}
    for row in rows:
        if row.spare > 0:
            spare.setdefault(row.part_no, []).append(Source(row.center_id, row.code, row.spare))
    return [
        replace(row, sources=tuple(sorted(spare.get(row.part_no, ()), key=_most)))
        for row in rows
        if row.short
    ]


def _most(source: Source) -> tuple[int, str]:
    return (-source.spare, source.code)


@dataclass(frozen=True)
class LedgerLine:
    """One part of one center over [start, end): its good stock's ledger."""

    center_id: int
    part_no: str
    opening: int
    incoming: int
    outgoing: int
    closing: int
    on_hand: int  # the balance the parts row holds now

    @property
    def balanced(self) -> bool:
        """opening + in - out = closing, each a sum of the center's own moves."""
        return self.opening + self.incoming - self.outgoing == self.closing

    @property
    def matches_stock(self) -> bool:
        """The closing balance is what the parts row holds (a period that ends now or later)."""
        return self.closing == self.on_hand


def network_ledger(ctx: Context, start: datetime, end: datetime) -> list[LedgerLine]:
    """Every center's good-stock ledger per part over [start, end), in one grouped statement."""
    require_headquarters(ctx)
    with ctx.db.read() as session:
        network_view(session)
        return ledger_lines(session, start, end)


def ledger_lines(session: Session, start: datetime, end: datetime) -> list[LedgerLine]:
    """The ledger per part and center the session sees (a center's role: its own)."""
    quantity = StockMove.quantity
    within = (StockMove.at >= start) & (StockMove.at < end)

    def total(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, quantity), else_=0)), 0)

    query = (
        select(
            Part.center_id,
            Part.part_no,
            total(StockMove.at < start),
            total(within & (quantity > 0)),
            -total(within & (quantity < 0)),
            total(StockMove.at < end),
            Part.on_hand,
        )
        .outerjoin(
            StockMove,
            (StockMove.part_id == Part.id) & (StockMove.stock == StockKind.GOOD),
        )
        .group_by(Part.id, Part.center_id, Part.part_no, Part.on_hand)
        .order_by(Part.part_no, Part.center_id)
    )
    return [
        LedgerLine(center, part_no, int(opening), int(incoming), int(outgoing), int(closing), held)
        for center, part_no, opening, incoming, outgoing, closing, held in session.execute(query)
    ]


@dataclass(frozen=True)
class CenterChoice:
    center_id: int
    code: str
    name: str


def network_centers(ctx: Context) -> list[CenterChoice]:
    """The network's active centers (a transfer's sender and receiver)."""
    require_headquarters(ctx)
    with ctx.db.read() as session:
        return [
            CenterChoice(center.id, center.code, center.name)
            for center in session.scalars(
                select(Center).where(Center.active.is_(True)).order_by(Center.code)
            )
        ]
