"""The scan field of every floor tab: a keyboard-wedge scanner types the code, then a suffix.

Scanners ship sending Enter, Tab, CR, LF or CR+LF after the code: each ends the scan, and the
field keeps the focus (a Tab must not carry the next scans off to another widget). The input
method is off on the field, so a Chinese IME cannot swallow the scanner's keystrokes; what an
input method still commits (full-width forms) is normalised by the core's ``clean_scan``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.formats import MAX_SCAN_LENGTH, strip_scanner_affixes
from ui.settings import SCANNER_PREFIX, SCANNER_SUFFIX
from ui.widgets.feedback import ResultBanner

# What a scanner may send after a code, as key events' text.
TERMINATORS = ("\r", "\n", "\t")
TERMINATOR_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
# An empty terminator this soon after a scan is the second half of CR+LF, not a scan.
PAIRED_TERMINATOR_MS = 150


class ScanField(QLineEdit):
    """Emits ``scanned(code)`` at the end of a scan (Enter, Tab, CR, LF, CR+LF), clears itself,
    and takes the focus back after actions."""

    scanned = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanInput")
        self.setAccessibleName(QCoreApplication.translate("ScanField", "Scan field"))
        self.setPlaceholderText(placeholder)
        self.setMaxLength(MAX_SCAN_LENGTH * 2)  # over-long scans reach the core and are refused
        self.setClearButtonEnabled(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.setFont(font)
        self.setMinimumHeight(40)
        self.last_code = ""
        self._since_submit = QElapsedTimer()
        # No input method on a scan field: the scanner types, an IME would compose.
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
            | Qt.InputMethodHint.ImhSensitiveData
        )

    def event(self, event: QEvent) -> bool:
        # Tab reaches QWidget's focus chain before keyPressEvent: a Tab-suffix scanner ends the
        # scan here instead of moving the focus away.
        if event.type() == QEvent.Type.KeyPress and self._ends_scan(event):  # type: ignore[arg-type]
            self._terminator()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self._ends_scan(event):
            self._terminator()
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 - Qt override
        """An input method's commit (or a paste through it) that carries the scanner's suffix."""
        commit = event.commitString()
        stripped = commit.rstrip("".join(TERMINATORS))
        if stripped == commit:
            super().inputMethodEvent(event)
            return
        self.insert(stripped)
        self._terminator()

    @staticmethod
    def _ends_scan(event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in TERMINATOR_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            return True
        return bool(event.text()) and event.text() in TERMINATORS

    def _terminator(self) -> None:
        recent = self._since_submit.isValid() and (
            self._since_submit.elapsed() < PAIRED_TERMINATOR_MS
        )
        if not self.text() and recent:
            return  # the LF of CR+LF
        self._submit()

    def _submit(self) -> None:
        code = strip_scanner_affixes(self.text(), SCANNER_PREFIX.get(), SCANNER_SUFFIX.get())
        self.last_code = code
        self.clear()
        self.scanned.emit(code)
        # Timed from the end of the scan's work (a receive takes longer than the pairing window):
        # the LF of CR+LF, queued meanwhile, arrives right after this.
        self._since_submit.start()
        self.take_focus()

    def restore_last(self) -> None:
        """Put the last scan back (selected): it was not saved, Enter tries it again."""
        self.setText(self.last_code)
        self.selectAll()

    def take_focus(self) -> None:
        """Focus back on the scan field once the current event is handled (after dialogs
        close): the window active again, so the scanner's next code lands here. Never while a
        dialog is open over it: the dialog keeps the keyboard (and its scan guard)."""

        def focus() -> None:
            modal = QApplication.activeModalWidget()
            if modal is not None and modal is not self.window():
                return  # a dialog has the keyboard: the focus comes back when it closes
            window = self.window()
            if window is not None and not window.isActiveWindow():
                window.activateWindow()
            self.setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, self, focus)


class ScanBar(QWidget):
    """The scan field with the result banner under it."""

    def __init__(self, placeholder: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanBar")
        self.field = ScanField(
            placeholder
            or QCoreApplication.translate(
                "ScanBar", "Scan or type an order number or serial / IMEI, then Enter"
            ),
            self,
        )
        self.message = ResultBanner(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
