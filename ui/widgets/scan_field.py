"""The scan field of every floor tab: a keyboard-wedge scanner types the code, then Enter."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.formats import MAX_SCAN_LENGTH
from ui.widgets.feedback import MessageLine


class ScanField(QLineEdit):
    """Emits ``scanned(code)`` on Enter, clears itself, and takes the focus back after actions."""

    scanned = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanInput")
        self.setPlaceholderText(placeholder)
        self.setMaxLength(MAX_SCAN_LENGTH * 2)  # over-long scans reach the core and are refused
        self.setClearButtonEnabled(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.setFont(font)
        self.setMinimumHeight(40)
        self.last_code = ""
        self.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        code = self.text()
        self.last_code = code
        self.clear()
        self.scanned.emit(code)
        self.take_focus()

    def restore_last(self) -> None:
        """Put the last scan back (selected): it was not saved, Enter tries it again."""
        self.setText(self.last_code)
        self.selectAll()

    def take_focus(self) -> None:
        """Focus back on the scan field once the current event is handled (after dialogs
        close): the window active again, so the scanner's next code lands here."""

        def focus() -> None:
            window = self.window()
            if window is not None and not window.isActiveWindow():
                window.activateWindow()
            self.setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, self, focus)


class ScanBar(QWidget):
    """The scan field with the message line under it."""

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
        self.message = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
