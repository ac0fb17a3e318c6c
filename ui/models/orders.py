"""Repair orders as a table: pages from :func:`app.orders.listing.order_page`, sorted and filtered by SQL.

The due time is coloured for the open orders by :func:`app.orders.due.due_status`: red past
due, amber due soon, green otherwise; the rule's label in the tooltip says the same for those
who cannot tell the colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from app.clock import Clock
from app.context import Context
from app.orders.due import DUE_LABELS, Due, due_status
from app.orders.listing import ORDER_SORT_KEYS, OrderFilter, OrderRow, count_orders, order_page
from ui.i18n import format_time, state_label, tr_app
from ui.models.paged import Column, PagedTableModel

OVERDUE_BACKGROUND = QColor("#f8d0d0")
DUE_SOON_BACKGROUND = QColor("#fde8b0")
ON_TIME_BACKGROUND = QColor("#d6f0dc")
DUE_BACKGROUNDS = {
    Due.OVERDUE: OVERDUE_BACKGROUND,
    Due.SOON: DUE_SOON_BACKGROUND,
    Due.ON_TIME: ON_TIME_BACKGROUND,
}
DARK_TEXT = QColor("#1a1a1a")


def _flags(row: OrderRow) -> str:
    marks = []
    if row.in_warranty:
        marks.append(QCoreApplication.translate("OrderTableModel", "warranty"))
    if row.is_rework:
        marks.append(
            QCoreApplication.translate("OrderTableModel", "rework ×{count}").format(
                count=max(row.rework_count, 1)
            )
        )
    elif row.is_repeat:
        marks.append(QCoreApplication.translate("OrderTableModel", "repeat repair"))
    return " · ".join(marks)


ORDER_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda r: r.order_no, "order_no"),
    Column(QT_TRANSLATE_NOOP("Columns", "State"), lambda r: state_label(r.state), "state"),
    Column(QT_TRANSLATE_NOOP("Columns", "Serial / IMEI"), lambda r: r.serial, "serial"),
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda r: r.model_name, "model_name"),
    Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name, "customer_name"),
    Column(QT_TRANSLATE_NOOP("Columns", "Technician"), lambda r: r.technician_name or ""),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Received"),
        lambda r: format_time(r.received_at),
        "received_at",
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Due"), lambda r: format_time(r.due_at), "due_at"),
    Column(QT_TRANSLATE_NOOP("Columns", "Notes"), _flags),
)
assert all(c.sort_key is None or c.sort_key in ORDER_SORT_KEYS for c in ORDER_COLUMNS)
DUE_COLUMN = ORDER_COLUMNS[7]


@dataclass(frozen=True)
class OrderPages:
    """The orders ``where`` selects: read in the read worker (plain data, no Qt object)."""

    ctx: Context
    where: OrderFilter

    def count(self) -> int:
        return count_orders(self.ctx, self.where)

    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[OrderRow]:
        if limit <= 0:
            return []
        return order_page(
            self.ctx,
            self.where,
            offset=offset,
            limit=limit,
            sort_key=sort_key,
            descending=descending,
        )


class OrderTableModel(PagedTableModel):
    columns = ORDER_COLUMNS
    tables = frozenset({"repair_orders", "units", "customers", "product_models", "users"})

    def __init__(
        self,
        ctx: Context,
        where: OrderFilter | None = None,
        *,
        clock: Clock | None = None,
        sort_key: str = "received_at",
        descending: bool = True,
        parent: Any = None,
        page_size: int | None = None,
    ) -> None:
        kwargs = {"page_size": page_size} if page_size else {}
        super().__init__(sort_key=sort_key, descending=descending, parent=parent, **kwargs)
        self._ctx = ctx
        self._clock = clock or ctx.clock  # the station's business clock: the server's time
        self._where = where or OrderFilter()
        self.refresh()

    @property
    def where(self) -> OrderFilter:
        return self._where

    def set_filter(self, where: OrderFilter) -> None:
        self._where = where
        self.refresh()

    def reader(self) -> OrderPages:
        return OrderPages(self._ctx, self._where)

    def order_at(self, row: int) -> OrderRow:
        return self.row_object(row)

    def row_of_order(self, order_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == order_id:
                return number
        return None

    def cell_role(self, row: OrderRow, column: Column, role: int) -> Any:
        if column is not DUE_COLUMN:
            return None
        due = due_status(row.due_at, row.state, self._clock.now())
        if due is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(DUE_BACKGROUNDS[due])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(DARK_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr_app(DUE_LABELS[due])
        return None
