"""Shipping read side: what is ready to go (by customer), a shipment's packing list and
waybill PDF, and the shipping ledger (发货台账). Each read takes a Context and needs SHIP; the
Excel ledger's rows (``shipping_ledger_rows``) are checked by ``export_ledgers``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app import settings
from app.context import Context
from app.db import stream
from app.documents.waybill_data import PackingLine, Party, WaybillData
from app.errors import N_, DomainError, NotFound
from app.localtime import load_center_zone
from app.models import (
    Carrier,
    Customer,
    ProductModel,
    RepairOrder,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Unit,
)
from app.money import format_yuan
from app.permissions import Permission
from app.shipping.packing import SHIPPABLE, check_waybill


@dataclass(frozen=True)
class ReadyGroup:
    customer_id: int
    customer_name: str
    phone: str | None
    address: str | None
    order_count: int
    oldest_passed_at: datetime | None


@dataclass(frozen=True)
class OpenShipment:
    id: int
    shipment_no: str
    customer_name: str
    unit_count: int
    created_at: datetime


@dataclass(frozen=True)
class ShipmentView:
    """A shipment as the packing table shows it: who it goes to and its waybill so far."""

    id: int
    shipment_no: str
    status: ShipmentStatus
    customer_id: int
    customer_name: str
    receiver_name: str
    receiver_phone: str | None
    receiver_address: str
    carrier_code: str | None
    waybill_no: str | None
    weight_grams: int | None
    declared_value_cents: int | None
    pieces: int
    unit_count: int
    version: int  # of the waybill details: sent back with their save


@dataclass(frozen=True)
class CarrierChoice:
    code: str
    name: str
    waybill_pattern: str | None


@dataclass(frozen=True)
class LedgerRow:
    shipped_at: datetime
    shipment_no: str
    carrier: str | None
    waybill_no: str | None
    receiver: str
    order_no: str
    model: str
    serial: str


def ready_to_ship(ctx: Context) -> Sequence[ReadyGroup]:
    """QC-passed (and return-unrepaired) orders, grouped by customer, longest waiting first.

    Grouped from the orders (the state index finds the few ready ones) before the customers are
    joined: the other way round reads every customer's orders on a database of millions.
    """
    # "+ 0": grouping by the bare column tempts SQLite to walk the customer index through every
    # order (2 s on a million); grouping by an expression makes it take the state index first.
    customer = (RepairOrder.customer_id + 0).label("customer_id")
    ready = (
        select(
            customer,
            func.count(RepairOrder.id).label("orders"),
            func.min(RepairOrder.qc_passed_at).label("oldest_passed"),
            func.min(RepairOrder.updated_at).label("waiting_since"),
        )
        .where(RepairOrder.state.in_(sorted(SHIPPABLE)))
        .group_by(customer)
        .subquery()
    )
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                Customer.id,
                Customer.name,
                Customer.phone,
                Customer.address,
                ready.c.orders,
                ready.c.oldest_passed,
            )
            .join(ready, ready.c.customer_id == Customer.id)
            .order_by(ready.c.waiting_since)
        ).all()
    return [ReadyGroup(*row) for row in rows]


def packing_lines(ctx: Context, shipment_id: int) -> list[PackingLine]:
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        rows = session.execute(
            select(RepairOrder, ProductModel.name, Unit.serial)
            .join(ShipmentItem, ShipmentItem.order_id == RepairOrder.id)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(ShipmentItem.shipment_id == shipment_id)
            .order_by(ShipmentItem.id)
        ).all()
    return [
        PackingLine(
            order.order_no,
            model,
            serial,
            "已修复" if order.qc_passed_at else "未修退回",
            "、".join(order.accessories),
        )
        for order, model, serial in rows
    ]


def open_shipments(ctx: Context) -> list[OpenShipment]:
    """Shipments still on the packing table (not shipped, not cancelled), oldest first.

    Each shipment's units counted by a look-up of its own: grouping the join made SQLite walk
    every shipment ever in id order instead of the range of those packing on (status, created_at).
    """
    ctx.require(Permission.SHIP)
    units = (
        select(func.count(ShipmentItem.id))
        .where(ShipmentItem.shipment_id == Shipment.id)
        .correlate(Shipment)
        .scalar_subquery()
    )
    with ctx.db.read() as session:
        rows = session.execute(
            select(Shipment.id, Shipment.shipment_no, Customer.name, units, Shipment.created_at)
            .join(Customer, Customer.id == Shipment.customer_id)
            .where(Shipment.status == ShipmentStatus.PACKING)
            .order_by(Shipment.created_at, Shipment.id)
        ).all()
    return [OpenShipment(*row) for row in rows]


def shipment_view(ctx: Context, shipment_id: int) -> ShipmentView:
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None:
            raise NotFound(N_("There is no such shipment."))
        customer_name = session.scalar(
            select(Customer.name).where(Customer.id == shipment.customer_id)
        )
        unit_count = session.scalar(
            select(func.count(ShipmentItem.id)).where(ShipmentItem.shipment_id == shipment_id)
        )
        return ShipmentView(
            shipment.id,
            shipment.shipment_no,
            shipment.status,
            shipment.customer_id,
            customer_name or "",
            shipment.receiver_name,
            shipment.receiver_phone,
            shipment.receiver_address,
            shipment.carrier_code,
            shipment.waybill_no,
            shipment.weight_grams,
            shipment.declared_value_cents,
            shipment.pieces,
            unit_count or 0,
            shipment.version,
        )


def shipment_version(ctx: Context, shipment_id: int) -> int:
    """The version of the shipment's waybill details now (what a form that loads it sends back)."""
    with ctx.db.read() as session:
        version = session.scalar(select(Shipment.version).where(Shipment.id == shipment_id))
    if version is None:
        raise NotFound(N_("There is no such shipment."))
    return version


def active_carriers(ctx: Context) -> list[CarrierChoice]:
    """The carriers the packing table may choose from (the configurable list), by name."""
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        rows = session.execute(
            select(Carrier.code, Carrier.name, Carrier.waybill_pattern)
            .where(Carrier.active.is_(True))
            .order_by(Carrier.id)
        ).all()
    return [CarrierChoice(*row) for row in rows]


def carrier_for_waybill(ctx: Context, scan: str, preferred: str | None = None) -> str | None:
    """The carrier whose waybill format a scanned code fits (``preferred`` first), or None."""
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        carriers = list(session.scalars(select(Carrier).where(Carrier.active.is_(True))))
        carriers.sort(key=lambda carrier: (carrier.code != preferred, carrier.id))
        for carrier in carriers:
            if not carrier.waybill_pattern:
                continue  # a carrier without a known format would claim every code
            try:
                check_waybill(carrier, scan)
            except DomainError:
                continue
            return carrier.code
    return None


def waybill_document(
    ctx: Context, shipment_id: int, *, label_only: bool = False, dpi: int = 203
) -> bytes:
    """The waybill PDF: the 100 × 150 mm label for a printer of ``dpi``, then (unless
    ``label_only``) the packing list."""
    from app.documents.waybill import waybill_label_pdf, waybill_pdf  # reportlab loads here

    data = waybill_data(ctx, shipment_id)
    return waybill_label_pdf(data, dpi) if label_only else waybill_pdf(data, dpi)


def packing_list_document(ctx: Context, shipment_id: int) -> bytes:
    """The A4 packing list alone (the document printer's, not the waybill printer's)."""
    from app.documents.packing_list import packing_list_pdf

    return packing_list_pdf(waybill_data(ctx, shipment_id))


def waybill_data(ctx: Context, shipment_id: int) -> WaybillData:
    lines = packing_lines(ctx, shipment_id)  # checks SHIP
    with ctx.db.read() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None:
            raise NotFound(N_("There is no such shipment."))
        load_center_zone(session)
        carrier = session.scalar(select(Carrier.name).where(Carrier.code == shipment.carrier_code))
        sender = Party(
            settings.get(session, settings.CENTER_NAME),
            settings.get(session, settings.CENTER_PHONE),
            settings.get(session, settings.CENTER_ADDRESS),
        )
    return WaybillData(
        shipment_no=shipment.shipment_no,
        carrier=carrier or shipment.carrier_code or "-",
        waybill_no=shipment.waybill_no or shipment.shipment_no,
        sender=sender,
        receiver=Party(
            shipment.receiver_name, shipment.receiver_phone or "", shipment.receiver_address
        ),
        pieces=shipment.pieces,
        weight_grams=shipment.weight_grams,
        declared_value=format_yuan(shipment.declared_value_cents)
        if shipment.declared_value_cents
        else "-",
        contents=f"维修机 {len(lines)} 台",
        shipped_at=shipment.shipped_at,
        lines=lines,
    )


def shipped_units(start: datetime, end: datetime) -> Select:
    """The shipping ledger's query: one row per unit shipped in [start, end), in shipping order
    (shipped at, shipment, carrier, waybill, receiver name / phone / address, order, model,
    serial). The tab's ledger and the Excel ledger both read it."""
    return (
        select(
            Shipment.shipped_at,
            Shipment.shipment_no,
            Shipment.carrier_code,
            Shipment.waybill_no,
            Shipment.receiver_name,
            Shipment.receiver_phone,
            Shipment.receiver_address,
            RepairOrder.order_no,
            ProductModel.name,
            Unit.serial,
        )
        .join(ShipmentItem, ShipmentItem.shipment_id == Shipment.id)
        .join(RepairOrder, RepairOrder.id == ShipmentItem.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(
            Shipment.status == ShipmentStatus.SHIPPED,
            Shipment.shipped_at >= start,
            Shipment.shipped_at < end,
        )
        .order_by(Shipment.shipped_at, ShipmentItem.id)
    )


def shipping_ledger_rows(
    session: Session, start: datetime, end: datetime
) -> Iterator[Sequence[Any]]:
    """The Excel shipping ledger's rows (its caller checks VIEW_LEDGERS)."""
    return stream(session, shipped_units(start, end))


def shipping_ledger(ctx: Context, start: datetime, end: datetime) -> Sequence[LedgerRow]:
    """One row per unit shipped in [start, end), in shipping order."""
    ctx.require(Permission.SHIP)
    with ctx.db.read() as session:
        rows = session.execute(shipped_units(start, end)).all()
    return [
        LedgerRow(shipped, shipment, carrier, waybill, receiver, order_no, model, serial)
        for shipped, shipment, carrier, waybill, receiver, _phone, _address, order_no, model, serial in rows
    ]
