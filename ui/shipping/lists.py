"""The lists of the packing table: ready to ship by customer, the open shipment's packing list,
and today's shipping ledger (发货台账). Small lists, held whole; they reload on changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.context import Context
from app.localtime import center_zone
from app.shipping.views import packing_lines, ready_to_ship, shipping_ledger
from ui.i18n import format_time
from ui.models.lists import ListTableModel
from ui.models.paged import Column

SHIPPING_TABLES = frozenset({"repair_orders", "shipments", "shipment_items"})

READY_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda g: g.customer_name),
    Column(QT_TRANSLATE_NOOP("Columns", "Units"), lambda g: str(g.order_count), align_right=True),
    Column(QT_TRANSLATE_NOOP("Columns", "Phone"), lambda g: g.phone or ""),
    Column(
        QT_TRANSLATE_NOOP("Columns", "QC passed since"), lambda g: format_time(g.oldest_passed_at)
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Address"), lambda g: g.address or ""),
)

PACKING_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda line: line.order_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda line: line.model),
    Column(QT_TRANSLATE_NOOP("Columns", "Serial / IMEI"), lambda line: line.serial),
    Column(QT_TRANSLATE_NOOP("Columns", "Result"), lambda line: line.result),
    Column(QT_TRANSLATE_NOOP("Columns", "Accessories to put back"), lambda line: line.accessories),
)

LEDGER_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Shipped"), lambda row: format_time(row.shipped_at)),
    Column(QT_TRANSLATE_NOOP("Columns", "Shipment no."), lambda row: row.shipment_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Carrier"), lambda row: row.carrier or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Waybill no."), lambda row: row.waybill_no or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Receiver"), lambda row: row.receiver),
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda row: row.order_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda row: row.model),
    Column(QT_TRANSLATE_NOOP("Columns", "Serial / IMEI"), lambda row: row.serial),
)


def ready_model(ctx: Context) -> ListTableModel:
    return ListTableModel(READY_COLUMNS, lambda: ready_to_ship(ctx), tables=SHIPPING_TABLES)


def packing_model(ctx: Context, current: Callable[[], int | None]) -> ListTableModel:
    """The packing list of the shipment ``current()`` names (empty when none is open)."""

    def load(shipment_id: int | None) -> list[object]:  # in the read worker: plain data only
        return [] if shipment_id is None else list(packing_lines(ctx, shipment_id))

    return ListTableModel(PACKING_COLUMNS, load, tables=SHIPPING_TABLES, args=lambda: (current(),))


def today_ledger_model(ctx: Context, now: Callable[[], datetime]) -> ListTableModel:
    """Units shipped today (the center's day), in shipping order."""

    def load() -> list[object]:
        local = now().astimezone(center_zone())
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return list(shipping_ledger(ctx, start, start + timedelta(days=1)))

    return ListTableModel(LEDGER_COLUMNS, load, tables=frozenset({"shipments"}))
