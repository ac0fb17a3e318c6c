"""The Catalogues page: pick a catalogue, search it, add / edit / deactivate a row, import an
Excel file (after a preview of what it will change) or export the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin import catalogs
from app.admin.catalogs import ALL_CATALOGS, Catalog, CatalogRow
from app.context import Context
from app.errors import Conflict, DomainError
from ui.admin.calendar_fill import CalendarFillBar
from ui.admin.catalog_row_dialog import RowDialog
from ui.admin.table_models import CatalogTableModel
from ui.changes import ChangeBridge, when_seen
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.floor_action import run_floor_action
from ui.widgets.import_report import ImportReportDialog, import_outcome
from ui.widgets.table_view import DataTableView


class CataloguesPanel(QWidget):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cataloguesPanel")
        self.ctx = ctx
        self.dialog: QDialog | None = None
        self.picker = QComboBox(self)
        self.picker.setObjectName("cataloguePicker")
        for catalog in ALL_CATALOGS:
            self.picker.addItem(tr_app(catalog.title), catalog.name)
        self.search = QLineEdit(self)
        self.search.setObjectName("catalogueSearch")
        self.search.setPlaceholderText(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.model = CatalogTableModel(ctx, ALL_CATALOGS[0], self)
        self.view = DataTableView(self.model, "catalogueTable", self)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.add_button = QPushButton(self.tr("Add"), self)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.active_button = QPushButton(self.tr("Deactivate / activate"), self)
        self.import_button = QPushButton(self.tr("Import Excel…"), self)
        self.export_button = QPushButton(self.tr("Export Excel…"), self)
        for name, button in (
            ("addRowButton", self.add_button),
            ("editRowButton", self.edit_button),
            ("toggleActiveButton", self.active_button),
            ("importButton", self.import_button),
            ("exportButton", self.export_button),
        ):
            button.setObjectName(name)
        self.message = MessageLine(self)
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.active_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.calendar_fill = CalendarFillBar(ctx, self.message.show_message, self)
        layout.addWidget(self.calendar_fill)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.picker.currentIndexChanged.connect(self._pick)
        self.search.textChanged.connect(self.model.set_search)
        self.add_button.clicked.connect(self.add_row)
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button.clicked.connect(self.toggle_selected)
        self.import_button.clicked.connect(self.choose_import)
        self.export_button.clicked.connect(self.choose_export)
        when_seen(self, changes, self._tables_changed)
        self._pick()

    def _tables_changed(self, _tables: frozenset[str]) -> None:
        self.model.refresh()

    @property
    def catalog(self) -> Catalog:
        return self.model.catalog

    def select_catalog(self, name: str) -> None:
        self.picker.setCurrentIndex(self.picker.findData(name))

    def _pick(self) -> None:
        self.model.set_catalog(catalogs.by_name(self.picker.currentData()))
        self.add_button.setEnabled(self.catalog.can_add)
        self.active_button.setEnabled(self.catalog.can_deactivate or self.catalog.can_delete)
        self.message.clear_message()
        self.calendar_fill.setVisible(self.catalog.name == "calendar")
        if self.catalog.name == "calendar":
            self.calendar_fill.refresh()

    def selected(self) -> CatalogRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def add_row(self) -> RowDialog:
        dialog = RowDialog(self.ctx, self.catalog, None, self)
        dialog.saved.connect(self._saved)
        self._open(dialog)
        return dialog

    def edit_selected(self) -> RowDialog | None:
        row = self.selected()
        if row is None:
            self.message.show_message(Outcome.WARNING, self.tr("Select a row first."))
            return None
        dialog = RowDialog(self.ctx, self.catalog, row, self)
        dialog.saved.connect(self._saved)
        self._open(dialog)
        return dialog

    def _saved(self, key: str) -> None:
        self.model.refresh()
        self.message.show_message(Outcome.OK, self.tr("{key} saved.").format(key=key))

    def toggle_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.message.show_message(Outcome.WARNING, self.tr("Select a row first."))
            return
        ctx, catalog, key, active, version = (
            self.ctx,
            self.catalog,
            row.key,
            not row.active,
            row.version,
        )
        said = (
            self.tr("{key} is active again.") if active else self.tr("{key} deactivated.")
        ).format(key=key)
        self._save(
            lambda: catalogs.set_active(ctx, catalog, key, active, expected_version=version),
            lambda _none: self.message.show_message(Outcome.OK, said),
        )

    def _save(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """On the floor worker; the list read again, then ``done``; a refusal said (a
        conflict: the list as saved now)."""

        def finished(result: Any) -> None:
            self.model.refresh()
            done(result)

        def refused(error: DomainError) -> None:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            if isinstance(error, Conflict):  # changed meanwhile: show the list as saved now
                self.model.refresh()

        run_floor_action(self, work, finished, failed=refused)

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import Excel"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> ImportReportDialog | None:
        try:
            report = catalogs.preview_import(self.ctx, self.catalog, path)
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return None
        title = self.tr("Import preview: {file}").format(file=path.name)
        dialog = ImportReportDialog(title, report, self)
        catalog = self.catalog
        dialog.accepted.connect(lambda: self._apply(catalog, path))
        self._open(dialog)
        return dialog

    def _apply(self, catalog: Catalog, path: Path) -> None:
        ctx = self.ctx
        self._save(
            lambda: catalogs.apply_import(ctx, catalog, path),
            lambda report: self.message.show_message(*import_outcome(report)),
        )

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Excel"),
            f"{self.catalog.sheet or self.catalog.name}.xlsx",
            self.tr("Excel workbooks (*.xlsx)"),
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        try:
            count = catalogs.export(self.ctx, self.catalog, path)
        except OSError as error:
            self.message.show_message(Outcome.ERROR, str(error))
            return
        self.message.show_message(
            Outcome.OK,
            self.tr("{count} rows written to {file}.").format(count=count, file=path.name),
        )
