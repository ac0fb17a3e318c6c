"""The complaint's handler (seed 000 受理投訴要點 3、找到處理人: 「按照部門和崗位職責快速確定處理人
(1小時)」): registration starts a clock (``complaints.handler_minutes``, 60) by which a named
handler, a staff member chosen by department and duty, takes the complaint; late, it is red in
the register with the other clocks. Naming another handler later keeps the first naming's time.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.audit_actions import AuditAction
from app.complaints.people import Person
from app.complaints.registration import complaint_as_loaded
from app.context import Context
from app.errors import N_, Conflict, NotFound
from app.models import Complaint, ComplaintStatus, StaffMember
from app.permissions import Permission


def assign_handler(ctx: Context, complaint_id: int, *, staff_id: int, expected_version: int) -> int:
    """Name the complaint's handler; returns the complaint's new version."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        complaint = complaint_as_loaded(session, complaint_id, expected_version)
        if complaint.status is not ComplaintStatus.OPEN:
            raise Conflict(
                N_("Complaint {complaint_no} is no longer open."),
                complaint_no=complaint.complaint_no,
            )
        staff = session.get(StaffMember, staff_id)
        if staff is None or not staff.active:
            raise NotFound(N_("Choose the handler from the staff list."))
        before = {"handler": complaint.handler_staff_id}
        now = ctx.now()
        complaint.handler_staff_id = staff.id
        if complaint.handler_assigned_at is None:
            complaint.handler_assigned_at = now
        late = (
            complaint.handler_due is not None
            and complaint.handler_assigned_at > complaint.handler_due
        )
        audit.record(
            session,
            ctx,
            AuditAction.COMPLAINT_HANDLER,
            "complaint",
            complaint.complaint_no,
            before=before,
            after={"handler": staff.code, "late": late},
        )
        session.flush()
        return complaint.version


def handler_of(ctx: Context, complaint_id: int) -> Person | None:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        row = session.execute(
            select(StaffMember)
            .join(Complaint, Complaint.handler_staff_id == StaffMember.id)
            .where(Complaint.id == complaint_id)
        ).scalar_one_or_none()
        return None if row is None else Person(row.id, row.code, row.name, row.department)
