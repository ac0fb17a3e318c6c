"""A table model over a query that grows: it holds the rows loaded so far and asks the core for
the next page as the view scrolls (``canFetchMore``/``fetchMore``). Sorting is done by SQL.

Subclasses give the columns and two queries, ``count()`` and ``page(offset, limit, sort_key,
descending)``; they may colour cells through ``cell_role()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

PAGE_SIZE = 200
COLUMNS_CONTEXT = "Columns"

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """``header`` is English source text marked ``QT_TRANSLATE_NOOP("Columns", ...)``."""

    header: str
    display: Callable[[Any], str]
    sort_key: str | None = None
    align_right: bool = False


class PagedTableModel(QAbstractTableModel):
    columns: Sequence[Column] = ()
    # Tables whose changes make this model reload (names from the change broadcast).
    tables: frozenset[str] = frozenset()

    def __init__(
        self, *, sort_key: str, descending: bool, parent: Any = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._total = 0
        self._page_size = page_size
        self._sort_key = sort_key
        self._descending = descending

    # The queries; subclasses call the core here.
    def count(self) -> int:
        raise NotImplementedError

    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[Any]:
        raise NotImplementedError

    def cell_role(self, row: Any, column: Column, role: int) -> Any:
        """Colours, tooltips... for one cell; None for the default."""
        return None

    # Loading
    def refresh(self) -> None:
        """Reload from the database, keeping as many rows as were loaded (scroll position)."""
        keep = max(len(self._rows), self._page_size)
        self.beginResetModel()
        self._total = self.count()
        self._rows = list(self.page(0, min(keep, self._total), self._sort_key, self._descending))
        self._total = max(self._total, len(self._rows))
        self.endResetModel()

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & self.tables:
            self.refresh()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        offset = len(self._rows)
        limit = min(self._page_size, self._total - offset)
        if limit <= 0:
            return
        more = list(self.page(offset, limit, self._sort_key, self._descending))
        if not more:
            self._total = offset  # rows were deleted meanwhile: stop asking
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # Reading
    @property
    def total(self) -> int:
        return self._total

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return self.cell_role(row, column, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return QCoreApplication.translate(COLUMNS_CONTEXT, self.columns[section].header)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Sorting (by SQL)
    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sort_key is not None

    def sort_column(self) -> int:
        for number, column in enumerate(self.columns):
            if column.sort_key == self._sort_key:
                return number
        return -1

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return
        sort_key = self.columns[column].sort_key
        assert sort_key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort_key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = sort_key, descending
        self.refresh()
