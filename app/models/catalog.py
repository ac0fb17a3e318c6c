"""Catalogues a supervisor keeps: product models, parts, carriers, racks, the calendar, settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CenterOwned, center_column, enum_column_type
from app.models.enums import CalendarDayKind, SerialKind


class ProductCategory(Base):
    """Phones, tablets, watches...: what is checked at intake for every unit of the category."""

    __tablename__ = "product_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    # Appearance items (屏幕, 外壳, 按键...) to be judged for each unit at intake.
    appearance_checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Accessories to tick when received (充电器, 数据线, 卡针, 包装盒...).
    accessory_checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    # When on, a unit cannot leave receiving (be allocated) before its appearance check is complete.
    intake_gate: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)


class ProductModel(Base):
    __tablename__ = "product_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    brand: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64), default="phone")  # ProductCategory.code
    serial_kind: Mapped[SerialKind] = mapped_column(
        enum_column_type(SerialKind), default=SerialKind.IMEI
    )
    # For free-form serials: a regular expression the serial must match (None: letters, digits, '-').
    serial_pattern: Mapped[str | None] = mapped_column(String(128))
    # First 8 digits of IMEIs (TAC) that identify this model, so a scan can suggest it.
    tac_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacities: Mapped[list[str]] = mapped_column(JSON, default=list)
    colours: Mapped[list[str]] = mapped_column(JSON, default=list)
    common_faults: Mapped[list[str]] = mapped_column(JSON, default=list)
    qc_checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    appearance_checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    warranty_months: Mapped[int] = mapped_column(default=12)
    aging_minutes: Mapped[int] = mapped_column(default=240)
    turnaround_days: Mapped[int] = mapped_column(default=3)
    active: Mapped[bool] = mapped_column(default=True)


class Part(CenterOwned, Base):
    """A spare part. ``on_hand`` is a cache of the sum of its stock moves, kept by guarded updates.
    Each center keeps its own parts list (its stock and bins are its own)."""

    __tablename__ = "parts"
    __table_args__ = (UniqueConstraint("part_no", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    unit_cost_cents: Mapped[int] = mapped_column(default=0)
    sale_price_cents: Mapped[int] = mapped_column(default=0)
    bin_location: Mapped[str | None] = mapped_column(String(32))
    safety_stock: Mapped[int] = mapped_column(default=0)
    reorder_quantity: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    defective_on_hand: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    fits: Mapped[list[PartFit]] = relationship(cascade="all, delete-orphan")


# A scanned bin label finds its part in any case (upper(part_no) = the clean scan) by this index.
Index("ix_parts_part_no_upper", func.upper(Part.part_no))


class PartFit(CenterOwned, Base):
    """Which product models a part fits."""

    __tablename__ = "part_fits"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    product_model_id: Mapped[int] = mapped_column(ForeignKey("product_models.id"), primary_key=True)


class Carrier(Base):
    """A courier. ``waybill_pattern`` is a regular expression; the S10 check digit is code."""

    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    waybill_pattern: Mapped[str | None] = mapped_column(String(128))
    uses_s10_check_digit: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


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


class FaultCode(Base):
    """The fault knowledge base's vocabulary (故障反馈资料库)."""

    __tablename__ = "fault_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)


class CalendarDay(Base):
    """Exceptions to the Monday-to-Friday week: public holidays and make-up working days (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[CalendarDayKind] = mapped_column(enum_column_type(CalendarDayKind))
    name: Mapped[str | None] = mapped_column(String(64))


class Setting(Base):
    """Center-wide settings a supervisor edits (name, address, deadlines...), one JSON value each."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_id: Mapped[int] = center_column(primary_key=True)  # each center its own settings
    value: Mapped[Any] = mapped_column(JSON)
    # No row yet: version 0. A server default only, so that a database of an older schema (read
    # and backed up before its upgrade) can still be written key and value alone.
    version: Mapped[int] = mapped_column(server_default="1")


class Counter(Base):
    """Named counters for document numbers (``RO20261124`` → last sequence used that day).

    Incremented inside the transaction that uses the number, so numbers are unique across
    stations: SQLite serialises writers, PostgreSQL locks the row.
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    center_id: Mapped[int] = center_column(primary_key=True)  # each center its own series
    value: Mapped[int] = mapped_column(default=0)
