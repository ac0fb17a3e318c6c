"""What a wedge scanner or an input method sends to a widget, for the scan tests of every tab."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def send_text(widget: QWidget, text: str) -> None:
    """Key events carrying ``text`` only (no key code), as a wedge scanner's CR or LF arrives."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def commit(widget: QWidget, text: str) -> None:
    """An input method's commit of ``text`` (a Chinese IME in full-width mode)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


# The time of the synthesised keystrokes below (ms, as a window system stamps them): one clock
# for the whole session, each typing well after the last, so the tests' timing never depends on
# how busy the machine is.
_CLOCK = [1_000_000]
SUFFIX_KEYS = {
    "\r": Qt.Key.Key_Return,
    "\n": Qt.Key.Key_Enter,
    "\t": Qt.Key.Key_Tab,
}


def type_keys(widget: QWidget, text: str, *, ms_per_key: int, suffix: str = "") -> None:
    """``text`` then ``suffix`` ("\\r", "\\n" or "\\t") typed into ``widget`` with
    ``ms_per_key`` between keystrokes: a scanner's ~5 ms, a person's ~150 ms."""
    _CLOCK[0] += 60_000
    for char in text + suffix:
        key = SUFFIX_KEYS.get(char, Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            event.setTimestamp(_CLOCK[0])
            QApplication.sendEvent(widget, event)
        _CLOCK[0] += ms_per_key


def scanner(widget: QWidget, code: str, suffix: str = "\r") -> None:
    """A wedge scanner: ``code`` and its suffix, 5 ms a keystroke."""
    type_keys(widget, code, ms_per_key=5, suffix=suffix)


def person(widget: QWidget, text: str, suffix: str = "") -> None:
    """A person typing ``text`` (and the suffix key), 150 ms a keystroke."""
    type_keys(widget, text, ms_per_key=150, suffix=suffix)
