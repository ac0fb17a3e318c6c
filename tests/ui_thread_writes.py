"""The floor never waits on a save: a unit of work (``Database.transaction``) started by a widget
runs on the floor worker (``FloorOp``, ui/ops.py), never on the UI thread. Every test that uses
Qt is watched (tests/conftest.py): a transaction entered on the main thread with a ``ui/`` frame
on the stack fails the test unless that frame (the innermost ``ui/`` one, ``path:function``)
is listed here.

``STILL_WRITING_ON_THE_UI_THREAD`` is the inventory of what is left: it only shrinks. A save in a
dialog or button moves to ``FloorOp`` (the dialog disabled while it runs, closed on success,
kept open with the error on failure), and its line leaves the list.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

UI_DIR = str(Path(__file__).resolve().parents[1] / "ui") + "/"

# Left on purpose: not a floor action, and nothing else runs meanwhile.
ON_PURPOSE = {
    "ui/login.py:save",  # a new password chosen in the sign-in dialog, before any window
    "ui/complaints/notice_timer.py:stop",  # the window closing: its timer's state saved
}

# Empty: every floor button and dialog saves on the floor worker. It stays, and only shrinks: a
# widget's new save on the UI thread fails its Qt test rather than joining a list.
STILL_WRITING_ON_THE_UI_THREAD: set[str] = set()


def ui_caller() -> str | None:
    """``ui/path.py:function`` of the innermost ``ui/`` frame of the main thread's stack, or None
    (a worker thread, or no widget on the stack: a test's own set-up)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    frame: Any = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(UI_DIR):
            return f"ui/{filename[len(UI_DIR) :]}:{frame.f_code.co_name}"
        frame = frame.f_back
    return None


def unexpected(callers: list[str]) -> list[str]:
    allowed = ON_PURPOSE | STILL_WRITING_ON_THE_UI_THREAD
    return sorted({caller for caller in callers if caller not in allowed})
