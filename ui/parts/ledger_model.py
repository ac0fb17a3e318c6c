"""The parts ledger (进销存台账) as a paged table: newest move first, in / out / balance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor

from app.context import Context
from app.models import MoveKind, StockKind
from app.parts.views import LedgerFilter, LedgerRow, count_moves, ledger_page
from app.vocabulary import label
from ui.i18n import format_time, tr_app
from ui.models.paged import Column, PagedTableModel

OUT_COLOUR = QColor("#8a1c1c")
IN_COLOUR = QColor("#0b5d1e")


def kind_label(kind: MoveKind) -> str:
    return tr_app(label(kind))


def stock_label(stock: StockKind) -> str:
    return tr_app(label(stock))


def _signed(quantity: int) -> str:
    return f"+{quantity}" if quantity > 0 else str(quantity)


LEDGER_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Time"), lambda r: format_time(r.at), "at"),
    Column(QT_TRANSLATE_NOOP("Columns", "Part no."), lambda r: r.part_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Part name"), lambda r: r.part_name),
    Column(QT_TRANSLATE_NOOP("Columns", "Move"), lambda r: kind_label(r.kind)),
    Column(QT_TRANSLATE_NOOP("Columns", "Stock"), lambda r: stock_label(r.stock)),
    Column(QT_TRANSLATE_NOOP("Columns", "In / out"), lambda r: _signed(r.quantity), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Balance"), lambda r: str(r.balance_after), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda r: r.order_no or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Received by"), lambda r: r.technician or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Document"), lambda r: r.document_no or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Reason"), lambda r: r.reason or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "By"), lambda r: r.by),
)
_QUANTITY = LEDGER_COLUMNS[5]


@dataclass(frozen=True)
class LedgerPages:
    """The moves ``where`` selects: read in the read worker (plain data, no Qt object)."""

    ctx: Context
    where: LedgerFilter

    def count(self) -> int:
        return count_moves(self.ctx, self.where)

    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[LedgerRow]:
        if limit <= 0:
            return []
        return ledger_page(self.ctx, self.where, offset=offset, limit=limit, descending=descending)


class PartsLedgerModel(PagedTableModel):
    """Moves newest first; ``where`` narrows to one part, one order or one ledger."""

    columns = LEDGER_COLUMNS
    tables = frozenset({"stock_moves"})

    def __init__(self, ctx: Context, where: LedgerFilter | None = None, parent: Any = None) -> None:
        super().__init__(sort_key="at", descending=True, parent=parent)
        self._ctx = ctx
        self._where = where or LedgerFilter()
        self.refresh()

    def set_filter(self, where: LedgerFilter) -> None:
        if where != self._where:
            self._where = where
            self.refresh()

    def reader(self) -> LedgerPages:
        return LedgerPages(self._ctx, self._where)

    def cell_role(self, row: LedgerRow, column: Column, role: int) -> Any:
        if column is _QUANTITY and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(IN_COLOUR if row.quantity > 0 else OUT_COLOUR)
        return None


PURCHASE_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Part no."), lambda r: r.part_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Part name"), lambda r: r.name),
    Column(QT_TRANSLATE_NOOP("Columns", "On hand"), lambda r: str(r.on_hand), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "To order"), lambda r: str(r.quantity), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Orders waiting"), lambda r: ", ".join(r.orders_waiting)),
    Column(QT_TRANSLATE_NOOP("Columns", "Requested"), lambda r: format_time(r.created_at)),
)
