"""Declarative base, the column types every model shares, and the naming convention.

- Times are stored timezone-aware: PostgreSQL keeps ``timestamptz``; SQLite keeps ISO text, and
  :class:`UTCDateTime` puts the UTC zone back on the way out, so Python always sees aware times.
- Money is integer cents (``*_cents`` columns); :mod:`app.money` converts to ``Decimal`` yuan.
- Enums are stored as their string values in VARCHAR columns (no native enum types), so adding a
  state is a code change, not a schema fight between SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, normalised to UTC in the database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        value = value.astimezone(UTC)
        # SQLite has no zone: store plain UTC text so that text ordering is time ordering.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column_type(enum_class: type[enum.Enum]) -> Enum:
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        str: String(255),
        int: Integer(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }

    def __repr__(self) -> str:
        key = getattr(self, "id", None)
        return f"<{type(self).__name__} id={key}>"


# Identifiers of the big tables: 64-bit on PostgreSQL, SQLite's rowid alias on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


# The center every row of a one-center database belongs to (SQLite, and an upgraded server).
FIRST_CENTER = 1


class CenterOwned:
    """A table whose rows belong to one center (``app.centers.CENTER_TABLES``).

    Services never set ``center_id``: the database fills it. SQLite is one center (1); on
    PostgreSQL migration 0016 makes the default ``rf_current_center()``, the center of the role
    the station connected as, and row-level security refuses a row of any other center.
    """

    @declared_attr
    def center_id(cls) -> Mapped[int]:
        return center_column()


def center_column(*, primary_key: bool = False) -> Mapped[int]:
    """The ``center_id`` of a center's row (part of the key where the key is a name a center
    chooses: a counter, a setting)."""
    return mapped_column(
        ForeignKey("centers.id"),
        primary_key=primary_key,
        nullable=False,
        server_default=text(str(FIRST_CENTER)),
    )
