"""Customer care (issue 25): the people a complaint is laid at, the penalty rules and the monthly
accountability sheet, the satisfaction survey and its apology calls, and the outbox of notices.

Money is integer cents; a percentage is basis points (6% = 600).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from app.errors import N_, Conflict
from app.models.base import Base, BigId, CenterOwned


class StaffMember(CenterOwned, Base):
    """A person a complaint can be laid at: a user of the app, or staff who never signs in
    (a sales representative, a driver). ``department`` names a row of ``departments``."""

    __tablename__ = "staff_members"
    __table_args__ = (UniqueConstraint("code", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="staff")
    department: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)


class PenaltyRule(Base):
    """One consequence of a valid complaint (seed 001 四、責任落實): for a grade, for the person
    at ``step`` of the chain (0 the person responsible, 1 their superior, 2 the superior's
    superior), when the person has ``superiors`` superiors ("any": whatever the chain)."""

    __tablename__ = "penalty_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    grade: Mapped[str] = mapped_column(String(8))
    superiors: Mapped[str] = mapped_column(String(8), default="any")
    step: Mapped[int] = mapped_column(default=0)
    fixed_cents: Mapped[int | None]
    percent_bp: Mapped[int | None]
    basis: Mapped[str] = mapped_column(String(16), default="service")
    per_item: Mapped[bool] = mapped_column(default=False)
    cancels_commission: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)


class AccountabilitySheet(CenterOwned, Base):
    """The month's accountability sheet; once the general manager signed it, its lines are
    final (a correction is a new line on a later sheet)."""

    __tablename__ = "accountability_sheets"
    __table_args__ = (UniqueConstraint("month", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11", center's time
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Consequence(CenterOwned, Base):
    """One line of an accountability sheet: who bears what for which complaint, by which rule."""

    __tablename__ = "consequences"
    __table_args__ = (Index("ix_consequences_month", "month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    grade: Mapped[str] = mapped_column(String(8))
    rule_code: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[int] = mapped_column(default=0)
    amount_cents: Mapped[int] = mapped_column(default=0)
    cancels_commission: Mapped[bool] = mapped_column(default=False)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("consequences.id"))
    note: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class SurveyAnswer(CenterOwned, Base):
    """The satisfaction survey of one follow-up call: a score 1-5 per item of the questionnaire."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("follow_ups.id"), unique=True)
    scores: Mapped[dict[str, Any]]
    fully_satisfied: Mapped[bool]
    at: Mapped[datetime] = mapped_column(index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CareTask(CenterOwned, Base):
    """A call customer service owes a customer: an apology call after an unsatisfied survey."""

    __tablename__ = "care_tasks"
    __table_args__ = (Index("ix_care_tasks_done_at_due_at", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"))
    detail: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(Text)


class NoticeConsent(CenterOwned, Base):
    """Whether the customer agreed to text messages, and when they opted out."""

    __tablename__ = "notice_consents"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    consented_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class NoticeTemplate(Base):
    """The text of a notice for an event, and the provider's approved template code for it."""

    __tablename__ = "notice_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(32), unique=True)
    text: Mapped[str] = mapped_column(String(500))
    template_code: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)


class Notice(CenterOwned, Base):
    """One message in the outbox. ``event_key`` makes each event's notice queued once."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("event_key", "center_id"),
        Index("ix_notices_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event: Mapped[str] = mapped_column(String(32))
    event_key: Mapped[str] = mapped_column(String(96))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    template_code: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(512))
    provider_ref: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


# --- an approved accountability sheet never changes (enforced for every write of the ORM) ------
# A line is never edited nor deleted (a correction is a new line that names it); no line joins a
# month whose sheet is approved; an approved sheet is not un-approved.


def _refuse_line_change(_mapper: Any, _connection: Any, line: Consequence) -> None:
    raise Conflict(
        N_("An accountability line is never changed or removed: add a correction line instead.")
    )


def _refuse_line_in_approved_month(_mapper: Any, connection: Any, line: Consequence) -> None:
    approved = connection.execute(
        select(AccountabilitySheet.id).where(
            AccountabilitySheet.month == line.month, AccountabilitySheet.approved_at.is_not(None)
        )
    ).first()
    if approved is not None:
        raise Conflict(
            N_("The accountability sheet of {month} is approved: nothing more joins it."),
            month=line.month,
        )


def _refuse_unapproving(_mapper: Any, _connection: Any, sheet: AccountabilitySheet) -> None:
    history = inspect(sheet).attrs.approved_at.history
    committed = (history.deleted or history.unchanged or [None])[0]
    if committed is not None:
        raise Conflict(
            N_("The accountability sheet of {month} is approved: it no longer changes."),
            month=sheet.month,
        )


event.listen(Consequence, "before_update", _refuse_line_change)
event.listen(Consequence, "before_delete", _refuse_line_change)
event.listen(Consequence, "before_insert", _refuse_line_in_approved_month)
event.listen(AccountabilitySheet, "before_update", _refuse_unapproving)
event.listen(AccountabilitySheet, "before_delete", _refuse_unapproving)

# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers, complaints, people  # noqa: E402, F401
