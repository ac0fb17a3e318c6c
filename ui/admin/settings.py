"""The Center settings page: one typed editor per declared setting; Save writes the changed
ones through ``app.settings.put`` (each change audited from what to what)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.context import Context
from app.errors import DomainError
from app.settings import SettingSpec
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import MessageLine, Outcome


def _editor(spec: SettingSpec[Any], parent: QWidget) -> QWidget:
    if isinstance(spec.default, bool):
        return QCheckBox(parent)
    if isinstance(spec.default, int):
        spin = QSpinBox(parent)
        spin.setRange(0, 1_000_000)
        return spin
    if isinstance(spec.default, list):
        text = QPlainTextEdit(parent)
        text.setFixedHeight(text.fontMetrics().height() * 4 + 12)
        return text
    return QLineEdit(parent)


def _set(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText("\n".join(str(item) for item in value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))


def _get(editor: QWidget) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QPlainTextEdit):
        return [line.strip() for line in editor.toPlainText().splitlines() if line.strip()]
    assert isinstance(editor, QLineEdit)
    return editor.text().strip()


class SettingsPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        self.ctx = ctx
        self.specs = tuple(settings.ALL_SETTINGS)
        self.editors: dict[str, QWidget] = {}
        self._loaded: dict[str, Any] = {}
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        for spec in self.specs:
            editor = _editor(spec, form_widget)
            editor.setObjectName("setting_" + spec.key.replace(".", "_"))
            self.editors[spec.key] = editor
            form.addRow(tr_app(spec.label), editor)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.save_button = QPushButton(self.tr("Save settings"), self)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.clicked.connect(self.save)
        self.message = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button)
        self.load()

    def load(self) -> None:
        with self.ctx.db.read() as session:
            self._loaded = {spec.key: settings.get(session, spec) for spec in self.specs}
        for spec in self.specs:
            _set(self.editors[spec.key], self._loaded[spec.key])

    def save(self) -> int:
        """Save the settings that were changed; returns how many."""
        saved = 0
        try:
            for spec in self.specs:
                value = _get(self.editors[spec.key])
                if value != self._loaded[spec.key]:
                    settings.put(self.ctx, spec, value)
                    saved += 1
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return saved
        finally:
            self.load()
        self.message.show_message(
            Outcome.OK, self.tr("{count} settings saved.").format(count=saved)
        )
        return saved
