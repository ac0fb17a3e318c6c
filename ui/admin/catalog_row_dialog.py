"""Add or edit one catalogue row: an editor per field, chosen by the field's kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.admin import catalogs
from app.admin.catalogs import Catalog, CatalogRow, Field, Kind
from app.context import Context
from app.errors import Conflict, DomainError
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.floor_action import busy, run_floor_action


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
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def reload(self) -> None:
        """Show the row as it is saved now (and take its version for the next save)."""
        if self.row is None:
            return
        key = self.row.key
        found = [row for row in catalogs.rows(self.ctx, self.catalog) if row.key == key]
        if not found:
            return
        self.row = found[0]
        for field in self.catalog.fields:
            self.set_value(field.name, self.row.values.get(field.name))

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
        """Saved on the floor worker (OK waits); closed once saved, open with the reason on a
        refusal (saved by someone else meanwhile: theirs shown, to edit again)."""
        if busy(self.ok_button):
            return
        values = {
            field.name: _value(self.editors[field.name])
            for field in self.catalog.fields
            if not field.read_only
        }
        ctx, catalog = self.ctx, self.catalog
        key = self.row.key if self.row else None
        version = self.row.version if self.row else None

        def refused(error: DomainError) -> None:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            if isinstance(error, Conflict):
                self.reload()

        run_floor_action(
            self,
            lambda: catalogs.save(ctx, catalog, values, key=key, expected_version=version),
            self._saved,
            failed=refused,
            button=self.ok_button,
        )

    def _saved(self, key: str) -> None:
        self.saved.emit(key)
        self.accept()
