"""Headquarters' worklist of escalated complaints: every station's escalations (read in the
network view), taken by one headquarters person and answered with a decision and a note, each
step audited and saved only over the version its form loaded.

Taking and answering are headquarters' own row (``EscalationReply``); the station's escalation
row is never written by headquarters (row-level security would refuse it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from app import audit, values, versions
from app.audit_actions import AuditAction
from app.centers import network_view
from app.complaints.escalation import (
    MAX_REASON_LENGTH,
    EscalationView,
    escalation_query,
    view_of,
)
from app.context import Context
from app.errors import N_, Conflict, NotFound
from app.headquarters.figures import require_headquarters
from app.models import (
    Center,
    Complaint,
    ComplaintCategory,
    ComplaintGrade,
    Customer,
    Escalation,
    EscalationDecision,
    EscalationReply,
    EscalationStatus,
    User,
)


@dataclass(frozen=True)
class WorklistRow:
    """One escalation in headquarters' worklist."""

    escalation: EscalationView
    center_code: str
    center_name: str
    complaint_no: str
    grade: ComplaintGrade
    category: ComplaintCategory
    is_valid: bool
    customer: str
    description: str
    taken_by: str | None
    answered_by: str | None

    @property
    def status(self) -> EscalationStatus:
        return self.escalation.status


def worklist(ctx: Context, *, answered: bool = False) -> list[WorklistRow]:
    """The escalations waiting or taken (with ``answered``: all of them), the oldest first."""
    require_headquarters(ctx)
    taker, answerer = aliased(User), aliased(User)
    query = (
        escalation_query()
        .add_columns(
            Center.code,
            Center.name,
            Complaint.complaint_no,
            Complaint.grade,
            Complaint.category,
            Complaint.is_valid,
            Customer.name,
            Complaint.description,
            taker.display_name,
            answerer.display_name,
        )
        .join(Center, Center.id == Escalation.center_id)
        .join(Complaint, Complaint.id == Escalation.complaint_id)
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(taker, taker.id == EscalationReply.taken_by_id)
        .outerjoin(answerer, answerer.id == EscalationReply.answered_by_id)
        .order_by(Escalation.escalated_at, Escalation.id)
    )
    if not answered:
        query = query.where(EscalationReply.answered_at.is_(None))
    with ctx.db.read() as session:
        network_view(session)
        rows = session.execute(query).all()
    return [WorklistRow(view_of(tuple(row[:11])), *row[11:]) for row in rows]


def _escalation(session: Session, escalation_id: int) -> tuple[Escalation, str]:
    found = session.execute(
        select(Escalation, Complaint.complaint_no)
        .join(Complaint, Complaint.id == Escalation.complaint_id)
        .where(Escalation.id == escalation_id)
    ).first()
    if found is None:
        raise NotFound(N_("There is no such escalated complaint."))
    return found[0], found[1]


def take_escalation(ctx: Context, escalation_id: int, *, expected_version: int) -> None:
    """Headquarters takes the escalation as its worklist loaded it (``expected_version``: the
    reply's version then, 0 while nobody had taken it), or takes it over from the colleague
    the list showed holding it. Refused if it changed meanwhile or was answered."""
    require_headquarters(ctx)
    with ctx.db.transaction() as session:
        network_view(session)
        escalation, complaint_no = _escalation(session, escalation_id)
        reply = session.scalar(
            select(EscalationReply)
            .where(EscalationReply.escalation_id == escalation.id)
            .with_for_update()
        )
        versions.check(
            session,
            reply.version if reply else 0,
            expected_version,
            complaint_no,
            entity="escalation",
            entity_id=escalation.id,
        )
        before = None
        if reply is None:
            reply = EscalationReply(escalation_id=escalation.id, station_id=escalation.center_id)
            session.add(reply)
        elif reply.answered_at is not None:
            raise _answered_already(complaint_no)
        else:
            before = {"taken_by_id": reply.taken_by_id}
        reply.taken_at, reply.taken_by_id = ctx.now(), ctx.user_id
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:  # another headquarters person took it at the same moment
            raise _taken_already(complaint_no) from None
        audit.record(
            session,
            ctx,
            AuditAction.TAKE_ESCALATION,
            "escalation",
            escalation.id,
            before=before,
            after={"complaint": complaint_no, "station_id": escalation.center_id},
        )


def _answered_already(complaint_no: str) -> Conflict:
    return Conflict(
        N_("The escalation of {complaint_no} was answered already."), complaint_no=complaint_no
    )


def _taken_already(complaint_no: str) -> Conflict:
    return Conflict(
        N_("The escalation of {complaint_no} was taken by someone else. Reload the worklist."),
        complaint_no=complaint_no,
    )


def answer_escalation(
    ctx: Context,
    escalation_id: int,
    decision: EscalationDecision,
    note: str,
    *,
    expected_version: int,
) -> None:
    """Headquarters' answer, over the reply as the form loaded it (``expected_version``: the
    reply's version, from taking it). The station reads it on the complaint."""
    require_headquarters(ctx)
    note = values.clean_text(
        note,
        max_length=MAX_REASON_LENGTH,
        multiline=True,
        required=N_("Write headquarters' answer for the station."),
    )
    with ctx.db.transaction() as session:
        network_view(session)
        escalation, complaint_no = _escalation(session, escalation_id)
        reply = session.scalar(
            select(EscalationReply)
            .where(EscalationReply.escalation_id == escalation.id)
            .with_for_update()
        )
        if reply is None:
            raise Conflict(
                N_("Take the escalation of {complaint_no} before answering it."),
                complaint_no=complaint_no,
            )
        versions.check(
            session,
            reply.version,
            expected_version,
            complaint_no,
            entity="escalation",
            entity_id=escalation.id,
        )
        if reply.answered_at is not None:
            raise _answered_already(complaint_no)
        reply.decision = decision
        reply.note = note
        reply.answered_at = ctx.now()
        reply.answered_by_id = ctx.user_id
        audit.record(
            session,
            ctx,
            AuditAction.ANSWER_ESCALATION,
            "escalation",
            escalation.id,
            after={"complaint": complaint_no, "decision": decision.value},
            detail=note[:200],
        )
