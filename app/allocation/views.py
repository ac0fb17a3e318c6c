"""Allocation read side: the out-book (派工出库本), one row per allocation, for the Excel ledger."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.db import stream
from app.models import Allocation, ProductModel, RepairOrder, Unit, User

_technician, _previous, _by = aliased(User), aliased(User), aliased(User)


def out_book_ledger_rows(
    session: Session, start: datetime, end: datetime
) -> Iterator[Sequence[Any]]:
    """Every allocation (and re-allocation) in [start, end), in time order (the Excel ledger;
    its caller checks VIEW_LEDGERS)."""
    query = (
        select(
            Allocation.at,
            RepairOrder.order_no,
            ProductModel.name,
            _technician.display_name,
            _previous.display_name,
            Allocation.reason,
            _by.display_name,
            Allocation.station,
        )
        .join(RepairOrder, RepairOrder.id == Allocation.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(_technician, _technician.id == Allocation.technician_id)
        .outerjoin(_previous, _previous.id == Allocation.previous_technician_id)
        .join(_by, _by.id == Allocation.by_id)
        .where(Allocation.at >= start, Allocation.at < end)
        .order_by(Allocation.at, Allocation.id)
    )
    return stream(session, query)
