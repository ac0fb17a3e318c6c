"""Headquarters' decisions on its stations: the two-valid-complaints warning of a month."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CenterOwned, enum_column_type


class WarningDecision(enum.StrEnum):
    PENALTY = "penalty"  # a penalty, counted in the station's yearly review
    REPRIMAND = "reprimand"  # 通报批评: criticised before the network


class CenterWarning(CenterOwned, Base):
    """Two or more valid complaints against one center in a month (seed 000), raised from the
    data, and headquarters' decision on it, approved by a second person's signature.

    The row is headquarters' own (``center_id``: the center that decides, row-level security
    lets only it write); ``station_id`` is the center warned."""

    __tablename__ = "center_warnings"
    __table_args__ = (UniqueConstraint("station_id", "month", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11", center's time
    valid_complaints: Mapped[int]
    raised_at: Mapped[datetime]
    decision: Mapped[WarningDecision | None] = mapped_column(enum_column_type(WarningDecision))
    penalty_cents: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(String(512))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
