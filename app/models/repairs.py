"""What a repair leaves on its order: the fault vocabulary and records, the out-book's
allocations, serial swaps, photos and old attachments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned


class FaultCode(Base):
    """The fault knowledge base's vocabulary (故障反馈资料库)."""

    __tablename__ = "fault_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)


class Attachment(CenterOwned, Base):
    """A photo attached to an order before photos went into the database: a file on the
    receiving PC, the row keeping its path. Migration 0014 moved every file it found into
    :class:`Photo`; a row left here names a file that was missing then."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    path: Mapped[str] = mapped_column(String(1024))
    caption: Mapped[str | None] = mapped_column(String(255))
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Photo(CenterOwned, Base):
    """A picture of a unit (its condition at intake), stored in the database so every station
    and every backup has it. ``data`` is the picture as taken (bounded in size, its type checked
    when stored); ``thumbnail`` a small JPEG for lists."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    byte_size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    caption: Mapped[str | None] = mapped_column(String(255))
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64), default="")


class RepairRecord(CenterOwned, Base):
    """Fault code → cause → action for one repair: the fault knowledge base (故障反馈资料库)."""

    __tablename__ = "repair_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    fault_code: Mapped[str | None] = mapped_column(String(32))
    cause: Mapped[str] = mapped_column(String(512))
    action: Mapped[str] = mapped_column(String(512))
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class SerialSwap(CenterOwned, Base):
    """A unit replaced or its board swapped: the order now carries a new serial (old → new)."""

    __tablename__ = "serial_swaps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[str] = mapped_column(String(255))
    swapped_at: Mapped[datetime]
    swapped_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Allocation(CenterOwned, Base):
    """One line of the out-book (出库本): an order handed to a technician, or handed on."""

    __tablename__ = "allocations"
    __table_args__ = (
        Index("ix_allocations_at", "at"),
        Index("ix_allocations_technician_id_at", "technician_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    previous_technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(255))  # required for a reassignment
    at: Mapped[datetime]
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers, orders, people  # noqa: E402, F401
