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


class PartMaster(Base):
    """The network's parts master (物料主数据), kept by headquarters and read by every center:
    the part number (normalised like every scanned code: ``formats.clean_scan``), the name, the
    standard cost and sale price, and the product models it fits. A center's stock of the part
    is its own row in ``parts`` (:class:`Part`), which names the master part by its number.

    A part number is never renamed (it is the key every center's stock row and label carries):
    a new number is a new master part, the old one is retired (``active``)."""

    __tablename__ = "part_masters"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    unit_cost_cents: Mapped[int] = mapped_column(default=0)
    sale_price_cents: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Edits of the master part (its fits too) are new versions: bumped by app.parts.master.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    fits: Mapped[list[PartFit]] = relationship(cascade="all, delete-orphan")


class PartFit(Base):
    """Which product models a master part fits (the network's fact, kept with the master)."""

    __tablename__ = "part_master_fits"

    part_master_id: Mapped[int] = mapped_column(ForeignKey("part_masters.id"), primary_key=True)
    product_model_id: Mapped[int] = mapped_column(ForeignKey("product_models.id"), primary_key=True)


class Part(CenterOwned, Base):
    """A center's stock of a master part: its bin, safety stock, reorder quantity and balances.
    ``on_hand`` is a cache of the sum of its stock moves, kept by guarded updates.

    The name, prices and fits are the master's (one fact, one place): ``part.name`` and the
    others read ``part.master``, loaded with the row by a join on the unique part number. SQL
    that lists parts joins :class:`PartMaster` itself. ``version`` counts edits of the stock
    row's own settings (bin, safety stock, reorder quantity, active), not stock moves: those
    are guarded updates of the balance (``app.parts.stock``)."""

    __tablename__ = "parts"
    __table_args__ = (UniqueConstraint("part_no", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64), ForeignKey("part_masters.part_no"))
    bin_location: Mapped[str | None] = mapped_column(String(32))
    safety_stock: Mapped[int] = mapped_column(default=0)
    reorder_quantity: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    defective_on_hand: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # app.parts.master

    master: Mapped[PartMaster] = relationship(lazy="joined", innerjoin=True)

    @property
    def name(self) -> str:
        return self.master.name

    @property
    def unit_cost_cents(self) -> int:
        return self.master.unit_cost_cents

    @property
    def sale_price_cents(self) -> int:
        return self.master.sale_price_cents

    @property
    def fits(self) -> list[PartFit]:
        return self.master.fits


# A scanned bin label finds its part in any case (upper(part_no) = the clean scan) by this index.
Index("ix_parts_part_no_upper", func.upper(Part.part_no))


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


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers  # noqa: E402, F401
