"""Complaints (客怨) and follow-up calls (回访)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigId, CenterOwned, enum_column_type
from app.models.enums import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    FollowUpKind,
)


class Complaint(CenterOwned, Base):
    """One row of the complaint register (客怨处理登记表) and its handling."""

    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("complaint_no", "center_id"),
        Index("ix_complaints_status_received_at", "status", "received_at"),
        Index("ix_complaints_received_at", "received_at"),  # complaints of a month (KPIs)
        Index("ix_complaints_settled_at", "settled_at"),  # settled lately: the watch list
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_no: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[ComplaintChannel] = mapped_column(enum_column_type(ComplaintChannel))
    description: Mapped[str] = mapped_column(Text)
    customer_request: Mapped[str | None] = mapped_column(Text)
    grade: Mapped[ComplaintGrade] = mapped_column(enum_column_type(ComplaintGrade))
    category: Mapped[ComplaintCategory] = mapped_column(enum_column_type(ComplaintCategory))
    is_valid: Mapped[bool] = mapped_column(default=False)
    validity_override_reason: Mapped[str | None] = mapped_column(String(512))
    status: Mapped[ComplaintStatus] = mapped_column(enum_column_type(ComplaintStatus))

    received_at: Mapped[datetime]
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    first_contact_due: Mapped[datetime]
    first_contact_at: Mapped[datetime | None]
    answer_due: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    settle_due: Mapped[datetime | None]
    settled_at: Mapped[datetime | None]

    responsible_person: Mapped[str | None] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    facts: Mapped[str | None] = mapped_column(Text)
    remedy_1: Mapped[str | None] = mapped_column(String(512))
    remedy_2: Mapped[str | None] = mapped_column(String(512))
    remedies_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    remedies_approved_at: Mapped[datetime | None]
    chosen_remedy: Mapped[str | None] = mapped_column(String(512))
    outcome: Mapped[str | None] = mapped_column(Text)
    customer_accepted: Mapped[bool | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_reason: Mapped[str | None] = mapped_column(String(512))
    # Customer care (app.complaints.care): the person responsible as a record (the free text
    # above stays readable for older complaints), what the accountability rules are computed on,
    # and the named handler due within the hour (seed 000 找到处理人 1小时).
    responsible_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    items_below_standard: Mapped[int | None]
    service_amount_cents: Mapped[int | None]
    refund_amount_cents: Mapped[int | None]
    handler_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    handler_due: Mapped[datetime | None]
    handler_assigned_at: Mapped[datetime | None]

    # Any change of the complaint is a new version: a save over a newer one is refused.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class ComplaintOrder(CenterOwned, Base):
    """The repair orders a complaint concerns."""

    __tablename__ = "complaint_orders"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), primary_key=True)


class FollowUp(CenterOwned, Base):
    """A follow-up call due after a repair in warranty or after a settled complaint."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_done_at_due_at", "done_at", "due_at"),
        Index("ix_follow_ups_due_at", "due_at"),  # follow-ups due in a month (KPIs)
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[FollowUpKind] = mapped_column(enum_column_type(FollowUpKind))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reached: Mapped[bool | None]
    satisfied: Mapped[bool | None]
    comment: Mapped[str | None] = mapped_column(Text)


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import care, centers, orders, people  # noqa: E402, F401
