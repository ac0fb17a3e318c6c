"""A read-only table view for the floor lists: whole-row selection, SQL sorting, uniform rows.

Column widths come from the header and the first few rows (never from every row: the model
holds only what was fetched, and measuring everything would be slow on big lists).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.paged import PagedTableModel

ROWS_MEASURED = 20
MAX_COLUMN_WIDTH = 320
CELL_PADDING = 24


class DataTableView(QTableView):
    def __init__(
        self, model: QAbstractItemModel, object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes back to the scan field
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        if isinstance(model, PagedTableModel):
            # Show the order the SQL already uses before enabling sorting (no second query).
            header.setSortIndicator(model.sort_column(), model.sort_order())
            self.setSortingEnabled(True)
            header.sortIndicatorChanged.connect(self._keep_indicator_on_sortable_column)
        # A list that opens empty (the units of a box) is fitted when its first rows come: an
        # order number or an IMEI sized to the header alone would be cut.
        model.modelReset.connect(self._fit_if_first_rows)
        model.rowsInserted.connect(self._fit_if_first_rows)
        self._fitted = False
        self.fit_columns()

    def _keep_indicator_on_sortable_column(self, section: int, _order: Qt.SortOrder) -> None:
        model = self.model()
        if isinstance(model, PagedTableModel) and not model.is_sortable(section):
            header = self.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(model.sort_column(), model.sort_order())
            header.blockSignals(False)

    def _fit_if_first_rows(self) -> None:
        if not self._fitted:
            self.fit_columns()

    def stretch_column(self, column: int) -> None:
        """Give the width left over to ``column`` (a free text) instead of the last one, so a
        short last column (a check mark) does not take half the table."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def fit_columns(self) -> None:
        model = self.model()
        header = self.horizontalHeader()
        header_metrics = header.fontMetrics()
        cell_metrics = self.fontMetrics()
        rows = min(model.rowCount(), ROWS_MEASURED)
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = header_metrics.horizontalAdvance(title) + CELL_PADDING + 16  # sort arrow
            for row in range(rows):
                text = str(model.index(row, column).data() or "")
                width = max(width, cell_metrics.horizontalAdvance(text) + CELL_PADDING)
            if header.sectionResizeMode(column) is not QHeaderView.ResizeMode.Stretch:
                header.resizeSection(column, min(width, MAX_COLUMN_WIDTH))
        self._fitted = rows > 0
