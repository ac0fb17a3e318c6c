"""What a waybill and its packing list say: plain data, light to import (the shipping tab builds it
without loading reportlab; ``app.documents.waybill`` draws it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Party:
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class PackingLine:
    order_no: str
    model: str
    serial: str
    result: str  # 已修复 / 未修退回
    accessories: str


@dataclass(frozen=True)
class WaybillData:
    shipment_no: str
    carrier: str
    waybill_no: str
    sender: Party
    receiver: Party
    pieces: int
    weight_grams: int | None
    declared_value: str
    contents: str
    shipped_at: datetime | None
    lines: list[PackingLine] = field(default_factory=list)


__all__ = ["PackingLine", "Party", "WaybillData"]
