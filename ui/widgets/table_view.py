"""A read-only table view for the floor lists: whole-row selection, SQL sorting, uniform rows.

Column widths come from the header and the first few rows (never from every row: the model
holds only what was fetched, and measuring everything would be slow on big lists); a list whose
first rows come while it is out of sight (a page behind another) is measured when first shown.

A list keeps its selection colours when its window is not the active one (a dialog opened over it,
the QC sign-off at every scan): Qt's item views repaint every visible cell on each activation
change, to draw the selection in the inactive colours; with the same colours in both, nothing
would change, and the repaint is skipped (``SteadyOnActivation``).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QTableView,
    QWidget,
)

from ui.models.paged import PagedTableModel

ROWS_MEASURED = 20
MAX_COLUMN_WIDTH = 320
CELL_PADDING = 24


_ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)
_SELECTION_ROLES = (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText)


def same_colours_when_inactive(view: QAbstractItemView) -> None:
    """The selection drawn in its active colours whatever window is active."""
    palette = view.palette()
    for role in _SELECTION_ROLES:
        palette.setBrush(
            QPalette.ColorGroup.Inactive, role, palette.brush(QPalette.ColorGroup.Active, role)
        )
    view.setPalette(palette)


def steady_on_activation(view: QAbstractItemView, event: QEvent) -> bool:
    """The window's activation changed and the view would look the same in both states: its
    full repaint (``QAbstractItemView::viewportEvent``) is skipped."""
    return event.type() in _ACTIVATION and view.palette().isEqual(
        QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive
    )


class DataHeaderView(QHeaderView):
    """The lists' header: not repainted when the window's activation changes (see above)."""

    def viewportEvent(self, event: QEvent) -> bool:
        if steady_on_activation(self, event):
            return QAbstractScrollArea.viewportEvent(self, event)
        return super().viewportEvent(event)


class DataTableView(QTableView):
    def __init__(
        self, model: QAbstractItemModel, object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        header = DataHeaderView(Qt.Orientation.Horizontal, self)
        header.setSectionsClickable(True)  # (as QTableView's own header)
        self.setHorizontalHeader(header)
        same_colours_when_inactive(self)
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
        self._fit_when_shown = False  # its first rows came while it was out of sight
        self.fit_columns()

    def viewportEvent(self, event: QEvent) -> bool:
        if steady_on_activation(self, event):
            return QAbstractScrollArea.viewportEvent(self, event)
        return super().viewportEvent(event)

    def _keep_indicator_on_sortable_column(self, section: int, _order: Qt.SortOrder) -> None:
        model = self.model()
        if isinstance(model, PagedTableModel) and not model.is_sortable(section):
            header = self.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(model.sort_column(), model.sort_order())
            header.blockSignals(False)

    def _fit_if_first_rows(self) -> None:
        if self._fitted:
            return
        if not self.isVisible():  # a list on a page not in sight: fitted when first shown
            self._fit_when_shown = True
            return
        self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_when_shown:
            self._fit_when_shown = False
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
