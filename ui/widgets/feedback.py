"""How the floor is told what happened: a coloured message line with a sound, one way everywhere.

Green: done. Amber: done, but look (e.g. the order is not in this list). Red: refused; with a
beep, because the clerk's eyes are on the unit, not on the screen.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app.errors import DomainError, NotSaved
from ui.i18n import domain_message


class Outcome(enum.Enum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


# Text and background chosen to stay readable for colour-blind users (the wording says it too).
_STYLES = {
    Outcome.OK: "color: #0b5d1e; background: #dff3e4; border: 1px solid #7cc48f;",
    Outcome.WARNING: "color: #6b4a00; background: #fff1cc; border: 1px solid #e0b440;",
    Outcome.ERROR: "color: #8a1010; background: #fde2e2; border: 1px solid #e07a7a;",
}


def play_sound(outcome: Outcome) -> None:
    if outcome is not Outcome.OK:
        QApplication.beep()


class MessageLine(QLabel):
    """One line under the scan field: the result of the last scan or action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanMessage")
        self.setWordWrap(True)
        self.setMinimumHeight(34)
        self.outcome: Outcome | None = None
        self.clear_message()

    def show_message(self, outcome: Outcome, text: str) -> None:
        self.outcome = outcome
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ {_STYLES[outcome]} padding: 6px 10px; font-size: 15px; }}")
        play_sound(outcome)

    def clear_message(self) -> None:
        self.outcome = None
        self.setText("")
        self.setStyleSheet("QLabel { padding: 6px 10px; font-size: 15px; }")


def show_domain_error(
    parent: QWidget | None, error: DomainError, line: MessageLine | None = None
) -> str:
    """Show a refusal of the rules, translated: on ``line`` if given, else in a message box."""
    text = domain_message(error)
    if isinstance(error, NotSaved):  # nothing was saved: keep what was scanned, to retry
        from ui.widgets.scan_field import ScanField

        field = parent.findChild(ScanField, "scanInput") if parent is not None else None
        if field is not None:
            field.restore_last()
    if line is not None:
        line.show_message(Outcome.ERROR, text)
        return text
    play_sound(Outcome.ERROR)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.applicationDisplayName(),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("domainErrorBox")
    box.open()  # not exec(): never blocks the event loop (or a test)
    return text
