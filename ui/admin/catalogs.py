"""The Catalogues page: pick a catalogue, search it, add / edit / deactivate a row, import an
Excel file (after a preview of what it will change) or export the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.admin import catalogs
from app.admin.catalogs import ALL_CATALOGS, Catalog, CatalogRow, Field, ImportPreview, Kind
from app.context import Context
from app.errors import DomainError
from ui.admin.table_models import CatalogTableModel
from ui.changes import ChangeBridge
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.table_view import DataTableView


def _editor(field: Field, value: Any, parent: QWidget) -> QWidget:
    value = field.to_user(value)
    if field.kind is Kind.BOOL:
        box = QCheckBox(parent)
        box.setChecked(bool(value))
        return box
    if field.kind is Kind.INT:
        spin = QSpinBox(parent)
        spin.setRange(field.minimum, field.maximum)
        spin.setValue(int(value or 0))
        return spin
    if field.kind is Kind.HOURS:
        hours = QDoubleSpinBox(parent)
        hours.setDecimals(1)
        hours.setSingleStep(0.5)
        hours.setRange(field.minimum / 60, field.maximum / 60)
        hours.setValue(float(value or 0))
        return hours
    if field.kind is Kind.CHOICE:
        combo = QComboBox(parent)
        combo.addItems(list(field.choices))
        if value:
            combo.setCurrentText(str(value))
        return combo
    if field.kind is Kind.DATE:
        edit = QDateEdit(parent)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())
        return edit
    if field.kind is Kind.LIST:
        text = QPlainTextEdit(parent)
        text.setPlainText("\n".join(value or []))
        text.setFixedHeight(text.fontMetrics().height() * 4 + 12)
        return text
    line = QLineEdit(parent)
    line.setText("" if value is None else str(value))
    line.setMaxLength(field.max_length)
    return line


def _value(editor: QWidget) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QDateEdit):
        return editor.date().toPython()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText().splitlines()
    assert isinstance(editor, QLineEdit)
    return editor.text()


class RowDialog(QDialog):
    """Add or edit one catalogue row; the service checks it, the message line says why not."""

    saved = Signal(str)

    def __init__(
        self, ctx: Context, catalog: Catalog, row: CatalogRow | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("catalogRowDialog")
        self.ctx, self.catalog, self.row = ctx, catalog, row
        title = tr_app(catalog.title)
        self.setWindowTitle(self.tr("Edit {title}").format(title=title) if row else title)
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for field in catalog.fields:
            value = row.values.get(field.name) if row else field.empty()
            editor = _editor(field, value, self)
            editor.setObjectName(f"field_{field.name}")
            editor.setEnabled(not field.read_only and not (row and field is catalog.key_field))
            self.editors[field.name] = editor
            form.addRow(tr_app(field.label), editor)
        inner = QWidget(self)
        inner.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.message = MessageLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def set_value(self, name: str, value: Any) -> None:
        """Fill one editor (tests and scripted entry)."""
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QSpinBox | QDoubleSpinBox):
            editor.setValue(value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("\n".join(value) if isinstance(value, list) else str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def save(self) -> None:
        values = {
            field.name: _value(self.editors[field.name])
            for field in self.catalog.fields
            if not field.read_only
        }
        try:
            key = catalogs.save(
                self.ctx, self.catalog, values, key=self.row.key if self.row else None
            )
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return
        self.saved.emit(key)
        self.accept()


class ImportPreviewDialog(QDialog):
    """What an Excel file will change (adds, changes, removals) or why it cannot be imported."""

    applied = Signal(object)

    def __init__(
        self,
        ctx: Context,
        catalog: Catalog,
        path: Path,
        preview: ImportPreview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.ctx, self.catalog, self.path, self.preview = ctx, catalog, path, preview
        self.setWindowTitle(self.tr("Import preview: {file}").format(file=path.name))
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.message = MessageLine(self)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("applyImportButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._show(preview)

    def _show(self, preview: ImportPreview) -> None:
        self.summary.setText(
            self.tr(
                "{adds} to add, {changes} to change, {removes} to remove, {same} unchanged, "
                "{bad} bad rows."
            ).format(
                adds=len(preview.adds),
                changes=len(preview.changes),
                removes=len(preview.removes),
                same=preview.unchanged,
                bad=len(preview.bad_rows),
            )
        )
        lines = [
            self.tr("Row {row}: {reason}").format(
                row=bad.row, reason=tr_app(bad.reason).format(**_translated(bad.params))
            )
            for bad in preview.bad_rows
        ]
        lines += [
            self.tr("Row {row}: add {key}").format(row=row, key=key) for row, key in preview.adds
        ]
        for row, key, before, after in preview.changes:
            changes = "; ".join(f"{name}: {before[name]} → {after[name]}" for name in after)
            lines.append(
                self.tr("Row {row}: change {key} ({changes})").format(
                    row=row, key=key, changes=changes
                )
            )
        lines += [self.tr("Remove {key}").format(key=key) for key in preview.removes]
        self.details.setPlainText("\n".join(lines))
        if not preview.ok:
            self.apply_button.setEnabled(False)
            self.message.show_message(
                Outcome.ERROR,
                self.tr("Nothing will be imported: correct the bad rows and try again."),
            )

    def apply(self) -> None:
        try:
            result = catalogs.apply_import(self.ctx, self.catalog, self.path)
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return
        if not result.applied:  # the file or the lists changed since the preview
            self._show(result)
            return
        self.applied.emit(result)
        self.accept()


def _translated(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: tr_app(value) if isinstance(value, str) else value for key, value in params.items()
    }


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
        self.model = CatalogTableModel(ctx.db, ALL_CATALOGS[0], self)
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
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.picker.currentIndexChanged.connect(self._pick)
        self.search.textChanged.connect(self.model.set_search)
        self.add_button.clicked.connect(self.add_row)
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button.clicked.connect(self.toggle_selected)
        self.import_button.clicked.connect(self.choose_import)
        self.export_button.clicked.connect(self.choose_export)
        changes.tables_changed.connect(self._tables_changed)
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
        try:
            catalogs.set_active(self.ctx, self.catalog, row.key, not row.active)
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return
        self.model.refresh()
        text = (
            self.tr("{key} is active again.") if not row.active else self.tr("{key} deactivated.")
        )
        self.message.show_message(Outcome.OK, text.format(key=row.key))

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import Excel"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> ImportPreviewDialog | None:
        try:
            preview = catalogs.preview_import(self.ctx, self.catalog, path)
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return None
        dialog = ImportPreviewDialog(self.ctx, self.catalog, path, preview, self)
        dialog.applied.connect(self._imported)
        self._open(dialog)
        return dialog

    def _imported(self, result: ImportPreview) -> None:
        self.model.refresh()
        self.message.show_message(
            Outcome.OK,
            self.tr("Imported: {adds} added, {changes} changed, {removes} removed.").format(
                adds=len(result.adds), changes=len(result.changes), removes=len(result.removes)
            ),
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
            count = catalogs.export(self.ctx.db, self.catalog, path)
        except OSError as error:
            self.message.show_message(Outcome.ERROR, str(error))
            return
        self.message.show_message(
            Outcome.OK,
            self.tr("{count} rows written to {file}.").format(count=count, file=path.name),
        )
