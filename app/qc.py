"""QC aging test (老化测试): a repaired unit ages for its model's required time, then is signed off."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import states
from .context import Context
from .errors import N_, IllegalTransition, InvalidInput
from .models import AgingRun, ProductModel, QcResult, RepairOrder, Unit
from .orders import apply_transition, load_order
from .permissions import Permission
from .states import Action


def _open_run(session: Session, order: RepairOrder) -> AgingRun:
    run = session.scalar(
        select(AgingRun)
        .where(AgingRun.order_id == order.id, AgingRun.result.is_(None))
        .order_by(AgingRun.id.desc())
    )
    if run is None:
        raise IllegalTransition(
            N_("Order {order_no} is not on an aging rack."), order_no=order.order_no
        )
    return run


def start_aging(ctx: Context, order_id: int, slot_id: int | None = None) -> int:
    """Register a repaired unit with QC and start its aging run."""
    ctx.require(Permission.QC)
    now = ctx.now()
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        required = session.scalar(
            select(ProductModel.aging_minutes)
            .join(Unit, Unit.product_model_id == ProductModel.id)
            .where(Unit.id == order.unit_id)
        )
        apply_transition(session, ctx, order, Action.START_QC)
        run = AgingRun(
            order_id=order.id,
            slot_id=slot_id,
            technician_id=order.technician_id,
            received_at=now,
            received_by_id=ctx.user_id,
            started_at=now,
            required_minutes=int(required or 0),
            checklist={},
        )
        session.add(run)
        session.flush()
        return run.id


def sign_off(
    ctx: Context,
    order_id: int,
    *,
    passed: bool,
    reason: str = "",
    checklist: dict[str, Any] | None = None,
) -> RepairOrder:
    """Pass → QC passed; fail → back to its technician with the rework count raised."""
    ctx.require(Permission.QC)
    if not passed and not reason.strip():
        raise InvalidInput(N_("A failed unit needs a reason for the technician."))
    now = ctx.now()
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        states.check(Action.PASS_QC if passed else Action.FAIL_QC, order.state)
        run = _open_run(session, order)
        ready_at = run.started_at + timedelta(minutes=run.required_minutes)
        if now < ready_at:
            minutes = math.ceil((ready_at - now).total_seconds() / 60)
            raise IllegalTransition(
                N_("Aging is not finished: {minutes} more minutes for {order_no}."),
                minutes=minutes,
                order_no=order.order_no,
            )
        run.result = QcResult.PASS if passed else QcResult.FAIL
        run.fail_reason = None if passed else reason.strip()
        run.checklist = dict(checklist or {})
        run.signed_at = now
        run.signed_by_id = ctx.user_id
        if passed:
            apply_transition(session, ctx, order, Action.PASS_QC, qc_passed_at=now)
        else:
            apply_transition(
                session,
                ctx,
                order,
                Action.FAIL_QC,
                detail=reason.strip(),
                rework_count=order.rework_count + 1,
            )
        return order
