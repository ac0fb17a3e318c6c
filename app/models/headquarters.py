"""Headquarters' decisions on its stations: the two-valid-complaints warning of a month."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CenterOwned, enum_column_type
from app.models.enums import EscalationDecision


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


class Escalation(CenterOwned, Base):
    """A complaint a station escalated to headquarters (上报服务管理部), with its reason.

    The station's own row (``center_id``: the escalating center): row-level security lets that
    center and headquarters' network view read it, no other center. Headquarters answers in its
    own row, :class:`EscalationReply`."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reason: Mapped[str] = mapped_column(String(1024))
    escalated_at: Mapped[datetime] = mapped_column(index=True)
    escalated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class EscalationReply(CenterOwned, Base):
    """Headquarters taking an escalation and its answer: headquarters' row (``center_id``), which
    the escalating station (``station_id``) reads too; one per escalation."""

    __tablename__ = "escalation_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    taken_at: Mapped[datetime]
    taken_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[EscalationDecision | None] = mapped_column(
        enum_column_type(EscalationDecision)
    )
    note: Mapped[str | None] = mapped_column(String(1024))
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers, complaints, people  # noqa: E402, F401
