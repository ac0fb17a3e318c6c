"""Catalogues a supervisor keeps: product categories and models, carriers, the calendar and the
document counters (parts: app/models/parts.py; racks: app/models/qc.py; settings:
app/models/settings.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, center_column, enum_column_type
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


class Carrier(Base):
    """A courier. ``waybill_pattern`` is a regular expression; the S10 check digit is code."""

    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    waybill_pattern: Mapped[str | None] = mapped_column(String(128))
    uses_s10_check_digit: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class CalendarDay(Base):
    """Exceptions to the Monday-to-Friday week: public holidays and make-up working days (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[CalendarDayKind] = mapped_column(enum_column_type(CalendarDayKind))
    name: Mapped[str | None] = mapped_column(String(64))


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
