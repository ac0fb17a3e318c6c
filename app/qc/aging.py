"""QC aging test (老化测试): a repaired unit is registered with QC, placed in a rack slot, ages for
at least its model's required time, and is signed off — pass to shipping, fail back to its
technician with the rework count raised.

The sign-off is an electronic signature: it re-asks the tester's password and records who,
when and what. Signing before the time is up needs a supervisor's override (their password and
a reason). Both passwords go through :func:`app.signatures.check` before the sign-off's own
transaction: counted, locked out and audited like a sign-in, with one answer for every refusal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, formats, settings, signatures, states, values
from app.audit_actions import AuditAction
from app.context import Actor, Context
from app.errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from app.models import AgingRun, QcResult, RackSlot, RepairOrder
from app.orders.store import load_order, load_scanned_order
from app.orders.transitions import apply_transition
from app.permissions import Permission
from app.signatures import Purpose
from app.states import Action

# The pick list offered when a unit fails (the tester adds the details in words).
QC_FAIL_REASONS = settings.QC_FAIL_REASONS

# How a checklist item is marked in the signed checklist.
ITEM_PASS = "pass"
ITEM_FAIL = "fail"


def fail_reasons(ctx: Context) -> list[str]:
    """The fail reasons to pick from, as the center set them up."""
    ctx.require(Permission.QC)
    with ctx.db.read() as session:
        return read_fail_reasons(session)


def read_fail_reasons(session: Session) -> list[str]:
    """``fail_reasons`` in a session of the caller's (who checked QC)."""
    return [str(reason) for reason in settings.get(session, QC_FAIL_REASONS) if str(reason)]


def failed_items(checklist: dict[str, Any] | None) -> list[str]:
    """The items marked failed in a (possibly nested: function / appearance) checklist."""
    failed: list[str] = []
    for item, value in (checklist or {}).items():
        if isinstance(value, dict):
            failed.extend(failed_items(value))
        elif value == ITEM_FAIL:
            failed.append(item)
    return failed


@dataclass(frozen=True)
class Override:
    """A supervisor's permission to sign off before the aging time is up."""

    username: str
    password: str
    reason: str


@dataclass(frozen=True)
class Placed:
    order_id: int
    order_no: str
    slot_code: str | None
    required_minutes: int


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


def _slot_busy() -> Any:
    """An open aging run occupies the slot (correlated to ``RackSlot``)."""
    return (
        select(AgingRun.id)
        .where(AgingRun.slot_id == RackSlot.id, AgingRun.result.is_(None))
        .exists()
    )


def _choose_slot(session: Session, slot_id: int | None, slot_code: str | None) -> RackSlot | None:
    """The slot asked for (it must be free), or the next free one; None when no racks are set up.
    The slot and whether it is free are read in one statement."""
    if slot_id is not None or slot_code:
        query = select(RackSlot, _slot_busy())
        if slot_id is not None:
            query = query.where(RackSlot.id == slot_id)
        elif slot_code:
            query = query.where(RackSlot.code == formats.clean_scan(slot_code))
        row = session.execute(query).first()
        if row is None or not row[0].active:
            raise NotFound(N_('There is no rack slot "{code}".'), code=slot_code or slot_id)
        slot, busy = row
        if busy:
            raise Conflict(N_("Slot {code} is taken. Scan a free slot."), code=slot.code)
        return slot
    free = session.scalar(
        select(RackSlot)
        .where(RackSlot.active.is_(True), ~_slot_busy())
        .order_by(RackSlot.rack_id, RackSlot.position, RackSlot.id)
        .limit(1)
    )
    if free is not None:
        return free
    if session.scalar(select(RackSlot.id).where(RackSlot.active.is_(True)).limit(1)) is None:
        return None
    raise Conflict(N_("Every rack slot is taken: sign off finished units first."))


def _place(session: Session, ctx: Context, order: RepairOrder, slot: RackSlot | None) -> Placed:
    # The unit and its model come with the order (joined loads): no statement of their own.
    required = order.unit.product_model.aging_minutes
    now = ctx.now()
    apply_transition(
        session,
        ctx,
        order,
        Action.START_QC,
        detail=f"slot {slot.code}" if slot is not None else None,
    )
    session.add(
        AgingRun(
            order_id=order.id,
            slot_id=slot.id if slot else None,
            technician_id=order.technician_id,
            received_at=now,
            received_by_id=ctx.user_id,
            started_at=now,
            required_minutes=int(required or 0),
            checklist={},
        )
    )
    session.flush()
    return Placed(order.id, order.order_no, slot.code if slot else None, int(required or 0))


def start_aging(ctx: Context, order_id: int, slot_id: int | None = None) -> int:
    """Register a repaired unit with QC and start its aging run (in the given or next free slot)."""
    ctx.require(Permission.QC)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        states.check(Action.START_QC, order.state)
        _place(session, ctx, order, _choose_slot(session, slot_id, None))
        return _open_run(session, order).id


def receive_from_repair(ctx: Context, scan: str, slot_code: str | None = None) -> Placed:
    """The scanner path: a repaired order's label (and optionally a slot's code) → on the rack."""
    ctx.require(Permission.QC)
    order_no = formats.clean_scan(scan)
    with ctx.db.transaction() as session:
        order = load_scanned_order(session, order_no)
        states.check(Action.START_QC, order.state)
        return _place(session, ctx, order, _choose_slot(session, None, slot_code))


def _verify_signature(ctx: Context, password: str) -> None:
    signatures.check(
        ctx.db,
        password,
        user_id=ctx.user_id,
        station=ctx.station,
        clock=ctx.clock,
        purpose=Purpose.SIGNATURE,
    )


def _verify_override(ctx: Context, override: Override) -> Actor:
    if not override.reason:
        raise InvalidInput(N_("An early sign-off needs the supervisor's reason."))
    return signatures.check(
        ctx.db,
        override.password,
        username=override.username,
        station=ctx.station,
        clock=ctx.clock,
        purpose=Purpose.APPROVAL,
        permission=Permission.APPROVE,
    )


def sign_off(
    ctx: Context,
    order_id: int,
    *,
    passed: bool,
    password: str,
    reason: str = "",
    checklist: dict[str, Any] | None = None,
    override: Override | None = None,
) -> RepairOrder:
    """Pass → QC passed; fail → back to its technician with the rework count raised."""
    ctx.require(Permission.QC)
    reason = values.clean_text(reason, max_length=512, multiline=True)
    if not passed and not reason:
        raise InvalidInput(N_("A failed unit needs a reason for the technician."))
    if override is not None:
        override = replace(override, reason=values.clean_text(override.reason, max_length=512))
    if passed and (failed := failed_items(checklist)):
        raise InvalidInput(
            N_("A unit with a failed check cannot pass: {items}."), items=", ".join(failed)
        )
    # The passwords first, each in its own counted check, never inside the sign-off's work.
    _verify_signature(ctx, password)
    supervisor = _verify_override(ctx, override) if override is not None else None
    now = ctx.now()
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        states.check(Action.PASS_QC if passed else Action.FAIL_QC, order.state)
        run = _open_run(session, order)
        ready_at = run.started_at + timedelta(minutes=run.required_minutes)
        if now < ready_at:
            if override is None or supervisor is None:
                minutes = math.ceil((ready_at - now).total_seconds() / 60)
                raise IllegalTransition(
                    N_("Aging is not finished: {minutes} more minutes for {order_no}."),
                    minutes=minutes,
                    order_no=order.order_no,
                )
            run.override_by_id, run.override_reason = supervisor.user_id, override.reason
            audit.record(
                session,
                ctx,
                AuditAction.QC_OVERRIDE,
                "repair_order",
                order.order_no,
                order_id=order.id,
                after={
                    "supervisor": supervisor.username,
                    "minutes_early": math.ceil((ready_at - now).total_seconds() / 60),
                },
                detail=override.reason,
            )
        run.result = QcResult.PASS if passed else QcResult.FAIL
        run.fail_reason = None if passed else reason
        run.checklist = dict(checklist or {})
        run.signed_at, run.signed_by_id = now, ctx.user_id
        detail = "electronic signature" + ("" if passed else f": {reason}")
        if passed:
            apply_transition(session, ctx, order, Action.PASS_QC, qc_passed_at=now, detail=detail)
        else:
            apply_transition(
                session,
                ctx,
                order,
                Action.FAIL_QC,
                detail=detail,
                rework_count=order.rework_count + 1,
            )
        return order
