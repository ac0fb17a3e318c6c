"""The routine buttons of the floor tabs: a key each, said in the tooltip, and found by the
fit test (tests/ui/test_fit.py) that checks they are on screen at 1366×768 without scrolling.

The keys are F2…F10 within one tab (a hidden tab's or page's shortcuts never fire, so tabs may
reuse them); the scan field keeps the focus, the key presses the button from anywhere in the
window.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton

ROUTINE = "routineButton"  # the property that marks a routine button


def routine(
    button: QAbstractButton, key: str | None = None, *, pressed_elsewhere: bool = False
) -> QAbstractButton:
    """Mark ``button`` as a routine action; with ``key``, press it by that key (in the tooltip).
    ``pressed_elsewhere``: the tab's own ``QShortcut`` presses it (the tooltip still says the
    key; a second shortcut on the same key would make both ambiguous, and neither would fire)."""
    button.setProperty(ROUTINE, True)
    if key:
        sequence = QKeySequence(key)
        if not pressed_elsewhere:
            button.setShortcut(sequence)
        shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        tip = button.toolTip()
        button.setToolTip(f"{tip} ({shown})" if tip else shown)
    return button


def shortcut_of(button: QAbstractButton) -> str:
    return button.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
