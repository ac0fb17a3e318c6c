"""Units, inbound boxes and repair orders: the spine of the floor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BigId, CenterOwned, center_column, enum_column_type
from app.models.catalog import ProductModel
from app.models.enums import ChargeStatus, Handling, RepairState
from app.models.people import Customer, User


class Unit(CenterOwned, Base):
    """One physical device, known by its serial / IMEI. A unit has many repair orders over time."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("serial", "center_id"),)  # each center its own

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    serial: Mapped[str] = mapped_column(String(64))
    product_model_id: Mapped[int] = mapped_column(ForeignKey("product_models.id"), index=True)
    capacity: Mapped[str | None] = mapped_column(String(32))
    colour: Mapped[str | None] = mapped_column(String(32))
    purchase_date: Mapped[date | None]
    created_at: Mapped[datetime]

    product_model: Mapped[ProductModel] = relationship(lazy="joined")


class SalesRecord(Base):
    """The maker's sales register: which serial was sold, when, to which dealer (warranty source)."""

    __tablename__ = "sales_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    model_code: Mapped[str] = mapped_column(String(64))
    sale_date: Mapped[date]
    dealer: Mapped[str | None] = mapped_column(String(128))


class InboundBox(CenterOwned, Base):
    """A parcel as it arrives: its courier waybill, who sent it and how many units they declared."""

    __tablename__ = "inbound_boxes"
    __table_args__ = (Index("ix_inbound_boxes_waybill_no", "waybill_no"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    waybill_no: Mapped[str] = mapped_column(String(64))
    carrier_code: Mapped[str | None] = mapped_column(String(16))
    sender_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    declared_quantity: Mapped[int]
    opened_at: Mapped[datetime]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    difference_note: Mapped[str | None] = mapped_column(String(512))
    needs_customer_contact: Mapped[bool] = mapped_column(default=False)

    sender: Mapped[Customer] = relationship()


class RepairOrder(CenterOwned, Base):
    """One unit's visit to the center, from receiving to shipping.

    ``state`` changes only through :func:`app.orders.transitions.transition`; the ``version`` column makes a
    save over someone else's newer change fail instead of silently overwriting it.
    """

    __tablename__ = "repair_orders"
    __table_args__ = (
        UniqueConstraint("order_no", "center_id"),  # each center its own series
        Index("ix_repair_orders_state_received_at", "state", "received_at"),
        Index("ix_repair_orders_received_at", "received_at"),  # "newest first" lists of any state
        Index("ix_repair_orders_state_due_at_id", "state", "due_at", "id"),  # queues by due time
        Index("ix_repair_orders_is_rework_received_at", "is_rework", "received_at"),  # 事不过三
        Index("ix_repair_orders_unit_id", "unit_id"),
        Index("ix_repair_orders_customer_id", "customer_id"),
        Index("ix_repair_orders_technician_id_state", "technician_id", "state"),
        Index("ix_repair_orders_box_id", "box_id"),
        # KPIs by the month an order shipped / was repaired; each covers what the KPI reads.
        Index("ix_repair_orders_shipped_at_received_at", "shipped_at", "received_at"),
        Index(
            "ix_repair_orders_repaired_at_technician_id",
            "repaired_at",
            "technician_id",
            "allocated_at",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    box_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_boxes.id"))
    state: Mapped[RepairState] = mapped_column(enum_column_type(RepairState))
    handling: Mapped[Handling] = mapped_column(enum_column_type(Handling), default=Handling.REPAIR)
    special_reason: Mapped[str | None] = mapped_column(String(512))
    special_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    special_approved_at: Mapped[datetime | None]

    # As received
    capacity: Mapped[str | None] = mapped_column(String(32))
    colour: Mapped[str | None] = mapped_column(String(32))
    fault_description: Mapped[str] = mapped_column(String(512), default="")
    accessories: Mapped[list[str]] = mapped_column(JSON, default=list)
    appearance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appearance_notes: Mapped[str | None] = mapped_column(String(512))
    condition_checked_at: Mapped[datetime | None]  # the intake appearance check is complete
    in_warranty: Mapped[bool] = mapped_column(default=False)
    warranty_until: Mapped[date | None]
    warranty_basis: Mapped[str | None] = mapped_column(String(255))
    is_repeat: Mapped[bool] = mapped_column(default=False)
    is_rework: Mapped[bool] = mapped_column(default=False)  # back within 90 days of our shipment

    # Bench
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    diagnosis: Mapped[str | None] = mapped_column(Text)
    repair_action: Mapped[str | None] = mapped_column(Text)
    rework_count: Mapped[int] = mapped_column(default=0)  # QC fails sent back to repair

    # Milestones (also in the audit log; kept here for fast ledgers and KPIs)
    received_at: Mapped[datetime]
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime | None]
    allocated_at: Mapped[datetime | None]
    repaired_at: Mapped[datetime | None]
    qc_passed_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")
    technician: Mapped[User | None] = relationship(foreign_keys=[technician_id])
    box: Mapped[InboundBox | None] = relationship()


class Charge(CenterOwned, Base):
    """A charge proposed for an out-of-warranty repair and the customer's answer to it."""

    __tablename__ = "charges"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    parts_cents: Mapped[int] = mapped_column(default=0)
    labour_cents: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(512))
    status: Mapped[ChargeStatus] = mapped_column(enum_column_type(ChargeStatus))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime]
    answered_by_customer: Mapped[str | None] = mapped_column(String(128))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]


class OrderStateCount(Base):
    """How many repair orders are in each state. Kept by triggers on ``repair_orders``
    (migration 0010) in the very transaction of each insert, change of state or delete, so the
    ledgers' counts read a dozen rows, not every order. Derived data: a move to a server does not
    copy it (the triggers count the copied orders)."""

    __tablename__ = "order_state_counts"

    state: Mapped[RepairState] = mapped_column(enum_column_type(RepairState), primary_key=True)
    center_id: Mapped[int] = center_column(primary_key=True)
    orders: Mapped[int]


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers  # noqa: E402, F401
