"""The technician's bench: what was found and done (the fault knowledge base, 故障反馈资料库),
suggestions from past repairs of the same model and fault, and serial swaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app import audit, formats, settings, states, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, IllegalTransition, InvalidInput
from app.localtime import center_zone
from app.models import (
    Charge,
    ChargeStatus,
    Customer,
    ProductModel,
    RepairOrder,
    RepairRecord,
    SerialKind,
    SerialSwap,
    Unit,
    User,
)
from app.orders.store import load_for_edit
from app.permissions import Permission

ON_BENCH = frozenset({states.S.IN_REPAIR, states.S.WAITING_PARTS, states.S.WAITING_CHARGE})


@dataclass(frozen=True)
class Suggestion:
    fault_code: str | None
    cause: str
    action: str
    times: int


@dataclass(frozen=True)
class PendingCharge:
    """The charge customer service reads to the customer on the phone."""

    order_id: int
    parts_cents: int
    labour_cents: int
    reason: str
    proposed_by: str
    proposed_at: datetime

    @property
    def total_cents(self) -> int:
        return self.parts_cents + self.labour_cents


def pending_charge(ctx: Context, order_id: int) -> PendingCharge | None:
    """The latest charge of the order still waiting for the customer's answer."""
    ctx.require(Permission.CONFIRM_CHARGE)
    with ctx.db.read() as session:
        row = session.execute(
            select(
                Charge.order_id,
                Charge.parts_cents,
                Charge.labour_cents,
                Charge.reason,
                User.display_name,
                Charge.proposed_at,
            )
            .join(User, User.id == Charge.proposed_by_id)
            .where(Charge.order_id == order_id, Charge.status == ChargeStatus.PROPOSED)
            .order_by(Charge.id.desc())
            .limit(1)
        ).first()
    return PendingCharge(*row) if row is not None else None


def charges_to_call(ctx: Context, order_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """(total of the latest pending charge, customer's phone) per order of a list of charges to
    confirm: what customer service needs to call and read the amount out. One query."""
    ctx.require(Permission.CONFIRM_CHARGE)
    if not order_ids:
        return {}
    latest = (
        select(func.max(Charge.id))
        .where(Charge.order_id.in_(list(order_ids)), Charge.status == ChargeStatus.PROPOSED)
        .group_by(Charge.order_id)
    )
    with ctx.db.read() as session:
        rows = session.execute(
            select(Charge.order_id, Charge.parts_cents + Charge.labour_cents, Customer.phone)
            .join(RepairOrder, RepairOrder.id == Charge.order_id)
            .join(Customer, Customer.id == RepairOrder.customer_id)
            .where(Charge.id.in_(latest))
        ).all()
    return {order_id: (int(total), phone or "") for order_id, total, phone in rows}


def record_repair(
    ctx: Context,
    order_id: int,
    *,
    fault_code: str | None,
    cause: str,
    action: str,
    expected_version: int,
) -> int:
    """One line of the knowledge base: fault code → cause → action, on this order (a new
    version of the order: a bench form loaded before it reloads)."""
    ctx.require(Permission.REPAIR)
    both = N_("Record both the cause found and the action taken.")
    cause = values.clean_text(cause, max_length=512, multiline=True, required=both)
    action = values.clean_text(action, max_length=512, multiline=True, required=both)
    fault_code = values.optional_text(fault_code, max_length=32)
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        if order.state not in ON_BENCH:
            raise IllegalTransition(
                N_("Order {order_no} is not on a bench ({state})."),
                order_no=order.order_no,
                state=states.STATE_LABELS[order.state],
            )
        record = RepairRecord(
            order_id=order.id,
            fault_code=fault_code,
            cause=cause,
            action=action,
            technician_id=ctx.user_id,
            recorded_at=ctx.now(),
        )
        session.add(record)
        order.updated_at = record.recorded_at
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.RECORD_REPAIR,
            "repair_order",
            order.order_no,
            order_id=order.id,
            after={"fault_code": record.fault_code, "cause": record.cause, "action": record.action},
        )
        return record.id


def suggestions(ctx: Context, order_id: int, limit: int = 5) -> Sequence[Suggestion]:
    """Past causes and actions for the same model (and fault code, when given), most frequent first."""
    ctx.require(Permission.REPAIR)
    with ctx.db.read() as session:
        model_id = session.scalar(
            select(Unit.product_model_id)
            .join(RepairOrder, RepairOrder.unit_id == Unit.id)
            .where(RepairOrder.id == order_id)
        )
        rows = session.execute(
            select(RepairRecord.fault_code, RepairRecord.cause, RepairRecord.action, func.count())
            .join(RepairOrder, RepairOrder.id == RepairRecord.order_id)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .where(Unit.product_model_id == model_id, RepairRecord.order_id != order_id)
            .group_by(RepairRecord.fault_code, RepairRecord.cause, RepairRecord.action)
            .order_by(func.count().desc())
            .limit(limit)
        ).all()
    return [Suggestion(*row) for row in rows]


def swap_serial(
    ctx: Context, order_id: int, new_serial: str, reason: str, *, expected_version: int
) -> str:
    """The unit was replaced or its board swapped: the order now carries the new serial."""
    ctx.require(Permission.REPAIR)
    if not reason.strip():
        raise InvalidInput(N_("Say why the serial changes (board swap, replacement...)."))
    serial = formats.clean_scan(new_serial)
    now = ctx.now()
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        if order.state not in ON_BENCH:
            raise IllegalTransition(
                N_("Order {order_no} is not on a bench ({state})."),
                order_no=order.order_no,
                state=states.STATE_LABELS[order.state],
            )
        old_unit = session.get_one(Unit, order.unit_id)
        model = session.get_one(ProductModel, old_unit.product_model_id)
        if model.serial_kind is SerialKind.IMEI:
            formats.check_imei(serial)
        else:
            formats.check_free_serial(serial, model.serial_pattern)
        if serial == old_unit.serial:
            raise InvalidInput(N_("The new serial is the same as the old one."))
        new_unit = session.scalar(select(Unit).where(Unit.serial == serial))
        if new_unit is not None:
            busy = session.scalar(
                select(RepairOrder.order_no).where(
                    RepairOrder.unit_id == new_unit.id,
                    RepairOrder.state.in_(sorted(states.OPEN_STATES)),
                )
            )
            if busy:
                raise Conflict(
                    N_("{serial} already has an open repair order {order_no}."),
                    serial=serial,
                    order_no=busy,
                )
        else:
            restart = settings.get(session, settings.SWAP_WARRANTY_RULE) == "restart"
            new_unit = Unit(
                serial=serial,
                product_model_id=model.id,
                capacity=old_unit.capacity,
                colour=old_unit.colour,
                created_at=now,
                purchase_date=now.astimezone(center_zone()).date()
                if restart
                else old_unit.purchase_date,
            )
            session.add(new_unit)
            session.flush()
        session.add(
            SerialSwap(
                order_id=order.id,
                old_unit_id=old_unit.id,
                new_unit_id=new_unit.id,
                reason=reason.strip(),
                swapped_at=now,
                swapped_by_id=ctx.user_id,
            )
        )
        order.unit_id = new_unit.id
        order.updated_at = now
        audit.record(
            session,
            ctx,
            AuditAction.SWAP_SERIAL,
            "repair_order",
            order.order_no,
            order_id=order.id,
            before={"serial": old_unit.serial},
            after={"serial": serial},
            detail=reason.strip(),
        )
        return serial
