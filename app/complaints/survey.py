"""The satisfaction survey of the follow-up call (seed 001 一、滿意度考評流程; 二、滿意判定):

「考評完全滿意,發送[滿意感謝短信];考評有不滿意項,致電道歉并了解詳情」: every item of the
questionnaire (the ``survey.items`` setting) scored 1-5; all at or above ``survey.satisfied_from``
→ fully satisfied, a thank-you notice is queued; any item below → an apology call is booked with
its deadline, and, when the customer wants it, a complaint is registered in the same step.
Results per month, technician and model against the target (DOMAIN.md: satisfaction ≥ 98%).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, care_settings, complaints, settings
from app.audit_actions import AuditAction
from app.complaints.followups import _load_open, _record
from app.complaints.notices import NoticeEvent, queue_in
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.localtime import local
from app.models import (
    CareTask,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Customer,
    FollowUp,
    ProductModel,
    RepairOrder,
    SurveyAnswer,
    Unit,
    User,
)
from app.permissions import Permission

APOLOGY_CALL = "apology_call"


def questionnaire(ctx: Context) -> tuple[list[str], int]:
    """The items to ask (in order) and the lowest satisfied score."""
    with ctx.db.read() as session:
        items: list[str] = settings.get(session, care_settings.SURVEY_ITEMS)
        return list(items), settings.get(session, care_settings.SURVEY_SATISFIED_FROM)


@dataclass(frozen=True)
class SurveyOutcome:
    fully_satisfied: bool
    thanks_notice_id: int | None = None
    apology_task_id: int | None = None
    complaint_no: str | None = None


def record_survey(
    ctx: Context,
    follow_up_id: int,
    scores: dict[str, int],
    *,
    comment: str | None = None,
    open_complaint: bool = False,
) -> SurveyOutcome:
    """The call reached the customer and the survey was asked: record it and what follows."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        items: list[str] = settings.get(session, care_settings.SURVEY_ITEMS)
        floor = settings.get(session, care_settings.SURVEY_SATISFIED_FROM)
        missing = [item for item in items if item not in scores]
        if missing:
            raise InvalidInput(
                N_("Ask every item of the survey: {item} is missing."), item=missing[0]
            )
        clean: dict[str, int] = {}
        for item in items:
            score = scores[item]
            if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
                raise InvalidInput(N_("{item}: a score from 1 to 5."), item=item)
            clean[item] = score
        unsatisfied = [item for item, score in clean.items() if score < floor]
        fully = not unsatisfied
        if open_complaint and fully:
            raise InvalidInput(
                N_("The customer is fully satisfied: there is no complaint to open.")
            )
        follow_up = _load_open(session, follow_up_id)
        _record(session, ctx, follow_up, True, fully, comment)
        now = ctx.now()
        session.add(
            SurveyAnswer(
                follow_up_id=follow_up.id,
                scores=clean,
                fully_satisfied=fully,
                at=now,
                by_id=ctx.user_id,
            )
        )
        audit.record(
            session,
            ctx,
            AuditAction.SATISFACTION_SURVEY,
            "follow_up",
            follow_up.id,
            order_id=follow_up.order_id,
            after={"scores": clean, "fully_satisfied": fully},
        )
        if fully:
            notice = queue_in(
                session,
                ctx,
                event=NoticeEvent.THANKS,
                event_key=f"thanks:{follow_up.id}",
                customer_id=follow_up.customer_id,
                params={
                    "center": settings.get(session, settings.CENTER_NAME),
                    "subject": _subject(session, follow_up),
                },
            )
            return SurveyOutcome(True, thanks_notice_id=notice.id if notice else None)
        hours = settings.get(session, care_settings.APOLOGY_CALL_HOURS)
        detail = "、".join(f"{item} {clean[item]}" for item in unsatisfied)
        if comment and comment.strip():
            detail += f": {comment.strip()}"
        task = CareTask(
            kind=APOLOGY_CALL,
            customer_id=follow_up.customer_id,
            follow_up_id=follow_up.id,
            detail=detail,
            due_at=now + timedelta(hours=hours),
        )
        session.add(task)
        session.flush()
        number = None
        if open_complaint:
            order_ids = [follow_up.order_id] if follow_up.order_id is not None else []
            if not order_ids and follow_up.complaint_id is not None:
                order_ids = complaints.order_ids_of(session, follow_up.complaint_id)
            number = complaints.register_in(
                session,
                ctx,
                customer_id=follow_up.customer_id,
                channel=ComplaintChannel.PHONE,
                description=f"回访满意度调查不满意:{detail}",
                customer_request=None,
                grade=ComplaintGrade.A,
                category=ComplaintCategory.REPAIR_QUALITY,
                order_ids=order_ids,
            )
        return SurveyOutcome(False, apology_task_id=task.id, complaint_no=number)


def _subject(session: object, follow_up: FollowUp) -> str:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    if follow_up.order_id is not None:
        return (
            session.scalar(select(RepairOrder.order_no).where(RepairOrder.id == follow_up.order_id))
            or ""
        )
    if follow_up.complaint_id is not None:
        return (
            session.scalar(
                select(Complaint.complaint_no).where(Complaint.id == follow_up.complaint_id)
            )
            or ""
        )
    return ""


# --- apology calls -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApologyTask:
    id: int
    customer_name: str
    customer_phone: str | None
    detail: str | None
    due_at: datetime

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at < now


def apology_calls(ctx: Context) -> list[ApologyTask]:
    """The apology calls still to make, soonest due first."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        rows = session.execute(
            select(CareTask.id, Customer.name, Customer.phone, CareTask.detail, CareTask.due_at)
            .join(Customer, Customer.id == CareTask.customer_id)
            .where(CareTask.done_at.is_(None), CareTask.kind == APOLOGY_CALL)
            .order_by(CareTask.due_at, CareTask.id)
        ).all()
    return [ApologyTask(*row) for row in rows]


def record_apology_call(ctx: Context, task_id: int, outcome: str) -> None:
    """The apology call was made; ``outcome`` is what the customer said (the details)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput(N_("Write down what the customer said on the apology call."))
    with ctx.db.transaction() as session:
        task = session.get(CareTask, task_id, with_for_update=True)
        if task is None:
            raise NotFound(N_("There is no apology call with id {id}."), id=task_id)
        if task.done_at is not None:
            raise Conflict(N_("This apology call was already recorded."))
        task.done_at, task.done_by_id, task.outcome = ctx.now(), ctx.user_id, outcome
        audit.record(
            session, ctx, AuditAction.APOLOGY_CALL, "care_task", task.id, detail=outcome[:200]
        )


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    month: str  # "2026-11", the center's time
    technician: str
    model: str
    surveys: int
    fully_satisfied: int

    @property
    def rate(self) -> float:
        return self.fully_satisfied / self.surveys if self.surveys else 0.0


def satisfaction(
    ctx: Context, since: datetime, until: datetime
) -> tuple[list[SatisfactionRow], int]:
    """Surveys per month, technician and model between the two moments; and the target (%)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        return satisfaction_rows(session, since, until), satisfaction_target(session)


def satisfaction_target(session: Session) -> int:
    """The satisfaction target, in percent (DOMAIN.md: 98)."""
    return settings.get(session, care_settings.SATISFACTION_TARGET_PERCENT)


def satisfaction_rows(session: Session, since: datetime, until: datetime) -> list[SatisfactionRow]:
    """The surveys between the two moments (the answers' index on their time) per month,
    technician and model: the one count behind the Excel export and the dashboard."""
    rows = session.execute(
        select(SurveyAnswer.at, SurveyAnswer.fully_satisfied, User.display_name, ProductModel.name)
        .join(FollowUp, FollowUp.id == SurveyAnswer.follow_up_id)
        .outerjoin(RepairOrder, RepairOrder.id == FollowUp.order_id)
        .outerjoin(User, User.id == RepairOrder.technician_id)
        .outerjoin(Unit, Unit.id == RepairOrder.unit_id)
        .outerjoin(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(SurveyAnswer.at >= since, SurveyAnswer.at < until)
    ).all()
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for at, fully, technician, model in rows:
        key = (local(at).strftime("%Y-%m"), technician or "-", model or "-")
        groups[key][0] += 1
        groups[key][1] += int(bool(fully))
    return [SatisfactionRow(*key, n, ok) for key, (n, ok) in sorted(groups.items())]
