"""Shipping read side: what is ready to go (by customer), a shipment's packing list and
waybill PDF, and the shipping ledger (发货台账)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app import settings
from app.context import Context
from app.db import Database
from app.documents.waybill import PackingLine, Party, WaybillData, waybill_pdf
from app.errors import N_, NotFound
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
from app.shipping import SHIPPABLE


@dataclass(frozen=True)
class ReadyGroup:
    customer_id: int
    customer_name: str
    phone: str | None
    address: str | None
    order_count: int
    oldest_passed_at: datetime | None


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


def ready_to_ship(db: Database) -> Sequence[ReadyGroup]:
    """QC-passed (and return-unrepaired) orders, grouped by customer, longest waiting first."""
    with db.read() as session:
        rows = session.execute(
            select(
                Customer.id,
                Customer.name,
                Customer.phone,
                Customer.address,
                func.count(RepairOrder.id),
                func.min(RepairOrder.qc_passed_at),
            )
            .join(RepairOrder, RepairOrder.customer_id == Customer.id)
            .where(RepairOrder.state.in_(sorted(SHIPPABLE)))
            .group_by(Customer.id, Customer.name, Customer.phone, Customer.address)
            .order_by(func.min(RepairOrder.updated_at))
        ).all()
    return [ReadyGroup(*row) for row in rows]


def packing_lines(db: Database, shipment_id: int) -> list[PackingLine]:
    with db.read() as session:
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


def waybill_document(ctx: Context, shipment_id: int) -> bytes:
    lines = packing_lines(ctx.db, shipment_id)
    with ctx.db.read() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None:
            raise NotFound(N_("There is no such shipment."))
        carrier = session.scalar(select(Carrier.name).where(Carrier.code == shipment.carrier_code))
        sender = Party(
            settings.get(session, settings.CENTER_NAME),
            settings.get(session, settings.CENTER_PHONE),
            settings.get(session, settings.CENTER_ADDRESS),
        )
    data = WaybillData(
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
    return waybill_pdf(data)


def shipping_ledger(db: Database, start: datetime, end: datetime) -> Sequence[LedgerRow]:
    """One row per unit shipped in [start, end), in shipping order."""
    with db.read() as session:
        rows = session.execute(
            select(
                Shipment.shipped_at,
                Shipment.shipment_no,
                Shipment.carrier_code,
                Shipment.waybill_no,
                Shipment.receiver_name,
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
        ).all()
    return [LedgerRow(*row) for row in rows]
