"""Complaint handling: responsible person, facts, two remedies a supervisor approves, the
customer's choice, settlement (which books the follow-up call), closing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import audit, settings
from app.audit_actions import AuditAction
from app.complaints import accountability
from app.complaints.registration import (
    _load_open_complaint,
    _mark_done,
    check_complaint_version,
    complaint_as_loaded,
)
from app.context import Context
from app.errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from app.models import (
    Complaint,
    ComplaintStatus,
    Department,
    FollowUp,
    FollowUpKind,
    StaffMember,
)
from app.permissions import Permission
from app.workcal import WorkCalendar

# --- Handling ---------------------------------------------------------------------------------


def _open_at(session: Session, complaint_id: int, expected_version: int) -> Complaint:
    complaint = _load_open_complaint(session, complaint_id)
    check_complaint_version(session, complaint, expected_version)
    return complaint


def _text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


def _audit(
    session: Session,
    ctx: Context,
    action: AuditAction,
    complaint: Complaint,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
) -> int:
    """Audit the change; returns the complaint's new version (the form's next save sends it)."""
    audit.record(
        session,
        ctx,
        action,
        "complaint",
        complaint.complaint_no,
        before=before,
        after=after,
        detail=detail,
    )
    session.flush()
    return complaint.version


def assign_handling(
    ctx: Context,
    complaint_id: int,
    *,
    staff_id: int | None = None,
    responsible_person: str | None = None,
    department_id: int | None,
    expected_version: int,
) -> int:
    """Who answers for it (责任人) and which department (责任部门). The person is a staff record
    (``staff_id``); a name in free text (``responsible_person``) is what complaints recorded
    before the staff records held, still accepted from imports and old callers."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    if staff_id is None:
        person = _text(responsible_person or "", N_("Name the person responsible."))
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        if department_id is not None and session.get(Department, department_id) is None:
            raise NotFound(N_("Choose the department responsible from the list."))
        if staff_id is not None:
            staff = session.get(StaffMember, staff_id)
            if staff is None or not staff.active:
                raise NotFound(N_("Choose the person responsible from the staff list."))
            person = staff.name
        before = {
            "person": complaint.responsible_person,
            "staff": complaint.responsible_staff_id,
            "department": complaint.department_id,
        }
        complaint.responsible_person, complaint.department_id = person, department_id
        if staff_id is not None:
            complaint.responsible_staff_id = staff_id
        return _audit(
            session,
            ctx,
            AuditAction.COMPLAINT_ASSIGN,
            complaint,
            before=before,
            after={"person": person, "staff": staff_id, "department": department_id},
        )


def record_facts(ctx: Context, complaint_id: int, facts: str, *, expected_version: int) -> int:
    """What the check with the person responsible found (事实核查)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    facts = _text(facts, N_("Write down the facts found with the person responsible."))
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        before = {"facts": complaint.facts}
        complaint.facts = facts
        return _audit(
            session,
            ctx,
            AuditAction.COMPLAINT_FACTS,
            complaint,
            before=before,
            after={"facts": facts},
        )


def propose_remedies(
    ctx: Context, complaint_id: int, remedy_1: str, remedy_2: str, *, expected_version: int
) -> int:
    """Two alternative remedies; changing them withdraws an earlier approval."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    first = _text(remedy_1, N_("Propose two remedies: the first is missing."))
    second = _text(remedy_2, N_("Propose two remedies: the second is missing."))
    if first == second:
        raise InvalidInput(N_("The two remedies are the same: propose a real alternative."))
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        if complaint.chosen_remedy is not None:
            raise Conflict(
                N_("The customer already chose a remedy for {complaint_no}."),
                complaint_no=complaint.complaint_no,
            )
        before = {"remedy_1": complaint.remedy_1, "remedy_2": complaint.remedy_2}
        if (first, second) != (complaint.remedy_1, complaint.remedy_2):
            complaint.remedies_approved_by_id = complaint.remedies_approved_at = None
        complaint.remedy_1, complaint.remedy_2 = first, second
        return _audit(
            session,
            ctx,
            AuditAction.COMPLAINT_REMEDIES,
            complaint,
            before=before,
            after={"remedy_1": first, "remedy_2": second},
        )


def approve_remedies(ctx: Context, complaint_id: int, *, expected_version: int) -> int:
    """The manager's approval (主管审批): only then may the remedies be offered."""
    ctx.require(Permission.APPROVE)
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        if not complaint.remedy_1 or not complaint.remedy_2:
            raise IllegalTransition(
                N_("Propose two remedies for {complaint_no} before approving them."),
                complaint_no=complaint.complaint_no,
            )
        complaint.remedies_approved_by_id, complaint.remedies_approved_at = ctx.user_id, ctx.now()
        return _audit(
            session,
            ctx,
            AuditAction.COMPLAINT_APPROVE_REMEDIES,
            complaint,
            after={"remedy_1": complaint.remedy_1, "remedy_2": complaint.remedy_2},
        )


def record_choice(
    ctx: Context, complaint_id: int, chosen_remedy: str, *, expected_version: int
) -> int:
    """The customer's choice between the two approved remedies (客户选择)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        if complaint.remedies_approved_at is None:
            raise IllegalTransition(
                N_(
                    "The remedies for {complaint_no} are not approved yet: a supervisor approves "
                    "them before they are offered to the customer."
                ),
                complaint_no=complaint.complaint_no,
            )
        chosen_remedy = chosen_remedy.strip()
        if chosen_remedy not in (complaint.remedy_1, complaint.remedy_2):
            raise InvalidInput(N_("The customer chooses one of the two approved remedies."))
        complaint.chosen_remedy = chosen_remedy
        return _audit(
            session, ctx, AuditAction.COMPLAINT_CHOICE, complaint, after={"chosen": chosen_remedy}
        )


def settle_complaint(
    ctx: Context,
    complaint_id: int,
    *,
    outcome: str,
    customer_accepted: bool,
    expected_version: int,
) -> int:
    """The remedy is carried out; books the follow-up call (回访) within the set days."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    outcome = _text(outcome, N_("Write down the outcome of the complaint."))
    with ctx.db.transaction() as session:
        complaint = _open_at(session, complaint_id, expected_version)
        if complaint.chosen_remedy is None:
            raise IllegalTransition(
                N_("Record the remedy the customer chose before settling {complaint_no}."),
                complaint_no=complaint.complaint_no,
            )
        now = ctx.now()
        if complaint.first_contact_at is None:
            _mark_done(session, ctx, complaint, "first_contact_at", complaint.first_contact_due)
        if complaint.answered_at is None:
            _mark_done(session, ctx, complaint, "answered_at", complaint.answer_due)
        complaint.outcome, complaint.customer_accepted = outcome, customer_accepted
        complaint.status = ComplaintStatus.SETTLED
        _mark_done(session, ctx, complaint, "settled_at", complaint.settle_due, detail=outcome)
        days = settings.get(session, settings.COMPLAINT_FOLLOW_UP_DAYS)
        closing = settings.get(session, settings.WORKDAY_END)
        session.add(
            FollowUp(
                kind=FollowUpKind.AFTER_COMPLAINT,
                complaint_id=complaint.id,
                customer_id=complaint.customer_id,
                due_at=WorkCalendar.load(session).end_of_working_day(now, days, closing),
            )
        )
        session.flush()
        return complaint.version


def close_complaint(
    ctx: Context, complaint_id: int, *, reason: str | None = None, expected_version: int
) -> int:
    """Closed when the customer accepted the settlement; otherwise only a supervisor, with a
    reason (结案)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    reason = (reason or "").strip() or None
    with ctx.db.transaction() as session:
        complaint = complaint_as_loaded(session, complaint_id, expected_version)
        if complaint.status is ComplaintStatus.CLOSED:
            raise Conflict(
                N_("Complaint {complaint_no} is already closed."),
                complaint_no=complaint.complaint_no,
            )
        accepted = (
            complaint.status is ComplaintStatus.SETTLED and complaint.customer_accepted is True
        )
        if not accepted:
            if not ctx.actor.can(Permission.APPROVE):
                raise IllegalTransition(
                    N_(
                        "Complaint {complaint_no} stays open until the customer accepts the "
                        "settlement; a supervisor can close it with a reason."
                    ),
                    complaint_no=complaint.complaint_no,
                )
            if reason is None:
                raise InvalidInput(
                    N_("The customer has not accepted: write down why the complaint is closed.")
                )
        before = {"status": complaint.status}
        complaint.status = ComplaintStatus.CLOSED
        complaint.closed_at, complaint.closed_by_id = ctx.now(), ctx.user_id
        complaint.close_reason = reason
        lines = accountability.add_lines_in(session, ctx, complaint)  # closed valid: the sheet
        return _audit(
            session,
            ctx,
            AuditAction.CLOSE_COMPLAINT,
            complaint,
            before=before,
            after={"status": ComplaintStatus.CLOSED, "accepted": accepted, "lines": lines},
            detail=reason,
        )


def overrule_validity(
    ctx: Context, complaint_id: int, *, is_valid: bool, reason: str, expected_version: int
) -> int:
    """A supervisor decides the complaint does (or does not) count against the center."""
    ctx.require(Permission.APPROVE)
    reason = _text(reason, N_("Write down why the validity is overruled."))
    with ctx.db.transaction() as session:
        complaint = complaint_as_loaded(session, complaint_id, expected_version)
        before = {"is_valid": complaint.is_valid}
        complaint.is_valid, complaint.validity_override_reason = is_valid, reason
        return _audit(
            session,
            ctx,
            AuditAction.COMPLAINT_VALIDITY,
            complaint,
            before=before,
            after={"is_valid": is_valid},
            detail=reason,
        )
