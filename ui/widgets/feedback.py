"""How the floor is told what happened: a coloured message with a sound, one way everywhere.

Green: done. Amber: done, but look (e.g. the order is not in this list). Red: refused. Each has
its own sound (``ui.widgets.sounds``), because the clerk's eyes are on the unit, not on the
screen. Under every scan field the ``ResultBanner``: large type, the order number larger still,
a solid coloured block that stays until the next result, readable from a metre away. Dialogs and
the administration pages keep the compact ``MessageLine``.
"""

from __future__ import annotations

import enum
import html
import re

from PySide6.QtCore import QCoreApplication, Qt
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


# The banner's solid blocks: (background, text); white or black text at a contrast above 4.5.
BANNER_COLOURS = {
    Outcome.OK: ("#1b6e2d", "#ffffff"),
    Outcome.WARNING: ("#f2b705", "#1a1a1a"),
    Outcome.ERROR: ("#b3141b", "#ffffff"),
}
# A sign before the text, so the kind reads without the colour too.
_SIGNS = {Outcome.OK: "✔", Outcome.WARNING: "⚠", Outcome.ERROR: "✖"}
# Repair orders, shipments, complaints (``app.numbering``): shown larger in the banner.
DOCUMENT_NUMBER = re.compile(r"\b(?:RO|SH|CP)\d{8,}\b")
BANNER_POINT_SIZE = 20
NUMBER_POINT_SIZE = 30


def play_sound(outcome: Outcome) -> None:
    from ui.widgets.sounds import sounds

    sounds().play(outcome)


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
        self._style(f"QLabel {{ {_STYLES[outcome]} padding: 6px 10px; font-size: 15px; }}")
        play_sound(outcome)

    def clear_message(self) -> None:
        self.outcome = None
        self.setText("")
        self._style("QLabel { padding: 6px 10px; font-size: 15px; }")

    def _style(self, sheet: str) -> None:
        """A new style sheet only when it differs: setting one re-polishes the label and asks
        its window to lay out again (its font is set anew), at every scan's result otherwise."""
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)


class ResultBanner(MessageLine):
    """The result of the last scan under the scan field: hidden until the first result, then a
    coloured block that stays until the next one. ``text()`` is the plain message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._plain = ""
        super().__init__(parent)
        self.setMinimumHeight(0)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAccessibleName(QCoreApplication.translate("ResultBanner", "Scan result"))

    def text(self) -> str:  # type: ignore[override]
        return self._plain

    def show_message(self, outcome: Outcome, text: str) -> None:
        self.outcome = outcome
        self._plain = text
        background, colour = BANNER_COLOURS[outcome]
        body = DOCUMENT_NUMBER.sub(
            lambda found: (
                f'<span style="font-size: {NUMBER_POINT_SIZE}pt;">{found.group(0)}</span>'
            ),
            html.escape(text),
        )
        self.setText(f"{_SIGNS[outcome]}&nbsp; {body}")
        self._style(
            f"QLabel {{ background: {background}; color: {colour}; padding: 8px 14px;"
            f" font-size: {BANNER_POINT_SIZE}pt; font-weight: bold; border-radius: 4px; }}"
        )
        self.setAccessibleDescription(text)
        self.setVisible(True)
        play_sound(outcome)

    def clear_message(self) -> None:
        self.outcome = None
        self._plain = ""
        self.setText("")
        self.setAccessibleDescription("")
        self.setVisible(False)  # no empty band under the scan field


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
