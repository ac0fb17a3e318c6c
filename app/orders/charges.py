"""Where an order's charge stands for the parts counter, and a supervisor's waiver.

The rule (DOMAIN.md): in warranty the repair is free; out of warranty no part leaves the counter
before the customer has accepted the charge, or a supervisor has waived it with a reason.
"""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, IllegalTransition, PermissionDenied
from app.models import Charge, ChargeStatus, RepairOrder
from app.orders.store import load_for_edit
from app.permissions import Permission


class PartsCharge(enum.StrEnum):
    """The charge of an order as the parts counter reads it."""

    FREE = "free"  # in warranty, nothing charged
    CONFIRMED = "confirmed"  # the customer accepted the charge
    WAIVED = "waived"  # a supervisor waived it, with a reason
    NOT_PROPOSED = "not_proposed"  # out of warranty and no charge proposed yet
    AWAITING_CUSTOMER = "awaiting_customer"
    REFUSED = "refused"


PARTS_CHARGE_LABELS: dict[PartsCharge, str] = {
    PartsCharge.FREE: N_("In warranty: free"),
    PartsCharge.CONFIRMED: N_("Confirmed by the customer"),
    PartsCharge.WAIVED: N_("Waived by a supervisor"),
    PartsCharge.NOT_PROPOSED: N_("Out of warranty: no charge proposed"),
    PartsCharge.AWAITING_CUSTOMER: N_("Awaiting the customer's answer"),
    PartsCharge.REFUSED: N_("Refused by the customer"),
}

# What lets a part leave the counter.
PARTS_MAY_LEAVE = frozenset({PartsCharge.FREE, PartsCharge.CONFIRMED, PartsCharge.WAIVED})

_BY_STATUS = {
    ChargeStatus.PROPOSED: PartsCharge.AWAITING_CUSTOMER,
    ChargeStatus.ACCEPTED: PartsCharge.CONFIRMED,
    ChargeStatus.REFUSED: PartsCharge.REFUSED,
    ChargeStatus.WAIVED: PartsCharge.WAIVED,
}


def parts_charge(session: Session, order: RepairOrder) -> PartsCharge:
    latest = session.scalar(
        select(Charge.status).where(Charge.order_id == order.id).order_by(Charge.id.desc()).limit(1)
    )
    if latest is None:
        return PartsCharge.FREE if order.in_warranty else PartsCharge.NOT_PROPOSED
    return _BY_STATUS[latest]


def require_parts_may_leave(session: Session, order: RepairOrder) -> None:
    charge = parts_charge(session, order)
    if charge in PARTS_MAY_LEAVE:
        return
    raise IllegalTransition(
        N_(
            "Order {order_no}: {charge}. Out of warranty a part is issued only once the "
            "customer has accepted the charge, or a supervisor has waived it."
        ),
        order_no=order.order_no,
        charge=PARTS_CHARGE_LABELS[charge],
    )


def waive_charge(ctx: Context, order_id: int, *, reason: str, expected_version: int) -> int:
    """A supervisor lets an out-of-warranty order have its parts without a charge (goodwill,
    our own fault...). Returns the waiver's charge row id; audited with the reason."""
    if not ctx.actor.can(Permission.APPROVE):
        raise PermissionDenied(N_("Only a supervisor may waive a charge."))
    reason = values.clean_text(reason, max_length=512, required=N_("Say why the charge is waived."))
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        charge = parts_charge(session, order)
        if charge is not PartsCharge.NOT_PROPOSED:
            raise IllegalTransition(
                N_("Order {order_no}: {charge}. There is no charge to waive."),
                order_no=order.order_no,
                charge=PARTS_CHARGE_LABELS[charge],
            )
        now = ctx.now()
        waiver = Charge(
            order_id=order.id,
            reason=reason,
            status=ChargeStatus.WAIVED,
            proposed_by_id=ctx.user_id,
            proposed_at=now,
            recorded_by_id=ctx.user_id,
            answered_at=now,
        )
        session.add(waiver)
        order.updated_at = now  # a new version: a form loaded before the waiver reloads
        audit.record(
            session,
            ctx,
            AuditAction.WAIVE_CHARGE,
            "repair_order",
            order.order_no,
            order_id=order.id,
            after={"charge": ChargeStatus.WAIVED},
            detail=reason,
        )
        session.flush()
        return waiver.id
