"""A station escalates a hard complaint to headquarters (seed 000: 重大投诉或同一投诉已处理多次
无法解决的,要及时向…有关部门上汇报), with its reason, and sees headquarters' answer on the complaint.

The escalation is the station's row; headquarters takes it and answers in its own row
(``app.headquarters.escalations``), which row-level security lets the station read. One
escalation of a complaint waits at a time: after headquarters' answer the station may escalate
it again (with a new reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app import audit, values
from app.audit_actions import AuditAction
from app.complaints.registration import complaint_as_loaded
from app.context import Context
from app.errors import N_, Conflict
from app.models import (
    ComplaintStatus,
    Escalation,
    EscalationDecision,
    EscalationReply,
    EscalationStatus,
    User,
)
from app.permissions import Permission

MAX_REASON_LENGTH = 1024


@dataclass(frozen=True)
class EscalationView:
    """An escalation and headquarters' reply as far as it went."""

    id: int
    version: int
    complaint_id: int
    reason: str
    escalated_at: datetime
    escalated_by: str
    taken_at: datetime | None
    decision: EscalationDecision | None
    note: str | None
    answered_at: datetime | None
    reply_version: int  # 0: not taken yet

    @property
    def status(self) -> EscalationStatus:
        if self.answered_at is not None:
            return EscalationStatus.ANSWERED
        return EscalationStatus.TAKEN if self.taken_at is not None else EscalationStatus.WAITING


def escalation_query() -> Select:
    """An escalation with its reply (if any) and who escalated it, in the session's view."""
    return (
        select(
            Escalation.id,
            Escalation.version,
            Escalation.complaint_id,
            Escalation.reason,
            Escalation.escalated_at,
            User.display_name,
            EscalationReply.taken_at,
            EscalationReply.decision,
            EscalationReply.note,
            EscalationReply.answered_at,
            EscalationReply.version,
        )
        .join(User, User.id == Escalation.escalated_by_id)
        .outerjoin(EscalationReply, EscalationReply.escalation_id == Escalation.id)
    )


def view_of(row: Sequence[Any]) -> EscalationView:
    """An :func:`escalation_query` row as the view."""
    (id_, version, complaint_id, reason, at, by, taken_at, decision, note, answered_at, reply) = row
    return EscalationView(
        id_,
        version,
        complaint_id,
        reason,
        at,
        by,
        taken_at,
        decision,
        note,
        answered_at,
        reply or 0,
    )


def escalations_in(session: Session, complaint_id: int) -> list[EscalationView]:
    query = escalation_query().where(Escalation.complaint_id == complaint_id)
    return [view_of(tuple(row)) for row in session.execute(query.order_by(Escalation.id))]


def escalations_of(ctx: Context, complaint_id: int) -> list[EscalationView]:
    """The complaint's escalations, oldest first, with headquarters' answers."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        return escalations_in(session, complaint_id)


def escalate_complaint(
    ctx: Context, complaint_id: int, reason: str, *, expected_version: int
) -> int:
    """Escalate the complaint, as its form loaded it, to headquarters; the escalation's id."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    reason = values.clean_text(
        reason,
        max_length=MAX_REASON_LENGTH,
        multiline=True,
        required=N_("Say why the complaint goes to headquarters."),
    )
    with ctx.db.transaction() as session:
        complaint = complaint_as_loaded(session, complaint_id, expected_version)
        if complaint.status is not ComplaintStatus.OPEN:
            raise Conflict(
                N_("Complaint {complaint_no} is no longer open."),
                complaint_no=complaint.complaint_no,
            )
        if any(
            e.status is not EscalationStatus.ANSWERED for e in escalations_in(session, complaint.id)
        ):
            raise Conflict(
                N_("Complaint {complaint_no} waits for headquarters' answer already."),
                complaint_no=complaint.complaint_no,
            )
        escalation = Escalation(
            complaint_id=complaint.id,
            reason=reason,
            escalated_at=ctx.now(),
            escalated_by_id=ctx.user_id,
        )
        session.add(escalation)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.ESCALATE_COMPLAINT,
            "complaint",
            complaint.complaint_no,
            after={"escalation": escalation.id},
            detail=reason[:200],
        )
        return escalation.id
