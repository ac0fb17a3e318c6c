"""Accountability for valid complaints (seed 001 四、責任落實; 五、責任執行: 「由客服部每月提供數據報
總經理簽字審批后提交財務執行(從工資中扣除)」; seed 002 step 7: 「處罰直接責任者…對直接責任者和
部門主管要根據有關規定作出處罰」).

The person responsible is a staff record (:mod:`app.complaints.people`); with the figures the
rules need (items below standard, the service amount, the refund) it is recorded on the
complaint. When the complaint is closed valid, the penalty rules (an administrator's table,
seeded with the handbook's values) give one line per rule and person of the chain; the lines
join the month's accountability sheet. The general manager approves the sheet with an electronic
signature (:func:`app.signatures.check`); from then on nothing of it changes (enforced for every
ORM write in :mod:`app.models.care`): a correction is a new line on a later sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, signatures
from app.audit_actions import AuditAction
from app.complaints.penalties import Penalty, load_rules, penalties
from app.complaints.people import Person, chain_of
from app.complaints.registration import complaint_as_loaded
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.localtime import local
from app.models import (
    AccountabilitySheet,
    Complaint,
    Consequence,
    StaffMember,
    User,
)
from app.permissions import Permission
from app.signatures import Purpose


def _complaint_penalties(session: Session, complaint: Complaint) -> list[Penalty]:
    if complaint.responsible_staff_id is None:
        return []
    staff = session.get(StaffMember, complaint.responsible_staff_id)
    if staff is None:
        return []
    person = Person(staff.id, staff.code, staff.name, staff.department)
    return penalties(
        load_rules(session),
        complaint.grade.value,
        person,
        chain_of(session, staff.id),
        items=complaint.items_below_standard or 1,
        service_cents=complaint.service_amount_cents or 0,
        refund_cents=complaint.refund_amount_cents or 0,
    )


# --- the complaint's person responsible and figures ----------------------------------------------


def record_accountability(
    ctx: Context,
    complaint_id: int,
    *,
    staff_id: int,
    items_below_standard: int = 1,
    service_amount_cents: int = 0,
    refund_amount_cents: int = 0,
    expected_version: int,
) -> int:
    """The person responsible (a staff record) and what the rules are computed on; returns the
    complaint's new version."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    if items_below_standard < 1 or service_amount_cents < 0 or refund_amount_cents < 0:
        raise InvalidInput(N_("Items below standard from 1; amounts not below zero."))
    with ctx.db.transaction() as session:
        complaint = complaint_as_loaded(session, complaint_id, expected_version)
        if complaint.closed_at is not None:
            raise Conflict(
                N_("Complaint {complaint_no} is closed: its accountability is on the sheet."),
                complaint_no=complaint.complaint_no,
            )
        staff = session.get(StaffMember, staff_id)
        if staff is None or not staff.active:
            raise NotFound(N_("Choose the person responsible from the staff list."))
        before = {
            "staff": complaint.responsible_staff_id,
            "items": complaint.items_below_standard,
            "service_cents": complaint.service_amount_cents,
            "refund_cents": complaint.refund_amount_cents,
        }
        complaint.responsible_staff_id = staff.id
        complaint.responsible_person = staff.name
        complaint.items_below_standard = items_below_standard
        complaint.service_amount_cents = service_amount_cents
        complaint.refund_amount_cents = refund_amount_cents
        audit.record(
            session,
            ctx,
            AuditAction.COMPLAINT_ACCOUNTABILITY,
            "complaint",
            complaint.complaint_no,
            before=before,
            after={
                "staff": staff.code,
                "items": items_below_standard,
                "service_cents": service_amount_cents,
                "refund_cents": refund_amount_cents,
            },
        )
        session.flush()
        return complaint.version


def preview(ctx: Context, complaint_id: int) -> list[Penalty]:
    """What closing the complaint valid would put on the sheet, as the rules stand now."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
        return _complaint_penalties(session, complaint)


# --- the monthly sheet ------------------------------------------------------------------------


def month_of(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m")


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def open_month(session: Session, now: datetime) -> str:
    """The month new lines join: this month, or the first later one not approved yet."""
    month = month_of(now)
    approved = set(
        session.scalars(
            select(AccountabilitySheet.month).where(
                AccountabilitySheet.month >= month, AccountabilitySheet.approved_at.is_not(None)
            )
        )
    )
    while month in approved:
        month = _next_month(month)
    return month


def add_lines_in(session: Session, ctx: Context, complaint: Complaint) -> int:
    """The consequences of a complaint closed valid, added to the open month's sheet (in the
    caller's transaction); returns how many lines."""
    if not complaint.is_valid:
        return 0
    lines = _complaint_penalties(session, complaint)
    month = open_month(session, ctx.now())
    for penalty in lines:
        session.add(
            Consequence(
                month=month,
                complaint_id=complaint.id,
                staff_id=penalty.person.id,
                grade=complaint.grade.value,
                rule_code=penalty.rule_code,
                step=penalty.step,
                amount_cents=penalty.amount_cents,
                cancels_commission=penalty.cancels_commission,
                note=penalty.source,
                created_at=ctx.now(),
                created_by_id=ctx.user_id,
            )
        )
    if lines:
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CONSEQUENCE_ADDED,
            "complaint",
            complaint.complaint_no,
            after={"month": month, "lines": len(lines)},
        )
    return len(lines)


@dataclass(frozen=True)
class SheetLine:
    id: int
    person: str
    staff_code: str
    department: str | None
    complaint_no: str
    grade: str
    rule_code: str | None
    step: int
    amount_cents: int
    cancels_commission: bool
    corrects_id: int | None
    note: str | None


@dataclass(frozen=True)
class Sheet:
    month: str
    lines: list[SheetLine]
    approved_at: datetime | None
    approved_by: str | None

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def sheet(ctx: Context, month: str) -> Sheet:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                Consequence.id,
                StaffMember.name,
                StaffMember.code,
                StaffMember.department,
                Complaint.complaint_no,
                Consequence.grade,
                Consequence.rule_code,
                Consequence.step,
                Consequence.amount_cents,
                Consequence.cancels_commission,
                Consequence.corrects_id,
                Consequence.note,
            )
            .join(StaffMember, StaffMember.id == Consequence.staff_id)
            .join(Complaint, Complaint.id == Consequence.complaint_id)
            .where(Consequence.month == month)
            .order_by(StaffMember.code, Consequence.id)
        ).all()
        found = session.execute(
            select(AccountabilitySheet.approved_at, User.display_name)
            .outerjoin(User, User.id == AccountabilitySheet.approved_by_id)
            .where(AccountabilitySheet.month == month)
        ).first()
    approved_at, approved_by = found if found else (None, None)
    lines = [SheetLine(*row) for row in rows]  # type: ignore[call-arg]  # SQLAlchemy types a row of 10+ columns as open-ended
    return Sheet(month, lines, approved_at, approved_by)


def approve_sheet(ctx: Context, month: str, *, password: str, seen_lines: int) -> None:
    """The general manager signs the month's sheet as shown (``seen_lines`` lines): refused when
    a line joined it since, or when it is approved already. The password goes through the one
    signature check, before the transaction."""
    ctx.require(Permission.APPROVE)
    signatures.check(
        ctx.db,
        password,
        user_id=ctx.user_id,
        station=ctx.station,
        clock=ctx.clock,
        purpose=Purpose.SIGNATURE,
        permission=Permission.APPROVE,
    )
    with ctx.db.transaction() as session:
        row = session.scalar(
            select(AccountabilitySheet).where(AccountabilitySheet.month == month).with_for_update()
        )
        if row is None:
            row = AccountabilitySheet(month=month)
            session.add(row)
        elif row.approved_at is not None:
            raise Conflict(
                N_("The accountability sheet of {month} is approved already."), month=month
            )
        lines = len(session.scalars(select(Consequence.id).where(Consequence.month == month)).all())
        if lines != seen_lines:
            raise Conflict(
                N_("The sheet of {month} has {count} lines now: reload it and sign what you see."),
                month=month,
                count=lines,
            )
        row.approved_at, row.approved_by_id = ctx.now(), ctx.user_id
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.APPROVE_ACCOUNTABILITY_SHEET,
            "accountability_sheet",
            month,
            after={"lines": lines},
        )


CHOOSE_LINE = N_("Choose the line to correct in the sheet.")


def add_correction(ctx: Context, line_id: int, *, amount_cents: int, note: str) -> str:
    """A correction of a line: a new line naming it, on the open month's sheet (the line itself
    never changes); returns that month."""
    ctx.require(Permission.APPROVE)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(N_("Write down why the line is corrected."))
    with ctx.db.transaction() as session:
        line = session.get(Consequence, line_id)
        if line is None:
            raise NotFound(N_("There is no accountability line with id {id}."), id=line_id)
        month = open_month(session, ctx.now())
        correction = Consequence(
            month=month,
            complaint_id=line.complaint_id,
            staff_id=line.staff_id,
            grade=line.grade,
            rule_code=line.rule_code,
            step=line.step,
            amount_cents=amount_cents,
            cancels_commission=False,
            corrects_id=line.id,
            note=note[:512],
            created_at=ctx.now(),
            created_by_id=ctx.user_id,
        )
        session.add(correction)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CONSEQUENCE_ADDED,
            "accountability_line",
            correction.id,
            after={"corrects": line.id, "amount_cents": amount_cents, "month": month},
            detail=note[:200],
        )
        return month
