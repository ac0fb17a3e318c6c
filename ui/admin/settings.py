"""The Center settings page: one typed editor per setting of ``app.settings.SETTINGS_PAGE``; Save
hands every changed value to ``app.settings.put_many`` (checked, saved together, audited). A
refusal is shown on the page and the edits stay, to be corrected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import setting_types, settings
from app.context import Context
from app.errors import Conflict, DomainError
from app.setting_types import SettingSpec
from ui.i18n import domain_message, tr_app
from ui.ops import LatestRead
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.floor_action import busy, run_floor_action


def _editor(spec: SettingSpec[Any], parent: QWidget) -> QWidget:
    if isinstance(spec, setting_types.BoolSetting):
        return QCheckBox(parent)
    if isinstance(spec, setting_types.IntSetting):
        spin = QSpinBox(parent)
        spin.setRange(spec.minimum, spec.maximum)
        return spin
    if isinstance(spec, setting_types.ChoiceSetting):
        combo = QComboBox(parent)
        for value, label in spec.choices:
            combo.addItem(tr_app(label), value)
        return combo
    if isinstance(spec, setting_types.TextSetting) and spec.multiline:
        text = QPlainTextEdit(parent)
        text.setFixedHeight(text.fontMetrics().height() * 5 + 12)
        return text
    return QLineEdit(parent)  # text, and times and sizes typed as text (checked on save)


def _show(editor: QWidget, spec: SettingSpec[Any], value: Any) -> None:
    if isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(spec.stored(value)))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(spec.stored(value)))


def _read(editor: QWidget) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    assert isinstance(editor, QLineEdit)
    return editor.text()


def _read_settings(
    ctx: Context, specs: list[SettingSpec[Any]]
) -> tuple[dict[str, Any], dict[str, int]]:  # on the read worker
    """What the form loads: each setting's value and version."""
    with ctx.db.read() as session:
        values = {spec.key: settings.get(session, spec) for spec in specs}
        return values, settings.versions_of(session, specs)


class SettingsPanel(QWidget):
    saved = Signal(int)  # how many settings a save changed (0: refused)

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        specs: tuple[SettingSpec[Any], ...] = settings.SETTINGS_PAGE,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        self.ctx = ctx
        self.specs = specs
        self.editors: dict[str, QWidget] = {}
        self._loaded: dict[str, Any] = {}
        self._versions: dict[str, int] = {}  # as loaded: sent back with the save
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
        self._reads = LatestRead(self, self._show_loaded)
        self.load()

    def load(self) -> None:
        """The saved values and their versions, read on the read worker; saving waits for
        them (a save sends the versions it loaded)."""
        ctx, specs = self.ctx, list(self.specs)  # the work holds plain data, never this page
        self.save_button.setEnabled(False)
        self._reads.run(lambda: _read_settings(ctx, specs))

    def _show_loaded(self, read: tuple[dict[str, Any], dict[str, int]]) -> None:
        self._loaded, self._versions = read
        self.save_button.setEnabled(True)
        for spec in self.specs:
            _show(self.editors[spec.key], spec, self._loaded[spec.key])

    def changes(self) -> dict[SettingSpec[Any], Any]:
        """What the editors hold that differs from what was loaded, as typed."""
        changed: dict[SettingSpec[Any], Any] = {}
        for spec in self.specs:
            value = _read(self.editors[spec.key])
            loaded = self._loaded[spec.key]
            if isinstance(value, str) and value.strip() == str(spec.stored(loaded)).strip():
                continue
            if value != loaded:
                changed[spec] = value
        return changed

    def save(self) -> None:
        """Save every change at once, on the floor worker (the button waits); ``saved`` says
        how many settings changed (0 when refused)."""
        if busy(self.save_button):
            return
        ctx, changes, versions = self.ctx, self.changes(), self._versions

        def done(count: int) -> None:
            self.load()
            self.message.show_message(
                Outcome.OK, self.tr("{count} settings saved.").format(count=count)
            )
            self.saved.emit(count)

        def refused(error: DomainError) -> None:
            if isinstance(error, Conflict):  # saved by someone else meanwhile: show it
                self.load()
            # otherwise nothing was saved: the edits are kept so they can be fixed
            self.message.show_message(Outcome.ERROR, domain_message(error))
            self.saved.emit(0)

        run_floor_action(
            self,
            lambda: settings.put_many(ctx, changes, expected_version=versions),
            done,
            failed=refused,
            button=self.save_button,
        )
