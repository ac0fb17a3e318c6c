"""Work asked for while the main window is built reaches the workers after its first paint
(ui/ops.py ``hold_work_until_painted``): at start-up the lists' first reads no longer take the
interpreter from the UI thread building and painting the window."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel

from ui import ops
from ui.ops import FloorOp, ListRead, hold_work_until_painted


class PaintClock(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None:
            self.painted = time.monotonic()
        return False


@pytest.fixture(autouse=True)
def never_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The release comes from the paint or the next turn, never from the fallback deadline."""
    monkeypatch.setattr(ops, "HOLD_AT_MOST_MS", 3_600_000)


def test_work_asked_for_before_the_first_paint_runs_after_it_in_order(qtbot) -> None:
    """Floor actions on the one floor worker: in the order asked (reads, two at a time, in any)."""
    window = QLabel("window")
    qtbot.addWidget(window)
    clock = PaintClock()
    window.installEventFilter(clock)
    hold_work_until_painted(window)
    ran: list[tuple[str, float]] = []
    shown: list[str] = []
    for name in ("first", "second", "third"):

        def work(name: str = name) -> str:
            ran.append((name, time.monotonic()))
            return name

        FloorOp(window, work).success(shown.append).run_in_background()
    time.sleep(0.05)
    assert ran == []  # held: nothing reached a worker while the window is being built
    window.show()
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=5_000)
    assert clock.painted is not None
    assert all(started > clock.painted for _, started in ran)
    assert [name for name, _ in ran] == ["first", "second", "third"]
    assert shown == ["first", "second", "third"]


def test_a_window_built_and_not_shown_holds_nothing_past_the_next_turn(qtbot) -> None:
    window = QLabel("never shown")
    qtbot.addWidget(window)
    hold_work_until_painted(window)
    worker: list[str] = []
    ListRead(window, lambda: worker.append(threading.current_thread().name)).run_in_background()
    assert worker == []
    QApplication.processEvents()  # the next turn: the window is not visible, the hold ends
    qtbot.waitUntil(lambda: worker != [], timeout=5_000)
    assert worker[0].startswith(ops.READ_WORKER[0])


def test_a_window_gone_before_its_first_paint_lets_what_it_held_go(qtbot) -> None:
    """A window closed before it ever painted (a sign-out at once, a test's window): the work it
    held runs, and its deadline goes with it (a late deadline released the next window's work
    before that window painted)."""
    import shiboken6

    window = QLabel("gone before painting")
    hold_work_until_painted(window)
    owner = QObject()
    ran: list[str] = []
    FloorOp(owner, lambda: ran.append("saved")).run_in_background()
    time.sleep(0.05)
    assert ran == []  # held
    shiboken6.delete(window)  # its next-turn check and its deadline are gone with it
    qtbot.waitUntil(lambda: ran == ["saved"], timeout=5_000)
