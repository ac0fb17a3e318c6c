"""Outbound shipments and their waybills."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned, enum_column_type
from app.models.enums import ShipmentStatus


class Shipment(CenterOwned, Base):
    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("shipment_no", "center_id"),
        Index("ix_shipments_waybill_no", "waybill_no"),
        # The shipping desk's lists: today's shipped, the packing table's open shipments.
        Index("ix_shipments_status_shipped_at", "status", "shipped_at"),
        Index("ix_shipments_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shipment_no: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(enum_column_type(ShipmentStatus))
    carrier_code: Mapped[str | None] = mapped_column(String(16))
    waybill_no: Mapped[str | None] = mapped_column(String(64))
    receiver_name: Mapped[str] = mapped_column(String(128))
    receiver_phone: Mapped[str | None] = mapped_column(String(32))
    receiver_address: Mapped[str] = mapped_column(String(512))
    pieces: Mapped[int] = mapped_column(default=1)
    weight_grams: Mapped[int | None]
    declared_value_cents: Mapped[int | None]
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime | None]
    shipped_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(255))
    # The waybill details' version (set_waybill bumps it; packing units does not).
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class ShipmentItem(CenterOwned, Base):
    __tablename__ = "shipment_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    added_at: Mapped[datetime]


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers, orders, people  # noqa: E402, F401
