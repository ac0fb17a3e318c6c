"""Parts stock as a table: on hand against safety stock; a part at or below it is highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from app.context import Context
from app.parts.views import PartStockRow, count_parts, part_stock_page
from ui.models.paged import Column, PagedTableModel

BELOW_SAFETY_BACKGROUND = QColor("#f8d0d0")
DARK_TEXT = QColor("#1a1a1a")

PART_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Part no."), lambda r: r.part_no, "part_no"),
    Column(QT_TRANSLATE_NOOP("Columns", "Part name"), lambda r: r.name, "name"),
    Column(QT_TRANSLATE_NOOP("Columns", "Bin"), lambda r: r.bin_location or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "On hand"), lambda r: str(r.on_hand), "on_hand", True),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Safety stock"),
        lambda r: str(r.safety_stock),
        "safety_stock",
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Shortfall"),
        lambda r: str(max(r.safety_stock - r.on_hand, 0)) if r.below_safety_stock else "",
        "shortfall",
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Defective"), lambda r: str(r.defective_on_hand), None, True
    ),
)
_HIGHLIGHTED = {PART_COLUMNS[3], PART_COLUMNS[5]}


def at_or_below_safety_stock(row: PartStockRow) -> bool:
    """The floor's warning: a part with a safety stock and no more than it on hand."""
    return row.safety_stock > 0 and row.on_hand <= row.safety_stock


@dataclass(frozen=True)
class StockPages:
    """Every part's stock: read in the read worker (plain data, no Qt object)."""

    ctx: Context

    def count(self) -> int:
        return count_parts(self.ctx)

    def page(
        self, offset: int, limit: int, sort_key: str, descending: bool
    ) -> Sequence[PartStockRow]:
        if limit <= 0:
            return []
        return part_stock_page(
            self.ctx, offset=offset, limit=limit, sort_key=sort_key, descending=descending
        )


class PartStockModel(PagedTableModel):
    columns = PART_COLUMNS
    tables = frozenset({"parts", "stock_moves"})

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(sort_key="shortfall", descending=False, parent=parent)
        self._ctx = ctx
        self.refresh()

    def reader(self) -> StockPages:
        return StockPages(self._ctx)

    def cell_role(self, row: PartStockRow, column: Column, role: int) -> Any:
        if not at_or_below_safety_stock(row) or column not in _HIGHLIGHTED:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(BELOW_SAFETY_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(DARK_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("PartStockModel", "At or below safety stock: reorder")
        return None
