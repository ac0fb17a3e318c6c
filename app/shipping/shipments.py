"""Shipping (发货): only QC-passed units (or units returned unrepaired) leave the building.

A shipment is packed unit by unit (each scan checked against its repair order), gets a waybill,
and ships in one transaction that marks every order shipped, writes the shipping ledger (the
shipment rows) and schedules the follow-up calls (回访) for repairs done in warranty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app import audit, formats, money, values, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, InvalidInput, NotFound
from app.models import (
    RepairOrder,
    ShipmentItem,
    ShipmentStatus,
)
from app.orders.store import find_order_id, load_scanned_order
from app.permissions import Permission
from app.shipping import packing
from app.shipping.packing import PackedUnit


@dataclass(frozen=True)
class StartedShipment:
    shipment_id: int
    shipment_no: str
    unit: PackedUnit


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
        return packing.create(
            session, ctx, customer_id, receiver_name, receiver_phone, receiver_address
        ).id


def start_shipment(ctx: Context, scan: str) -> StartedShipment:
    """The first scan at an empty packing table: a shipment for that unit's customer, with the
    unit in it. One transaction: a refused unit leaves no empty shipment behind."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        # The order (with its customer) read once, for the shipment and for the packing.
        order = load_scanned_order(session, formats.clean_scan(scan), by_serial=True)
        shipment = packing.create(session, ctx, order.customer_id, None, None, None)
        unit = packing.add(session, ctx, shipment, scan, order)
        return StartedShipment(shipment.id, shipment.shipment_no, unit)


def add_unit(ctx: Context, shipment_id: int, scan: str) -> PackedUnit:
    """Pack one unit (its label scanned); refused with the reason when it may not go."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        return packing.add(session, ctx, packing.packing_shipment(session, shipment_id), scan)


def remove_unit(ctx: Context, shipment_id: int, order_no: str) -> None:
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        shipment = packing.packing_shipment(session, shipment_id)
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


# A parcel the floor ships: at most this many pieces and this weight (a pallet of boxes).
MAX_PIECES = 1_000
MAX_WEIGHT_GRAMS = 1_000_000


def _receiver_text(text: str | None, max_length: int) -> str | None:
    return None if text is None else values.clean_text(text, max_length=max_length)


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
    expected_version: int,
) -> str:
    """The waybill details of a shipment being packed, saved over the version the packing table
    loaded (``ShipmentView.version``; each save adds one)."""
    ctx.require(Permission.SHIP)
    values.bounded_int(pieces, high=MAX_PIECES)
    if weight_grams is not None:
        values.bounded_int(weight_grams, high=MAX_WEIGHT_GRAMS)
    declared_value_cents = money.check_cents(declared_value_cents)
    receiver_name = _receiver_text(receiver_name, 128)
    receiver_phone = _receiver_text(receiver_phone, 32)
    receiver_address = _receiver_text(receiver_address, 512)
    with ctx.db.transaction() as session:
        shipment = packing.packing_shipment(session, shipment_id)
        versions.check(
            session,
            shipment.version,
            expected_version,
            shipment.shipment_no,
            entity="shipment",
            entity_id=shipment.shipment_no,
        )
        shipment.version += 1
        for field, value in (
            ("receiver_name", receiver_name),
            ("receiver_phone", receiver_phone),
            ("receiver_address", receiver_address),
        ):
            if value is not None:
                setattr(shipment, field, value)
        shipment.weight_grams, shipment.declared_value_cents = weight_grams, declared_value_cents
        shipment.pieces = pieces
        return packing.set_waybill(session, ctx, shipment, carrier_code, waybill_no)


def ship(ctx: Context, shipment_id: int) -> list[str]:
    """Every packed order becomes shipped, in one transaction; follow-up calls are scheduled."""
    ctx.require(Permission.SHIP)
    with ctx.db.transaction() as session:
        return packing.ship(session, ctx, packing.packing_shipment(session, shipment_id))


def cancel_shipment(ctx: Context, shipment_id: int, reason: str) -> None:
    """Unpack a shipment that has not left; its units are ready to ship again."""
    ctx.require(Permission.SHIP)
    reason = values.clean_text(
        reason, max_length=255, required=N_("Give a reason for cancelling the shipment.")
    )
    with ctx.db.transaction() as session:
        shipment = packing.packing_shipment(session, shipment_id)
        shipment.status = ShipmentStatus.CANCELLED
        shipment.cancel_reason = reason
        audit.record(
            session,
            ctx,
            AuditAction.CANCEL_SHIPMENT,
            "shipment",
            shipment.shipment_no,
            detail=reason,
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
        shipment = packing.create(
            session, ctx, rows[0][1], receiver_name, receiver_phone, receiver_address
        )
        for order_no, _ in rows:
            packing.add(session, ctx, shipment, order_no)
        packing.set_waybill(session, ctx, shipment, carrier_code, waybill_no)
        packing.ship(session, ctx, shipment)
        return shipment.shipment_no
