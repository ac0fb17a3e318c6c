"""The two-valid-complaints warning (seed 000: two valid complaints against one station in a
month bring a penalty and count in its yearly review).

Raised from the data: whenever headquarters reads a month's figures, every center with two valid
complaints or more in it gets its warning (once; its count follows later complaints). The
decision — a penalty or 通报批评 — is headquarters' own row, recorded by one person and approved
by a second headquarters person's password (``app.signatures``), audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, signatures
from app.audit_actions import AuditAction
from app.centers import network_view
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from app.headquarters.figures import (
    CenterMonth,
    is_headquarters,
    month_key,
    read_network_month,
    require_headquarters,
)
from app.models import CenterWarning, User, WarningDecision
from app.permissions import Permission


@dataclass(frozen=True)
class WarningRow:
    id: int
    station_id: int
    month: str
    valid_complaints: int
    raised_at: datetime
    decision: WarningDecision | None
    penalty_cents: int | None
    note: str | None
    decided_by: str | None
    approved_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class NetworkMonth:
    month: date
    centers: list[CenterMonth]
    warnings: list[WarningRow]


def _raise(session: Session, ctx: Context, rows: list[CenterMonth], month: str) -> None:
    """Add the warnings the month's figures call for, in the caller's transaction."""
    known = {
        warning.station_id: warning
        for warning in session.scalars(select(CenterWarning).where(CenterWarning.month == month))
    }
    for row in rows:
        warning = known.get(row.center_id)
        if not row.warned:
            continue
        if warning is None:
            warning = CenterWarning(
                station_id=row.center_id,
                month=month,
                valid_complaints=row.kpi.valid_complaints,
                raised_at=ctx.now(),
            )
            session.add(warning)
            session.flush()
            audit.record(
                session,
                ctx,
                AuditAction.RAISE_CENTER_WARNING,
                "center_warning",
                warning.id,
                after={"center": row.code, "month": month, "valid": row.kpi.valid_complaints},
            )
        elif warning.valid_complaints != row.kpi.valid_complaints:
            warning.valid_complaints = row.kpi.valid_complaints


def _rows(session: Session, month: str) -> list[WarningRow]:
    names: dict[int | None, str] = dict(session.execute(select(User.id, User.display_name)).all())
    return [
        WarningRow(
            w.id,
            w.station_id,
            w.month,
            w.valid_complaints,
            w.raised_at,
            w.decision,
            w.penalty_cents,
            w.note,
            names.get(w.decided_by_id),
            names.get(w.approved_by_id),
            w.decided_at,
        )
        for w in session.scalars(
            select(CenterWarning).where(CenterWarning.month == month).order_by(CenterWarning.id)
        )
    ]


def network_month_with_warnings(ctx: Context, month: date) -> NetworkMonth:
    """Every center's figures of the month and headquarters' warnings, the missing ones raised
    now (headquarters only). Reads first; writes only when a warning is new or its count moved."""
    require_headquarters(ctx)
    key = month_key(month)
    with ctx.db.read() as session:
        network_view(session)
        centers = read_network_month(session, month)
        warnings = _rows(session, key)
    counted = {w.station_id: w.valid_complaints for w in warnings}
    if any(counted.get(row.center_id) != row.kpi.valid_complaints for row in centers if row.warned):
        with ctx.db.transaction() as session:
            network_view(session)
            centers = read_network_month(session, month)
            _raise(session, ctx, centers, key)
            session.flush()
            warnings = _rows(session, key)
    return NetworkMonth(month, centers, warnings)


def decide_warning(
    ctx: Context,
    warning_id: int,
    decision: WarningDecision,
    *,
    approver: str,
    approver_password: str,
    penalty_cents: int | None = None,
    note: str | None = None,
) -> None:
    """Record headquarters' decision on a warning, approved by a second headquarters person
    (their password checked first, outside the transaction, as every signature is)."""
    require_headquarters(ctx)
    if decision is WarningDecision.PENALTY and (penalty_cents is None or penalty_cents <= 0):
        raise InvalidInput(N_("A penalty needs an amount."))
    if decision is WarningDecision.REPRIMAND:
        penalty_cents = None
    approved_by = signatures.check(
        ctx.db,
        approver_password,
        station=ctx.station,
        clock=ctx.clock,
        purpose=signatures.Purpose.APPROVAL,
        username=approver,
        permission=Permission.VIEW_NETWORK,
    )
    if approved_by.user_id == ctx.actor.user_id:
        raise InvalidInput(N_("The decision is approved by a second person, not its author."))
    if not is_headquarters(ctx.as_actor(approved_by)):
        raise PermissionDenied(N_("The approver must be a user of headquarters."))
    with ctx.db.transaction() as session:
        warning = session.get(CenterWarning, warning_id, with_for_update=True)
        if warning is None:
            raise NotFound(N_("There is no such warning."))
        if warning.decision is not None:
            raise Conflict(N_("This warning was decided already."))
        warning.decision = decision
        warning.penalty_cents = penalty_cents
        warning.note = (note or "").strip() or None
        warning.decided_by_id = ctx.user_id
        warning.approved_by_id = approved_by.user_id
        warning.decided_at = ctx.now()
        audit.record(
            session,
            ctx,
            AuditAction.DECIDE_CENTER_WARNING,
            "center_warning",
            warning.id,
            after={
                "decision": decision.value,
                "penalty_cents": penalty_cents,
                "approved_by": approved_by.username,
                "station_id": warning.station_id,
                "month": warning.month,
            },
        )
