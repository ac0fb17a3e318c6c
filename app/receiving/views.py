"""Receiving read side: the receiving register (收货登记表) the Excel ledger streams."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.db import stream
from app.models import Customer, InboundBox, ProductModel, RepairOrder, Unit, User

_clerk = aliased(User)


def receiving_ledger_rows(
    session: Session, start: datetime, end: datetime
) -> Iterator[Sequence[Any]]:
    """Every unit received in [start, end), in receiving order (the Excel ledger; its caller
    checks VIEW_LEDGERS)."""
    query = (
        select(
            RepairOrder.order_no,
            RepairOrder.received_at,
            InboundBox.waybill_no,
            Customer.name,
            ProductModel.name,
            RepairOrder.capacity,
            RepairOrder.colour,
            Unit.serial,
            RepairOrder.fault_description,
            RepairOrder.accessories,
            RepairOrder.appearance,
            RepairOrder.in_warranty,
            RepairOrder.warranty_until,
            RepairOrder.is_repeat,
            RepairOrder.is_rework,
            _clerk.display_name,
        )
        .select_from(RepairOrder)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(Customer, Customer.id == RepairOrder.customer_id)
        .outerjoin(InboundBox, InboundBox.id == RepairOrder.box_id)
        .join(_clerk, _clerk.id == RepairOrder.received_by_id)
        .where(RepairOrder.received_at >= start, RepairOrder.received_at < end)
        .order_by(RepairOrder.received_at, RepairOrder.id)
    )
    return stream(session, query)
