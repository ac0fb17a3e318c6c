"""Field quality: early-warning alarms and root causes with their corrective actions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned, enum_column_type
from app.models.enums import ActionStatus, AlarmStatus, CauseSubject, RootCause


class QualityAlarm(CenterOwned, Base):
    """One early-warning alarm: a model's sale-month cohort returns a fault code more often
    than the model's (or its category's) history predicts."""

    __tablename__ = "quality_alarms"
    __table_args__ = (
        UniqueConstraint("product_model_id", "sale_month", "fault_code", "center_id"),
        Index("ix_quality_alarms_status_first_detected_at", "status", "first_detected_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_model_id: Mapped[int] = mapped_column(ForeignKey("product_models.id"))
    sale_month: Mapped[date]  # first day of the month the cohort was sold
    fault_code: Mapped[str] = mapped_column(String(32))
    months_in_service: Mapped[int]  # the cohort's age (months) when it was last tested
    observed: Mapped[int]  # units returned with the fault code, to date
    expected: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(16))  # "model" or "category" history
    first_detected_at: Mapped[datetime]
    last_tested_at: Mapped[datetime]
    status: Mapped[AlarmStatus] = mapped_column(enum_column_type(AlarmStatus))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledge_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_note: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class CorrectiveAction(CenterOwned, Base):
    """A root cause found for a complaint, rework, QC fail or alarm, and what is done about it:
    the action, who does it by when, and who verified it worked."""

    __tablename__ = "corrective_actions"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id"),
        Index("ix_corrective_actions_status_due_date", "status", "due_date"),
        Index("ix_corrective_actions_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[CauseSubject] = mapped_column(enum_column_type(CauseSubject))
    subject_id: Mapped[int] = mapped_column(BigId)
    cause: Mapped[RootCause] = mapped_column(enum_column_type(RootCause))
    analysis: Mapped[str] = mapped_column(Text)  # why it happened
    action: Mapped[str] = mapped_column(Text)  # what is done so it does not happen again
    responsible: Mapped[str] = mapped_column(String(64))
    due_date: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(enum_column_type(ActionStatus))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None]
    done_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verify_note: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import catalog, centers, people  # noqa: E402, F401
