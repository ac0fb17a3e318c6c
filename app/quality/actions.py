"""Root causes and corrective actions (分析改进): a valid complaint, a rework, a failed aging
run or an early-warning alarm is given a root cause from the catalogue and a corrective action
(what, who, by when); the person responsible reports it done and someone verifies it works (or
sends it back). Open actions are a worklist; the causes per month are a Pareto."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.formats import clean_scan
from app.models import (
    ActionStatus,
    AgingRun,
    CauseSubject,
    Complaint,
    CorrectiveAction,
    QcResult,
    QualityAlarm,
    RepairOrder,
    RootCause,
)
from app.permissions import Permission
from app.quality.detector import month_start
from app.quality.rates import local_month_of


def _text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


def _check_subject(session: Session, subject: CauseSubject, subject_id: int) -> None:
    if subject is CauseSubject.COMPLAINT:
        complaint = session.get(Complaint, subject_id)
        if complaint is None or not complaint.is_valid:
            raise InvalidInput(N_("A root cause is recorded for a valid complaint only."))
    elif subject is CauseSubject.REWORK:
        order = session.get(RepairOrder, subject_id)
        if order is None or not order.is_rework:
            raise InvalidInput(N_("A root cause is recorded for a rework order only."))
    elif subject is CauseSubject.QC_FAIL:
        run = session.get(AgingRun, subject_id)
        if run is None or run.result is not QcResult.FAIL:
            raise InvalidInput(N_("A root cause is recorded for a failed aging run only."))
    elif session.get(QualityAlarm, subject_id) is None:
        raise NotFound(N_("There is no alarm with id {id}."), id=subject_id)


def record_root_cause(
    ctx: Context,
    subject: CauseSubject,
    subject_id: int,
    *,
    cause: RootCause,
    analysis: str,
    action: str,
    responsible: str,
    due_date: date,
) -> int:
    """The root cause of ``subject`` and its corrective action; returns the action's id."""
    ctx.require(Permission.APPROVE)
    analysis = _text(analysis, N_("Write down why it happened."))
    action = _text(action, N_("Write down the corrective action."))
    responsible = _text(responsible, N_("Name the person responsible for the action."))
    with ctx.db.transaction() as session:
        _check_subject(session, subject, subject_id)
        exists = select(CorrectiveAction.id).where(
            CorrectiveAction.subject == subject, CorrectiveAction.subject_id == subject_id
        )
        if session.scalar(exists) is not None:
            raise Conflict(N_("This already has a root cause: change that one."))
        row = CorrectiveAction(
            subject=subject,
            subject_id=subject_id,
            cause=cause,
            analysis=analysis,
            action=action,
            responsible=responsible,
            due_date=due_date,
            status=ActionStatus.OPEN,
            created_at=ctx.now(),
            created_by_id=ctx.actor.user_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.RECORD_ROOT_CAUSE,
            "corrective_action",
            row.id,
            after={"subject": subject, "subject_id": subject_id, "cause": cause, "due": due_date},
            detail=action,
        )
        return row.id


def subject_for(ctx: Context, subject: CauseSubject, number: str) -> int:
    """The id of what a root cause is for, from the number the floor knows it by: a complaint
    number, a rework's order number, the order number of a failed aging run (its latest), or an
    alarm's number."""
    ctx.require(Permission.VIEW_LEDGERS)
    try:  # the one normaliser of codes: full-width, spaces, lower case, stray characters
        number = clean_scan((number or "").strip().lstrip("#"))
    except InvalidInput:
        raise NotFound(N_("Nothing found under “{number}”."), number=number) from None
    with ctx.db.read() as session:
        found: int | None = None
        if subject is CauseSubject.COMPLAINT:
            query = select(Complaint.id).where(Complaint.complaint_no == number)
            found = session.scalar(query)
        elif subject is CauseSubject.REWORK:
            found = session.scalar(select(RepairOrder.id).where(RepairOrder.order_no == number))
        elif subject is CauseSubject.QC_FAIL:
            found = session.scalar(
                select(AgingRun.id)
                .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
                .where(RepairOrder.order_no == number, AgingRun.result == QcResult.FAIL)
                .order_by(AgingRun.id.desc())
                .limit(1)
            )
        elif number.isdigit() and len(number) <= 9:  # an alarm's id; never past an int column
            found = session.scalar(select(QualityAlarm.id).where(QualityAlarm.id == int(number)))
    if found is None:
        raise NotFound(N_("Nothing found under “{number}”."), number=number)
    return found


def _load(session: Session, action_id: int, expected_version: int) -> CorrectiveAction:
    row = session.scalar(
        select(CorrectiveAction).where(CorrectiveAction.id == action_id).with_for_update()
    )
    if row is None:
        raise NotFound(N_("There is no corrective action with id {id}."), id=action_id)
    versions.check(
        session,
        row.version,
        expected_version,
        f"#{row.id}",
        entity="corrective_action",
        entity_id=row.id,
    )
    return row


def action_version(ctx: Context, action_id: int) -> int:
    """The action's version now (a number that shows nothing: any signed-in person may read it)."""
    with ctx.db.read() as session:
        version = session.scalar(
            select(CorrectiveAction.version).where(CorrectiveAction.id == action_id)
        )
    if version is None:
        raise NotFound(N_("There is no corrective action with id {id}."), id=action_id)
    return version


def edit_action(
    ctx: Context,
    action_id: int,
    *,
    cause: RootCause,
    action: str,
    responsible: str,
    due_date: date,
    expected_version: int,
) -> int:
    """Change an action's cause, what is done, who and by when, until it is verified. Returns
    the action's new version."""
    ctx.require(Permission.APPROVE)
    action = _text(action, N_("Write down the corrective action."))
    responsible = _text(responsible, N_("Name the person responsible for the action."))
    with ctx.db.transaction() as session:
        row = _load(session, action_id, expected_version)
        if row.status is ActionStatus.VERIFIED:
            raise Conflict(N_("The action is verified: it is no longer changed."))
        before: dict[str, Any] = {"cause": row.cause, "action": row.action}
        before |= {"who": row.responsible, "due": row.due_date}
        row.cause, row.action, row.responsible, row.due_date = cause, action, responsible, due_date
        audit.record(
            session,
            ctx,
            AuditAction.EDIT_CORRECTIVE_ACTION,
            "corrective_action",
            row.id,
            before=before,
            after={"cause": cause, "action": action, "who": responsible, "due": due_date},
        )
        session.flush()
        return row.version


def finish_action(ctx: Context, action_id: int, note: str, *, expected_version: int) -> int:
    """The person responsible reports the action done (the note: what was done)."""
    ctx.require(Permission.APPROVE)
    note = _text(note, N_("Write down what was done."))
    with ctx.db.transaction() as session:
        row = _load(session, action_id, expected_version)
        if row.status is not ActionStatus.OPEN:
            raise Conflict(N_("The action is not open."))
        row.status, row.done_at, row.done_note = ActionStatus.DONE, ctx.now(), note
        audit.record(
            session,
            ctx,
            AuditAction.FINISH_CORRECTIVE_ACTION,
            "corrective_action",
            row.id,
            detail=note,
        )
        session.flush()
        return row.version


def verify_action(
    ctx: Context, action_id: int, note: str, *, works: bool, expected_version: int
) -> int:
    """Someone checks a done action: it works (verified, closed) or not (open again)."""
    ctx.require(Permission.APPROVE)
    note = _text(note, N_("Write down how it was checked."))
    with ctx.db.transaction() as session:
        row = _load(session, action_id, expected_version)
        if row.status is not ActionStatus.DONE:
            raise Conflict(N_("Only a done action is verified."))
        row.verify_note = note
        if works:
            row.status, row.verified_at = ActionStatus.VERIFIED, ctx.now()
            row.verified_by_id = ctx.actor.user_id
        else:
            row.status, row.done_at = ActionStatus.OPEN, None
        audit.record(
            session,
            ctx,
            AuditAction.VERIFY_CORRECTIVE_ACTION,
            "corrective_action",
            row.id,
            after={"works": works, "status": row.status},
            detail=note,
        )
        session.flush()
        return row.version


@dataclass(frozen=True)
class ActionRow:
    id: int
    subject: CauseSubject
    subject_id: int
    cause: RootCause
    action: str
    responsible: str
    due_date: date
    status: ActionStatus
    created_at: datetime
    version: int


def open_actions(ctx: Context) -> list[ActionRow]:
    """The worklist: actions not yet verified, the earliest due first."""
    ctx.require(Permission.VIEW_LEDGERS)
    query = (
        select(CorrectiveAction)
        .where(CorrectiveAction.status != ActionStatus.VERIFIED)
        .order_by(CorrectiveAction.due_date, CorrectiveAction.id)
    )
    with ctx.db.read() as session:
        return [
            ActionRow(
                a.id,
                a.subject,
                a.subject_id,
                a.cause,
                a.action,
                a.responsible,
                a.due_date,
                a.status,
                a.created_at,
                a.version,
            )
            for a in session.scalars(query)
        ]


def cause_pareto(
    ctx: Context, first: datetime, until: datetime
) -> list[tuple[date, list[tuple[RootCause, int]]]]:
    """Per month (its first day) the root causes recorded, most frequent first (one GROUP BY)."""
    ctx.require(Permission.VIEW_LEDGERS)
    month = local_month_of(CorrectiveAction.created_at, first, until)
    query = (
        select(month, CorrectiveAction.cause, func.count())
        .where(CorrectiveAction.created_at >= first, CorrectiveAction.created_at < until)
        .group_by(month, CorrectiveAction.cause)
    )
    months: dict[int, list[tuple[RootCause, int]]] = {}
    with ctx.db.read() as session:
        for index, cause, count in session.execute(query):
            months.setdefault(int(index), []).append((RootCause(cause), int(count)))
    return [
        (month_start(index), sorted(causes, key=lambda item: (-item[1], item[0].value)))
        for index, causes in sorted(months.items())
    ]
