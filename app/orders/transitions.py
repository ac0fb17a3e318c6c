"""Repair-order operations: every change of state goes through :func:`apply_transition`.

Each public function is one transaction: it checks the permission, locks the order, checks the
state machine and the optimistic version, changes the order and writes the audit row; if any
check fails nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app import audit, money, states, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, IllegalTransition, InvalidInput, PermissionDenied
from app.models import (
    Allocation,
    Charge,
    ChargeStatus,
    Handling,
    RepairOrder,
    RepairState,
    Role,
    User,
)
from app.orders.store import check_version, load_for_edit, load_order, load_orders
from app.permissions import Permission
from app.receiving.condition import require_condition_checked
from app.states import Action


def apply_transition(
    session: Session,
    ctx: Context,
    order: RepairOrder,
    action: Action,
    *,
    target: RepairState | None = None,
    detail: str | None = None,
    noted: dict[str, Any] | None = None,
    **changes: Any,
) -> None:
    """Move ``order`` by ``action`` inside the caller's transaction, with its audit row;
    ``noted`` is recorded with the change (``after``), not set on the order."""
    states.require(ctx.actor, action)
    new_state = states.check(action, order.state, target)
    before = {"state": order.state, **{name: getattr(order, name) for name in changes}}
    order.state = new_state
    for name, value in changes.items():
        setattr(order, name, value)
    order.updated_at = ctx.now()
    audit.record(
        session,
        ctx,
        AuditAction(action),
        "repair_order",
        order.order_no,
        order_id=order.id,
        before=before,
        after={"state": new_state, **changes, **(noted or {})},
        detail=detail,
    )


def perform(
    ctx: Context,
    order_id: int,
    action: Action,
    *,
    target: RepairState | None = None,
    detail: str | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> RepairOrder:
    """One state change as one transaction."""
    states.require(ctx.actor, action)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        check_version(session, order, expected_version)
        apply_transition(session, ctx, order, action, target=target, detail=detail, **changes)
        return order


def active_technician(session: Session, technician_id: int) -> User:
    # The account and its roles in one statement (the roles' own select-in load is a second).
    user = session.get(User, technician_id, options=[joinedload(User.role_links)])
    if user is None or not user.active or Role.TECHNICIAN not in user.roles:
        raise InvalidInput(N_("That person is not an active technician."))
    return user


def _require_approval_if_special(order: RepairOrder) -> None:
    if order.handling is not Handling.REPAIR and order.special_approved_at is None:
        raise IllegalTransition(
            N_("Order {order_no} needs a supervisor's approval before work starts."),
            order_no=order.order_no,
        )


def allocate(ctx: Context, order_ids: Iterable[int], technician_id: int) -> list[str]:
    """Hand orders to a technician (the out-book, 出库本, is read from these audit rows)."""
    states.require(ctx.actor, Action.ALLOCATE)
    order_ids = list(dict.fromkeys(order_ids))
    if not order_ids:
        raise InvalidInput(N_("Select or scan at least one order to allocate."))
    now = ctx.now()
    with ctx.db.transaction() as session:
        technician = active_technician(session, technician_id)
        numbers = []
        # Every order read and locked at once; their changes are flushed together at the end.
        for order in load_orders(session, order_ids):
            _require_approval_if_special(order)
            require_condition_checked(session, order)
            apply_transition(
                session,
                ctx,
                order,
                Action.ALLOCATE,
                technician_id=technician.id,
                allocated_at=now,
                detail=f"to {technician.display_name}",
            )
            session.add(
                Allocation(
                    order_id=order.id,
                    technician_id=technician.id,
                    at=now,
                    by_id=ctx.user_id,
                    station=ctx.station,
                )
            )
            numbers.append(order.order_no)
        return numbers


def on_behalf_of(session: Session, ctx: Context, order: RepairOrder) -> str | None:
    """A technician works only on the orders allocated to them; a supervisor may act on another
    technician's order, and the audit row says on whose behalf (returned as its detail)."""
    if order.technician_id is not None and order.technician_id == ctx.actor.user_id:
        return None
    if ctx.actor.can(Permission.APPROVE):
        holder = session.get(User, order.technician_id) if order.technician_id else None
        name = holder.display_name if holder else "-"
        return f"by supervisor {ctx.actor.display_name} for {name}"
    raise PermissionDenied(
        N_(
            "Order {order_no} is allocated to another technician: only they or a supervisor may "
            "work on it."
        ),
        order_no=order.order_no,
    )


def start_repair(ctx: Context, order_id: int) -> RepairOrder:
    states.require(ctx.actor, Action.START_REPAIR)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        _require_approval_if_special(order)
        detail = on_behalf_of(session, ctx, order)
        apply_transition(session, ctx, order, Action.START_REPAIR, detail=detail)
        return order


def wait_for_parts(ctx: Context, order_id: int, note: str) -> RepairOrder:
    return perform(ctx, order_id, Action.WAIT_FOR_PARTS, detail=note)


def parts_arrived(ctx: Context, order_id: int) -> RepairOrder:
    return perform(ctx, order_id, Action.PARTS_ARRIVED)


def finish_repair(
    ctx: Context, order_id: int, *, diagnosis: str, repair_action: str, expected_version: int
) -> RepairOrder:
    """The bench's notes saved and the unit passed to QC, by the technician it is allocated to
    (or a supervisor, audited as such)."""
    states.require(ctx.actor, Action.FINISH_REPAIR)
    diagnosis = values.clean_text(diagnosis, max_length=values.MAX_NOTE_LENGTH, multiline=True)
    repair_action = values.clean_text(
        repair_action,
        max_length=values.MAX_NOTE_LENGTH,
        multiline=True,
        required=N_("Record what was repaired before passing the unit to QC."),
    )
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        detail = on_behalf_of(session, ctx, order)
        apply_transition(
            session,
            ctx,
            order,
            Action.FINISH_REPAIR,
            detail=detail,
            diagnosis=diagnosis,
            repair_action=repair_action,
            repaired_at=ctx.now(),
        )
        return order


def propose_charge(
    ctx: Context,
    order_id: int,
    *,
    parts_cents: int,
    labour_cents: int,
    reason: str,
    expected_version: int,
) -> int:
    """Propose a charge for the customer to accept. In warranty the repair is free: a charge
    there is a supervisor's decision (signed in, or through the override signature)."""
    states.require(ctx.actor, Action.PROPOSE_CHARGE)
    checked_parts, checked_labour = money.check_cents(parts_cents), money.check_cents(labour_cents)
    if checked_parts is None or checked_labour is None or checked_parts + checked_labour == 0:
        raise InvalidInput(N_("A charge needs a positive amount for parts or labour."))
    parts_cents, labour_cents = checked_parts, checked_labour
    reason = values.clean_text(
        reason, max_length=512, required=N_("Say why the repair is charged.")
    )
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        if order.in_warranty and not ctx.actor.can(Permission.APPROVE):
            raise PermissionDenied(
                N_(
                    "Order {order_no} is in warranty: the repair is free. Only a supervisor may "
                    "propose a charge on it, with a reason."
                ),
                order_no=order.order_no,
            )
        charge = Charge(
            order_id=order.id,
            parts_cents=parts_cents,
            labour_cents=labour_cents,
            reason=reason,
            status=ChargeStatus.PROPOSED,
            proposed_by_id=ctx.user_id,
            proposed_at=ctx.now(),
        )
        session.add(charge)
        apply_transition(
            session,
            ctx,
            order,
            Action.PROPOSE_CHARGE,
            detail=f"parts {parts_cents} + labour {labour_cents} cents: {reason.strip()}",
        )
        session.flush()
        return charge.id


def answer_charge(
    ctx: Context, order_id: int, *, accepted: bool, customer_name: str, expected_version: int
) -> RepairOrder:
    """Customer service records the customer's answer; a refusal means return unrepaired."""
    action = Action.ACCEPT_CHARGE if accepted else Action.REFUSE_CHARGE
    states.require(ctx.actor, action)
    if not customer_name.strip():
        raise InvalidInput(N_("Record who answered for the customer."))
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        charge = session.scalar(
            select(Charge)
            .where(Charge.order_id == order.id, Charge.status == ChargeStatus.PROPOSED)
            .order_by(Charge.id.desc())
        )
        if charge is None:
            raise IllegalTransition(
                N_("Order {order_no} has no charge waiting for an answer."), order_no=order.order_no
            )
        charge.status = ChargeStatus.ACCEPTED if accepted else ChargeStatus.REFUSED
        charge.answered_by_customer = customer_name.strip()
        charge.recorded_by_id = ctx.actor.user_id
        charge.answered_at = ctx.now()
        # Who answered, as a field of the record (the timeline words it in the reader's
        # language), not an English sentence in the free-text detail.
        apply_transition(session, ctx, order, action, noted={"answered_by": customer_name.strip()})
        return order


def request_special(ctx: Context, order_id: int, handling: Handling, reason: str) -> RepairOrder:
    if handling is Handling.REPAIR:
        raise InvalidInput(N_("Choose refund, refurbish or replace as new."))
    if not reason.strip():
        raise InvalidInput(N_("Give a reason for the special handling."))
    return perform(
        ctx,
        order_id,
        Action.REQUEST_SPECIAL,
        handling=handling,
        special_reason=reason.strip(),
        special_approved_at=None,
        special_approved_by_id=None,
    )


def approve_special(ctx: Context, order_id: int, note: str = "") -> RepairOrder:
    """A refund ends the order; refurbish / replace go back to the queue (or the bench), approved."""
    states.require(ctx.actor, Action.APPROVE_SPECIAL)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        if order.handling is Handling.REFUND:
            target = RepairState.REFUNDED
        else:
            target = RepairState.ALLOCATED if order.technician_id else RepairState.RECEIVED
        apply_transition(
            session,
            ctx,
            order,
            Action.APPROVE_SPECIAL,
            target=target,
            detail=note or None,
            special_approved_at=ctx.now(),
            special_approved_by_id=ctx.actor.user_id,
        )
        return order


def reject_special(ctx: Context, order_id: int, reason: str) -> RepairOrder:
    if not reason.strip():
        raise InvalidInput(N_("Give a reason for rejecting the special handling."))
    states.require(ctx.actor, Action.REJECT_SPECIAL)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        target = RepairState.ALLOCATED if order.technician_id else RepairState.RECEIVED
        apply_transition(
            session,
            ctx,
            order,
            Action.REJECT_SPECIAL,
            target=target,
            detail=reason.strip(),
            handling=Handling.REPAIR,
        )
        return order


def return_unrepaired(ctx: Context, order_id: int, reason: str) -> RepairOrder:
    if not reason.strip():
        raise InvalidInput(N_("Give a reason for returning the unit unrepaired."))
    return perform(ctx, order_id, Action.RETURN_UNREPAIRED, detail=reason.strip())
