"""The parts ledger (进销存): moves are never edited, corrections are new moves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned, enum_column_type
from app.models.enums import MoveKind, StockKind


class StockMove(CenterOwned, Base):
    """One row of the parts ledger.

    ``quantity`` is signed: what the move does to the on-hand balance of ``stock`` (good or
    defective). Repair consumption (ISSUE with an order) and counter sales (SALE) are different
    kinds, so the two ledgers (两消两本账) never mix.
    """

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_part_id_at", "part_id", "at"),
        Index("ix_stock_moves_at", "at"),
        # A part's last move of good or of defective stock: one look-up per part.
        Index("ix_stock_moves_part_id_stock_at", "part_id", "stock", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    kind: Mapped[MoveKind] = mapped_column(enum_column_type(MoveKind))
    stock: Mapped[StockKind] = mapped_column(enum_column_type(StockKind), default=StockKind.GOOD)
    quantity: Mapped[int]
    balance_after: Mapped[int]
    unit_cost_cents: Mapped[int] = mapped_column(default=0)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    document_no: Mapped[str | None] = mapped_column(String(64))  # purchase, sale or RMA number
    reason: Mapped[str | None] = mapped_column(String(255))
    at: Mapped[datetime]
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    # A transfer between centers: the other center (its move has the same document number).
    peer_center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))


class PartWait(CenterOwned, Base):
    """An order waiting for a part that is out of stock (first waiting, first served)."""

    __tablename__ = "part_waits"
    __table_args__ = (Index("ix_part_waits_part_id_since", "part_id", "since"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    since: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class PurchaseRequest(CenterOwned, Base):
    __tablename__ = "purchase_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[int]
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import catalog, centers, orders, parts, people  # noqa: E402, F401
