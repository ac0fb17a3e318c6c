"""The Audit log page: read-only for everyone who sees the tab; filters, paged table, export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin import audit_log as audit_view
from app.admin.audit_log import AuditFilter
from app.audit_actions import action_label
from app.context import Context
from ui.admin.table_models import AuditTableModel
from ui.changes import ChangeBridge, when_seen
from ui.i18n import tr_app
from ui.ops import ListRead
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.table_view import DataTableView


def _combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setMinimumContentsLength(8)
    return combo


class AuditPanel(QWidget):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPanel")
        self.ctx = ctx
        self.user = _combo(self, "auditUser")
        self.station = _combo(self, "auditStation")
        self.action = _combo(self, "auditAction")
        self.order = QLineEdit(self)
        self.order.setObjectName("auditOrder")
        self.order.setPlaceholderText(self.tr("Repair order number"))
        today = QDate.currentDate()
        self.use_from = QCheckBox(self.tr("From"), self)
        self.date_from = QDateEdit(today.addDays(-7), self)
        self.use_to = QCheckBox(self.tr("To"), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.apply_button = QPushButton(self.tr("Filter"), self)
        self.apply_button.setObjectName("auditFilterButton")
        self.export_button = QPushButton(self.tr("Export Excel…"), self)
        self.export_button.setObjectName("auditExportButton")
        self.model = AuditTableModel(ctx, self)
        self.view = DataTableView(self.model, "auditTable", self)
        self.message = MessageLine(self)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("User"), self), 0, 0)
        grid.addWidget(self.user, 0, 1)
        grid.addWidget(QLabel(self.tr("Station"), self), 0, 2)
        grid.addWidget(self.station, 0, 3)
        grid.addWidget(QLabel(self.tr("Action"), self), 1, 0)
        grid.addWidget(self.action, 1, 1)
        grid.addWidget(QLabel(self.tr("Order"), self), 1, 2)
        grid.addWidget(self.order, 1, 3)
        dates = QHBoxLayout()
        for widget in (self.use_from, self.date_from, self.use_to, self.date_to):
            dates.addWidget(widget)
        dates.addStretch(1)
        dates.addWidget(self.apply_button)
        dates.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(dates)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.apply_button.clicked.connect(self.apply_filter)
        self.order.returnPressed.connect(self.apply_filter)
        self.export_button.clicked.connect(self.choose_export)
        when_seen(self, changes, self.model.refresh_if_changed)
        self._count_asked = False
        self.model.loading_changed.connect(self._show_count)
        self.load_choices()

    def load_choices(self) -> None:
        """Fill the filters' choices, read on the read worker (they walk the whole log)."""
        ctx = self.ctx  # the work holds plain data, never this widget
        ListRead(self, lambda: audit_view.choices(ctx)).success(
            self._show_choices
        ).run_in_background()

    def _show_choices(self, choices: tuple[Sequence[str], Sequence[str], Sequence[str]]) -> None:
        users, stations, actions = choices
        for combo, items in ((self.user, users), (self.station, stations)):
            current = combo.currentText()
            combo.clear()
            combo.addItems(["", *items])
            combo.setCurrentText(current)
        current = self.action.currentText()
        self.action.clear()
        self.action.addItem("", "")
        for action in actions:  # shown by label, filtered by the stored value
            self.action.addItem(tr_app(action_label(action)), action)
        self.action.setCurrentText(current)

    def _action_filter(self) -> str:
        """The chosen action's stored value, or what was typed (a part of a value)."""
        text = self.action.currentText()
        index = self.action.findText(text)
        value = self.action.itemData(index) if index > 0 else None
        return value or text

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            username=self.user.currentText(),
            station=self.station.currentText(),
            order_no=self.order.text(),
            action=self._action_filter(),
            date_from=self.date_from.date().toPython() if self.use_from.isChecked() else None,
            date_to=self.date_to.date().toPython() if self.use_to.isChecked() else None,
        )

    def apply_filter(self) -> None:
        self._count_asked = True
        self.model.set_filter(self.current_filter())

    def _show_count(self, loading: bool) -> None:
        """The entries found, once the filtered list is read."""
        if not loading and self._count_asked:
            self._count_asked = False
            self.message.show_message(
                Outcome.OK, self.tr("{count} entries.").format(count=self.model.total)
            )

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Excel"), "audit.xlsx", self.tr("Excel workbooks (*.xlsx)")
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        try:
            count = audit_view.export(self.ctx, self.current_filter(), path)
        except OSError as error:
            self.message.show_message(Outcome.ERROR, str(error))
            return
        self.message.show_message(
            Outcome.OK,
            self.tr("{count} rows written to {file}.").format(count=count, file=path.name),
        )
