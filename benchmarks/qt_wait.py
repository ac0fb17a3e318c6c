"""Waiting for the window's work in a benchmark as a window waits: blocked in the event loop.

``processEvents(flags, maxtime)`` returns at once when nothing is pending (the time limit makes
``WaitForMoreEvents`` meaningless), so a loop around it spins in the UI thread, and each turn
takes the interpreter from the worker it waits for: the parts ledger's first page came in
330 ms spinning, in 10 ms waiting. The one-argument overload blocks until an event comes; a
timer wakes the loop so that a deadline is seen even if nothing ever comes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

WAKE_MS = 100


def wait_until(app: Any, done: Callable[[], bool], *, timeout_s: float, what: str) -> None:
    """Handle events, blocked between them, until ``done()``; RuntimeError after ``timeout_s``."""
    from PySide6.QtCore import QEventLoop, QTimer

    waiting = (
        QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    )
    deadline = time.monotonic() + timeout_s
    wake = QTimer()
    wake.start(WAKE_MS)
    try:
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} never came")
            app.processEvents(waiting)
    finally:
        wake.stop()
