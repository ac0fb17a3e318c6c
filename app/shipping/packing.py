"""The shipping steps, each inside the caller's transaction: open a shipment, pack a scanned
unit (checked against its repair order), set the waybill (checked against the carrier's
pattern), ship (every order shipped, follow-up calls scheduled). ``shipments`` wraps each in
one unit of work with its permission check."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, formats, numbering, settings, states, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, IllegalTransition, InvalidInput, NotFound
from app.localtime import DATE, local_text
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
)
from app.orders.store import load_order, load_scanned_order
from app.orders.transitions import apply_transition
from app.states import Action
from app.workcal import WorkCalendar

SHIPPABLE = frozenset({RepairState.QC_PASSED, RepairState.RETURN_UNREPAIRED})


@dataclass(frozen=True)
class PackedUnit:
    order_no: str
    serial: str
    accessories: list[str]  # received at intake: they go back with the unit


def shipment_row(session: Session, shipment_id: int, *, lock: bool = True) -> Shipment:
    query = select(Shipment).where(Shipment.id == shipment_id)
    shipment = session.scalar(query.with_for_update() if lock else query)
    if shipment is None:
        raise NotFound(N_("There is no such shipment."))
    return shipment


def packing_shipment(session: Session, shipment_id: int) -> Shipment:
    shipment = shipment_row(session, shipment_id)
    if shipment.status is not ShipmentStatus.PACKING:
        raise Conflict(
            N_("Shipment {shipment_no} has already left or was cancelled."),
            shipment_no=shipment.shipment_no,
        )
    return shipment


def packed_items(session: Session, shipment_id: int) -> list[ShipmentItem]:
    return list(
        session.scalars(
            select(ShipmentItem)
            .where(ShipmentItem.shipment_id == shipment_id)
            .order_by(ShipmentItem.id)
        )
    )


def create(
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
        receiver_name=values.clean_text(receiver_name or customer.name, max_length=128),
        receiver_phone=values.optional_text(receiver_phone or customer.phone, max_length=32),
        receiver_address=values.clean_text(
            receiver_address or customer.address, max_length=512, multiline=True
        ),
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


def add(
    session: Session,
    ctx: Context,
    shipment: Shipment,
    scan: str,
    order: RepairOrder | None = None,
) -> PackedUnit:
    """Pack the unit ``scan`` names (``order``: already loaded and locked for that scan)."""
    if order is None:
        order = load_scanned_order(session, formats.clean_scan(scan), by_serial=True)
    if order.state is RepairState.SHIPPED:
        shipped = local_text(order.shipped_at, DATE, "?")
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
    waybill = formats.clean_scan(waybill_no)
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


def set_waybill(
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


def ship(session: Session, ctx: Context, shipment: Shipment) -> list[str]:
    items = packed_items(session, shipment.id)
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
