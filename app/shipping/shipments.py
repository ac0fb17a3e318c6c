"""Shipping (发货): only QC-passed units (or units returned unrepaired) leave the building.

A shipment is packed unit by unit (each scan checked against its repair order), gets a waybill,
and ships in one transaction that marks every order shipped, writes the shipping ledger (the
shipment rows) and schedules the follow-up calls (回访) for repairs done in warranty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, formats, numbering, settings, states
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from app.models import (
    Carrier,
    Customer,
    FollowUp,
    FollowUpKind,
    RepairOrder,
    RepairState,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Unit,
)
from app.orders.store import find_order_id, load_order
from app.orders.transitions import apply_transition
from app.permissions import Permission
from app.states import Action
from app.workcal import WorkCalendar

SHIPPABLE = frozenset({RepairState.QC_PASSED, RepairState.RETURN_UNREPAIRED})


@dataclass(frozen=True)
class PackedUnit:
    order_no: str
    serial: str
    accessories: list[str]  # received at intake: they go back with the unit


@dataclass(frozen=True)
class StartedShipment:
    shipment_id: int
    shipment_no: str
    unit: PackedUnit


def _shipment(session: Session, shipment_id: int, *, lock: bool = True) -> Shipment:
    query = select(Shipment).where(Shipment.id == shipment_id)
    shipment = session.scalar(query.with_for_update() if lock else query)
    if shipment is None:
        raise NotFound(N_("There is no such shipment."))
    return shipment


def _packing(session: Session, shipment_id: int) -> Shipment:
    shipment = _shipment(session, shipment_id)
    if shipment.status is not ShipmentStatus.PACKING:
        raise Conflict(
            N_("Shipment {shipment_no} has already left or was cancelled."),
            shipment_no=shipment.shipment_no,
        )
    return shipment


def _items(session: Session, shipment_id: int) -> list[ShipmentItem]:
    return list(
        session.scalars(
            select(ShipmentItem)
            .where(ShipmentItem.shipment_id == shipment_id)
            .order_by(ShipmentItem.id)
        )
    )


def create_shipment(
    ctx: Context,
    customer_id: int,
    *,
    receiver_name: str | None = None,
    receiver_phone: str | None = None,
    receiver_address: str | None = None,
) -> int:
    """Start packing for a customer; the receiver defaults to the customer's own address."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        return _create(
            session, ctx, customer_id, receiver_name, receiver_phone, receiver_address
        ).id


def start_shipment(ctx: Context, scan: str) -> StartedShipment:
    """The first scan at an empty packing table: a shipment for that unit's customer, with the
    unit in it. One transaction: a refused unit leaves no empty shipment behind."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        order_id = _order_id_for_scan(session, scan)
        customer_id = session.scalar(
            select(RepairOrder.customer_id).where(RepairOrder.id == order_id)
        )
        assert customer_id is not None
        shipment = _create(session, ctx, customer_id, None, None, None)
        unit = _add_unit(session, ctx, shipment, scan)
        return StartedShipment(shipment.id, shipment.shipment_no, unit)


def add_unit(ctx: Context, shipment_id: int, scan: str) -> PackedUnit:
    """Pack one unit (its label scanned); refused with the reason when it may not go."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        return _add_unit(session, ctx, _packing(session, shipment_id), scan)


def remove_unit(ctx: Context, shipment_id: int, order_no: str) -> None:
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        shipment = _packing(session, shipment_id)
        order_id = find_order_id(session, order_no)
        item = session.scalar(
            select(ShipmentItem).where(
                ShipmentItem.shipment_id == shipment.id, ShipmentItem.order_id == order_id
            )
        )
        if item is None:
            raise NotFound(N_("{order_no} is not in this shipment."), order_no=order_no)
        session.delete(item)
        audit.record(
            session, ctx, AuditAction.UNPACK, "shipment", shipment.shipment_no, order_id=order_id
        )


def set_waybill(
    ctx: Context,
    shipment_id: int,
    *,
    carrier_code: str,
    waybill_no: str,
    weight_grams: int | None = None,
    declared_value_cents: int | None = None,
    pieces: int = 1,
    receiver_name: str | None = None,
    receiver_phone: str | None = None,
    receiver_address: str | None = None,
) -> str:
    ctx.require(Permission.SHIP)
    if pieces < 1 or (weight_grams is not None and weight_grams <= 0):
        raise InvalidInput(N_("Pieces and weight must be positive."))
    with ctx.db.transaction() as session:
        shipment = _packing(session, shipment_id)
        for field, value in (
            ("receiver_name", receiver_name),
            ("receiver_phone", receiver_phone),
            ("receiver_address", receiver_address),
        ):
            if value is not None:
                setattr(shipment, field, value.strip())
        shipment.weight_grams, shipment.declared_value_cents = weight_grams, declared_value_cents
        shipment.pieces = pieces
        return _set_waybill(session, ctx, shipment, carrier_code, waybill_no)


def ship(ctx: Context, shipment_id: int) -> list[str]:
    """Every packed order becomes shipped, in one transaction; follow-up calls are scheduled."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        return _ship(session, ctx, _packing(session, shipment_id))


def cancel_shipment(ctx: Context, shipment_id: int, reason: str) -> None:
    """Unpack a shipment that has not left; its units are ready to ship again."""
    ctx.require(Permission.SHIP)
    if not reason.strip():
        raise InvalidInput(N_("Give a reason for cancelling the shipment."))
    with ctx.db.transaction() as session:
        shipment = _packing(session, shipment_id)
        shipment.status = ShipmentStatus.CANCELLED
        shipment.cancel_reason = reason.strip()
        audit.record(
            session,
            ctx,
            AuditAction.CANCEL_SHIPMENT,
            "shipment",
            shipment.shipment_no,
            detail=reason.strip(),
        )


def ship_orders(
    ctx: Context,
    order_ids: Iterable[int],
    *,
    carrier_code: str,
    waybill_no: str,
    receiver_name: str,
    receiver_phone: str | None,
    receiver_address: str,
) -> str:
    """Pack and ship orders of one customer in one transaction (tools, imports, demo data)."""
    ctx.require(Permission.SHIP)
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise InvalidInput(N_("Scan at least one unit into the shipment."))
    with ctx.db.transaction() as session:
        rows = session.execute(
            select(RepairOrder.order_no, RepairOrder.customer_id).where(RepairOrder.id.in_(ids))
        ).all()
        if len({customer for _, customer in rows}) > 1:
            raise InvalidInput(
                N_("One shipment goes to one customer: these units belong to several.")
            )
        shipment = _create(
            session, ctx, rows[0][1], receiver_name, receiver_phone, receiver_address
        )
        for order_no, _ in rows:
            _add_unit(session, ctx, shipment, order_no)
        _set_waybill(session, ctx, shipment, carrier_code, waybill_no)
        _ship(session, ctx, shipment)
        return shipment.shipment_no


# The steps, inside the caller's transaction.


def _create(
    session: Session,
    ctx: Context,
    customer_id: int,
    receiver_name: str | None,
    receiver_phone: str | None,
    receiver_address: str | None,
) -> Shipment:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(N_("Choose the customer the shipment goes to."))
    shipment = Shipment(
        shipment_no=numbering.next_number(session, "SH", ctx.now()),
        customer_id=customer.id,
        status=ShipmentStatus.PACKING,
        receiver_name=(receiver_name or customer.name).strip(),
        receiver_phone=(receiver_phone or customer.phone or "").strip() or None,
        receiver_address=(receiver_address or customer.address or "").strip(),
        created_at=ctx.now(),
        created_by_id=ctx.user_id,
    )
    session.add(shipment)
    session.flush()
    audit.record(
        session,
        ctx,
        AuditAction.CREATE_SHIPMENT,
        "shipment",
        shipment.shipment_no,
        after={"customer_id": customer.id},
    )
    return shipment


def _order_id_for_scan(session: Session, scan: str) -> int:
    """The repair-order label, or the unit's own serial / IMEI (its newest order)."""
    code = formats.clean_scan(scan).upper()
    by_serial = session.scalar(
        select(RepairOrder.id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .where(Unit.serial == code)
        .order_by(RepairOrder.id.desc())
        .limit(1)
    )
    return by_serial if by_serial is not None else find_order_id(session, code)


def _add_unit(session: Session, ctx: Context, shipment: Shipment, scan: str) -> PackedUnit:
    order = load_order(session, _order_id_for_scan(session, scan))
    if order.state is RepairState.SHIPPED:
        shipped = order.shipped_at.astimezone().strftime("%Y-%m-%d") if order.shipped_at else "?"
        raise Conflict(
            N_("{order_no} was already shipped on {date}."), order_no=order.order_no, date=shipped
        )
    if order.state not in SHIPPABLE:
        raise IllegalTransition(
            N_("{order_no} has not passed QC ({state}): it cannot be shipped."),
            order_no=order.order_no,
            state=states.STATE_LABELS[order.state],
        )
    if order.customer_id != shipment.customer_id:
        raise InvalidInput(
            N_("{order_no} belongs to another customer: pack it separately."),
            order_no=order.order_no,
        )
    other = session.scalar(
        select(Shipment.shipment_no)
        .join(ShipmentItem, ShipmentItem.shipment_id == Shipment.id)
        .where(ShipmentItem.order_id == order.id, Shipment.status == ShipmentStatus.PACKING)
    )
    if other is not None:
        raise Conflict(
            N_("{order_no} is already packed in shipment {shipment_no}."),
            order_no=order.order_no,
            shipment_no=other,
        )
    session.add(ShipmentItem(shipment_id=shipment.id, order_id=order.id, added_at=ctx.now()))
    audit.record(
        session,
        ctx,
        AuditAction.PACK,
        "shipment",
        shipment.shipment_no,
        order_id=order.id,
        after={"order_no": order.order_no},
    )
    return PackedUnit(order.order_no, order.unit.serial, list(order.accessories))


def check_waybill(carrier: Carrier, waybill_no: str) -> str:
    waybill = formats.clean_scan(waybill_no).upper()
    if carrier.waybill_pattern and not re.fullmatch(carrier.waybill_pattern, waybill):
        raise InvalidInput(
            N_('"{waybill}" is not a {carrier} waybill number (expected {pattern}).'),
            waybill=waybill,
            carrier=carrier.name,
            pattern=carrier.waybill_pattern,
        )
    if carrier.uses_s10_check_digit and not formats.s10_valid(waybill):
        raise InvalidInput(
            N_('Waybill "{waybill}" has a wrong check digit ({carrier}). Scan it again.'),
            waybill=waybill,
            carrier=carrier.name,
        )
    return waybill


def _set_waybill(
    session: Session, ctx: Context, shipment: Shipment, carrier_code: str, waybill_no: str
) -> str:
    carrier = session.scalar(select(Carrier).where(Carrier.code == carrier_code))
    if carrier is None or not carrier.active:
        raise NotFound(N_('Unknown carrier "{code}".'), code=carrier_code)
    waybill = check_waybill(carrier, waybill_no)
    taken = session.scalar(
        select(Shipment.shipment_no).where(
            Shipment.waybill_no == waybill,
            Shipment.id != shipment.id,
            Shipment.status != ShipmentStatus.CANCELLED,
        )
    )
    if taken:
        raise Conflict(
            N_("Waybill {waybill} is already used by shipment {shipment_no}."),
            waybill=waybill,
            shipment_no=taken,
        )
    before = {"carrier": shipment.carrier_code, "waybill_no": shipment.waybill_no}
    shipment.carrier_code, shipment.waybill_no = carrier.code, waybill
    audit.record(
        session,
        ctx,
        AuditAction.SET_WAYBILL,
        "shipment",
        shipment.shipment_no,
        before=before,
        after={"carrier": carrier.code, "waybill_no": waybill},
    )
    return waybill


def _ship(session: Session, ctx: Context, shipment: Shipment) -> list[str]:
    items = _items(session, shipment.id)
    if not items:
        raise InvalidInput(N_("Scan at least one unit into the shipment."))
    if not shipment.waybill_no:
        raise InvalidInput(N_("Enter the waybill number before shipping."))
    if not shipment.receiver_name or not shipment.receiver_address:
        raise InvalidInput(N_("The waybill needs the receiver's name and address."))
    now = ctx.now()
    calendar = WorkCalendar.load(session)
    follow_up_days = settings.get(session, settings.FOLLOW_UP_WORKING_DAYS)
    numbers = []
    for item in items:
        order = load_order(session, item.order_id)
        apply_transition(
            session,
            ctx,
            order,
            Action.SHIP,
            shipped_at=now,
            detail=f"{shipment.carrier_code} {shipment.waybill_no}",
        )
        numbers.append(order.order_no)
        if order.in_warranty:
            session.add(
                FollowUp(
                    kind=FollowUpKind.AFTER_REPAIR,
                    order_id=order.id,
                    customer_id=order.customer_id,
                    due_at=calendar.end_of_working_day(now, follow_up_days),
                )
            )
    shipment.status = ShipmentStatus.SHIPPED
    shipment.shipped_at, shipment.shipped_by_id = now, ctx.user_id
    audit.record(
        session,
        ctx,
        AuditAction.SHIP,
        "shipment",
        shipment.shipment_no,
        after={"orders": numbers, "waybill_no": shipment.waybill_no},
    )
    return numbers
