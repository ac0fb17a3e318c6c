"""QC aging (burn-in) runs on the racks (老化架)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned, enum_column_type
from app.models.enums import QcResult


class Rack(CenterOwned, Base):
    __tablename__ = "racks"
    __table_args__ = (UniqueConstraint("code", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))


class RackSlot(CenterOwned, Base):
    __tablename__ = "rack_slots"
    __table_args__ = (UniqueConstraint("code", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rack_id: Mapped[int] = mapped_column(ForeignKey("racks.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class AgingRun(CenterOwned, Base):
    """One aging run of one order in one rack slot, and its signed result."""

    __tablename__ = "aging_runs"
    __table_args__ = (
        Index("ix_aging_runs_signed_at", "signed_at"),  # QC sign-offs of a month
        # An order's runs in order: its first finished run found without reading all runs.
        Index("ix_aging_runs_order_id_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"))
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("rack_slots.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime]
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime]
    required_minutes: Mapped[int]
    result: Mapped[QcResult | None] = mapped_column(enum_column_type(QcResult))
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fail_reason: Mapped[str | None] = mapped_column(String(512))
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_reason: Mapped[str | None] = mapped_column(String(512))


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers, orders, people  # noqa: E402, F401
