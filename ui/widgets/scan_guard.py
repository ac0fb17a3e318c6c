"""A scan that lands in a floor dialog is not the dialog's input.

A keyboard-wedge scanner types a whole code in a few milliseconds and ends it with Enter (or Tab,
CR, LF). When a dialog of a floor tab is open (close the box, cancel a shipment, confirm a
model…), such a burst lands in whatever widget of the dialog has the focus: an IMEI would become
the box's difference note and its Enter would press the default button. The guard watches the
keyboard of every dialog opened from a floor tab: characters arriving at scanner speed and ended
by a scanner's terminator are a stray scan. The terminator is swallowed (no default button
fires, the focus does not move), the field gets back what it held before the burst, and the scan
is announced in red on the dialog's message line (or the tab's), so it is not lost silently.

A person types far slower than a scanner: ``MIN_SCAN_CHARS`` characters each within
``BURST_GAP_MS`` of the last and then the terminator is not typing. A dialog that waits for a
scan opts out with ``accept_scans(dialog)``; a ``ScanField`` inside a dialog is never guarded.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialog, QWidget

from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.lifetime import tolerant_filter

# A scanner's keystrokes come a few ms apart (Bluetooth ones up to ~30 ms); a person's ~100 ms.
BURST_GAP_MS = 50
# The shortest code the floor scans into a dialog by mistake (part numbers such as SCR-S9).
MIN_SCAN_CHARS = 6
_TERMINATOR_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
_TERMINATOR_TEXT = ("\r", "\n", "\t")
_ACCEPTS_SCANS = "acceptsScans"
_WATCHED = "scanGuardWatched"


def accept_scans(dialog: QDialog) -> None:
    """This dialog waits for a scan: the guard leaves its keyboard alone."""
    dialog.setProperty(_ACCEPTS_SCANS, True)


def _floor_tab_of(widget: QWidget | None) -> QWidget | None:
    from ui.widgets.floor_tab import FloorTab

    while widget is not None:
        if isinstance(widget, FloorTab):
            return widget
        widget = widget.parentWidget()
    return None


def _editor(widget: QWidget) -> QWidget:
    """The widget whose value the burst changed (a spin box's or combo box's, not its editor)."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractSpinBox | QComboBox):
        return parent
    return widget


class _Snapshot:
    """What the focused widget held before the burst (its user property: a line edit's text, a
    spin box's value, an editable combo box's text), to put back."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = _editor(widget)
        prop = self.widget.metaObject().userProperty()
        self.name = str(prop.name()) if prop.isValid() and prop.isWritable() else None
        self.value = self.widget.property(self.name) if self.name else None

    def restore(self) -> None:
        if self.name is not None:
            self.widget.setProperty(self.name, self.value)


class ScanGuard(QObject):
    """One per application (``install``). It watches the keyboard of the widgets of floor
    dialogs only: each such widget gets the guard as its event filter when it first takes the
    focus (no application-wide filter runs Python for every event of the floor)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._widget: QWidget | None = None
        self._chars: list[str] = []
        self._last = 0.0
        self._snapshot: _Snapshot | None = None

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication) or app.findChild(ScanGuard, "scanGuard") is not None:
            return
        guard = cls(app)
        guard.setObjectName("scanGuard")
        app.focusChanged.connect(guard._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is None or now.property(_WATCHED) or self._guarded_dialog(now) is None:
            return
        now.setProperty(_WATCHED, True)
        now.installEventFilter(self)

    @tolerant_filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress:
            return False
        focus = QApplication.focusWidget()
        # A key event travels up the parents when ignored: look at it once, at the focus.
        if watched is not focus or focus is None:
            return False
        dialog = self._guarded_dialog(focus)
        if dialog is None:
            self._reset()
            return False
        return self._key(focus, dialog, event)  # type: ignore[arg-type]

    def _guarded_dialog(self, focus: QWidget) -> QDialog | None:
        from ui.widgets.scan_field import ScanField

        window = focus.window()
        if not isinstance(window, QDialog) or isinstance(focus, ScanField):
            return None
        if window.property(_ACCEPTS_SCANS) or _floor_tab_of(window.parentWidget()) is None:
            return None
        return window

    def _key(self, focus: QWidget, dialog: QDialog, event: QKeyEvent) -> bool:
        # When the key was typed (ms): the window system's time of the keystroke, so a busy
        # moment of the floor (a label rendering) does not spread a scan's keys apart; a
        # synthesised event without one is timed as it is handled.
        now = event.timestamp() or time.monotonic() * 1000
        in_burst = self._widget is focus and 0 <= now - self._last <= BURST_GAP_MS
        self._last = now
        text = event.text()
        if event.key() in _TERMINATOR_KEYS or (text and text in _TERMINATOR_TEXT):
            scan = "".join(self._chars) if in_burst else ""
            snapshot = self._snapshot
            self._reset()
            if len(scan) < MIN_SCAN_CHARS:
                return False
            if snapshot is not None:
                snapshot.restore()
            self._announce(dialog, scan)
            return True
        if not text or not text.isprintable():
            self._reset()
            return False
        if not in_burst:
            self._widget, self._chars = focus, []
            self._snapshot = _Snapshot(focus)
        self._chars.append(text)
        return False

    def _reset(self) -> None:
        self._widget, self._chars, self._snapshot = None, [], None

    @staticmethod
    def _announce(dialog: QDialog, scan: str) -> None:
        text = QCoreApplication.translate(
            "ScanGuard",
            "“{code}” came from the scanner while this dialog is open: it was not taken. "
            "Finish the dialog, then scan it again.",
        ).format(code=scan.strip())
        line = dialog.findChild(MessageLine)
        if line is not None:
            line.show_message(Outcome.ERROR, text)
            return
        tab = _floor_tab_of(dialog.parentWidget())
        if tab is not None:
            tab.report(Outcome.ERROR, text)  # type: ignore[attr-defined]
