"""A titled table on a tab: "Waiting for QC (12)" over its list; reloads itself on changes.
A list whose read (on the read worker) takes longer than a moment says so in its heading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.models.paged import PagedTableModel
from ui.widgets.table_view import DataTableView

if TYPE_CHECKING:  # not imported with every tab: the receiving tab shows before the order lists
    from app.orders.listing import OrderRow
    from ui.models.orders import OrderTableModel

LOADING_SHOWN_AFTER_MS = 300


class TableSection(QWidget):
    def __init__(
        self, title: str, model: QAbstractItemModel, object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name + "Section")
        self.title = title
        self.model = model
        model.setParent(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionHeading")
        self.heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; padding: 2px 0; }")
        self.view = DataTableView(model, object_name, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        model.modelReset.connect(self._update_heading)
        model.rowsInserted.connect(self._update_heading)
        self._slow = QTimer(self)  # a read that is not back after a moment: "loading…"
        self._slow.setSingleShot(True)
        self._slow.setInterval(LOADING_SHOWN_AFTER_MS)
        self._slow.timeout.connect(self._update_heading)
        loading_changed = getattr(model, "loading_changed", None)
        if loading_changed is not None:
            loading_changed.connect(self._loading_changed)
        self._update_heading()

    def _loading_changed(self, loading: bool) -> None:
        if loading:
            self._slow.start()
        else:
            self._slow.stop()
            self._update_heading()

    def row_total(self) -> int:
        if isinstance(self.model, PagedTableModel):
            return self.model.total
        return self.model.rowCount()

    def _update_heading(self) -> None:
        if getattr(self.model, "loading", False) and not self._slow.isActive():
            self.heading.setText(
                QCoreApplication.translate("TableSection", "{title} (loading…)").format(
                    title=self.title
                )
            )
            return
        self.heading.setText(
            QCoreApplication.translate("TableSection", "{title} ({count})").format(
                title=self.title, count=self.row_total()
            )
        )

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        refresh = getattr(self.model, "refresh_if_changed", None)
        if refresh is not None:
            refresh(tables)

    def reload(self) -> None:
        """Read the list again (after a Conflict: what the form showed was stale)."""
        refresh = getattr(self.model, "refresh", None)
        if refresh is not None:
            refresh()


class OrderSection(TableSection):
    model: OrderTableModel

    def __init__(
        self, title: str, model: OrderTableModel, object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, model, object_name, parent)
        self._wanted: int | None = None  # the order to select when the rows read come
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._select_wanted)

    def select_order(self, order_id: int) -> bool:
        """Select the order's row if this list holds it (fetching no more than what is loaded);
        while the list is being read, once its rows come (True: it will be, if they hold it)."""
        row = self.model.row_of_order(order_id)
        if row is None:
            if self.model.loading:
                self._wanted = order_id
                return True
            return False
        self._wanted = None
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _remember_selection(self) -> None:
        """A reload keeps the order selected (its rows come back from the read worker)."""
        if self._wanted is None:
            self._wanted = self.selected_order_id()

    def _select_wanted(self) -> None:
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            row = self.model.row_of_order(wanted)
            if row is not None:
                self.view.selectRow(row)

    def selected_order_id(self) -> int | None:
        selected = self.selected_order()
        return selected.id if selected else None

    def selected_order(self) -> OrderRow | None:
        """The selected row as loaded, with the version an edit of it sends back."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.order_at(rows[0].row()) if rows else None
