"""Counting the turns of the event loop, for the tests of work spread over several turns."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer


class Turns(QObject):
    """Counts the turns of the event loop (a zero timer's timeouts)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.timer = QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._turn)
        self.timer.start()

    def _turn(self) -> None:
        self.count += 1
