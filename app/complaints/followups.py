"""Follow-up calls (回访): one after each repair shipped in warranty (booked by shipping) and one
after each settled complaint (booked by :func:`app.complaints.settle_complaint`).

The worklist shows the calls not yet made, soonest due first; a call is recorded once: reached
or not, satisfied or not, a comment. A customer who was not reached can be called again (the
call stays on the list with its comment); a dissatisfied answer can open a complaint at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, complaints
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.localtime import center_zone
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Customer,
    FollowUp,
    FollowUpKind,
    RepairOrder,
)
from app.permissions import Permission


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    kind: FollowUpKind
    customer_id: int
    customer_name: str
    customer_phone: str | None
    order_id: int | None
    order_no: str | None
    complaint_no: str | None
    due_at: datetime
    comment: str | None

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at < now

    @property
    def subject(self) -> str:
        return self.complaint_no or self.order_no or ""


def worklist(ctx: Context, *, limit: int = 500) -> list[FollowUpRow]:
    """The calls still to make, soonest due first."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    query = (
        select(
            FollowUp.id,
            FollowUp.kind,
            FollowUp.customer_id,
            Customer.name,
            Customer.phone,
            FollowUp.order_id,
            RepairOrder.order_no,
            Complaint.complaint_no,
            FollowUp.due_at,
            FollowUp.comment,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(RepairOrder, RepairOrder.id == FollowUp.order_id)
        .outerjoin(Complaint, Complaint.id == FollowUp.complaint_id)
        .where(FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(limit)
    )
    with ctx.db.read() as session:
        return [FollowUpRow(*row) for row in session.execute(query)]  # type: ignore[call-arg]  # SQLAlchemy types a row of 10+ columns as open-ended


def count_overdue(ctx: Context, now: datetime) -> int:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(FollowUp)
                .where(FollowUp.done_at.is_(None), FollowUp.due_at < now)
            )
            or 0
        )


def _load_open(session: Session, follow_up_id: int) -> FollowUp:
    follow_up = session.scalar(
        select(FollowUp).where(FollowUp.id == follow_up_id).with_for_update()
    )
    if follow_up is None:
        raise NotFound(N_("There is no follow-up call with id {id}."), id=follow_up_id)
    if follow_up.done_at is not None:
        raise Conflict(N_("This follow-up call was already recorded."))
    return follow_up


def _record(
    session: Session,
    ctx: Context,
    follow_up: FollowUp,
    reached: bool,
    satisfied: bool | None,
    comment: str | None,
) -> None:
    comment = (comment or "").strip() or None
    if reached and satisfied is None:
        raise InvalidInput(
            N_("Ask the customer whether they are satisfied, and record the answer.")
        )
    if not reached:
        # Not reached: the call stays on the list; the attempt is kept in the comment and audit.
        stamp = ctx.now().astimezone(center_zone()).strftime("%m-%d %H:%M")
        attempt = f"{stamp} 未联系上" + (f": {comment}" if comment else "")
        follow_up.comment = "\n".join(filter(None, [follow_up.comment, attempt]))
        follow_up.reached = False
    else:
        follow_up.reached, follow_up.satisfied = True, satisfied
        follow_up.comment = "\n".join(filter(None, [follow_up.comment, comment])) or None
        follow_up.done_at, follow_up.done_by_id = ctx.now(), ctx.user_id
    audit.record(
        session,
        ctx,
        AuditAction.FOLLOW_UP_CALL,
        "follow_up",
        follow_up.id,
        order_id=follow_up.order_id,
        after={"reached": reached, "satisfied": satisfied if reached else None},
        detail=comment,
    )


def record_call(
    ctx: Context,
    follow_up_id: int,
    *,
    reached: bool,
    satisfied: bool | None = None,
    comment: str | None = None,
) -> None:
    """Record a call. Not reached: it stays on the worklist for another try."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        _record(session, ctx, _load_open(session, follow_up_id), reached, satisfied, comment)


def record_dissatisfied_and_open_complaint(
    ctx: Context,
    follow_up_id: int,
    *,
    description: str,
    customer_request: str | None = None,
    grade: ComplaintGrade = ComplaintGrade.A,
    category: ComplaintCategory = ComplaintCategory.REPAIR_QUALITY,
) -> str:
    """A dissatisfied answer on the call becomes a complaint in one step; returns its number."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        follow_up = _load_open(session, follow_up_id)
        _record(session, ctx, follow_up, True, False, description)
        order_ids: list[int] = []
        if follow_up.order_id is not None:
            order_ids.append(follow_up.order_id)
        elif follow_up.complaint_id is not None:
            order_ids += complaints.order_ids_of(session, follow_up.complaint_id)
        return complaints.register_in(
            session,
            ctx,
            customer_id=follow_up.customer_id,
            channel=ComplaintChannel.PHONE,
            description=description,
            customer_request=customer_request,
            grade=grade,
            category=category,
            order_ids=order_ids,
        )
