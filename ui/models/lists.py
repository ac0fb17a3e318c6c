"""Small tables held whole in memory (users, counts per state): a few dozen rows at most."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from ui.models.paged import COLUMNS_CONTEXT, Column, Index


class ListTableModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Column],
        load: Callable[[], Sequence[Any]],
        *,
        tables: frozenset[str] = frozenset(),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.tables = tables
        self._load = load
        self._rows: list[Any] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = list(self._load())
        self.endResetModel()

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & self.tables:
            self.refresh()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

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
