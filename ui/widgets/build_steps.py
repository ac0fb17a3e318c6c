"""A tab built in steps, one per turn of the event loop, the scan field first.

A tab's first show (ui/tab_slot.py) used to build all of it at once: the allocation tab's pages,
the complaint register's seven panels, then their first polish and layout, 50-80 ms in which the
window neither painted nor took a key. Built ``stepwise()``, a tab makes its header and scan
field at once (they take a scan the instant the tab shows) and hands each heavier part — a page
of lists, a form — to ``build_later``: one part per turn of the event loop, so the window paints
and takes input between them. A scan typed before the last part is built builds the rest at
once, then is handled (``finish``): it is never lost nor run on a half-built tab.

A part may hand on parts of its own (a page's lower lists): they are built next, in the turns
right after it, before the tab's parts that were waiting behind it. Each part stays a bounded
amount of work (a list, a form, a panel: never a whole page of them), so no turn holds the window
much longer than one part, its first layout and its first paint. A part and the rows of a list
read meanwhile are never shown in the same turn (ui/ops.py shows one result per turn): a part
waits a turn when a result was shown in this one, and a result waits for the turn after a part.

Built outside a tab slot (a test, a dialog), the parts are built at once, in ``__init__``.
While parts wait, the tab counts as work in flight (``ui.ops.ops_in_flight``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from PySide6.QtCore import QObject, QTimer, Signal

from ui.ops import (
    after_first_paint,
    hold_results_for_this_turn,
    note_loading,
    results_shown_this_turn,
)

# Between two parts (one frame): the part before is painted, and the keys and timers waiting are
# taken, before the next part is built; a tab of 3-6 parts is whole in about a tenth of a second.
STEP_GAP_MS = 16

_STEPWISE: ContextVar[bool] = ContextVar("build_stepwise", default=False)


@contextmanager
def stepwise() -> Iterator[None]:
    """Tabs made inside this block build their ``build_later`` parts in later turns."""
    token = _STEPWISE.set(True)
    try:
        yield
    finally:
        _STEPWISE.reset(token)


class BuildSteps(QObject):
    """The parts of a tab still to build; ``finished`` once the last one is built."""

    finished = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("buildSteps")
        self._stepwise = _STEPWISE.get()
        self._steps: deque[Callable[[], None]] = deque()
        self._handed_on: list[Callable[[], None]] | None = None  # by the part being built
        self._whole = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STEP_GAP_MS)
        self._timer.timeout.connect(self._next)

    @property
    def pending(self) -> int:
        return len(self._steps) + len(self._handed_on or ())

    def add(self, step: Callable[[], None]) -> None:
        """Build ``step`` now, or in a later turn when the tab is built stepwise."""
        if not self._stepwise or self._whole:  # (a tab already whole builds a new part now)
            step()
            return
        if self._handed_on is not None:  # a part's own parts: built right after it
            self._handed_on.append(step)
        else:
            self._steps.append(step)
        note_loading(self, True)

    def _build(self, step: Callable[[], None]) -> None:
        """Build one part; the parts it hands on go first in the queue, in their order."""
        outer, self._handed_on = self._handed_on, []
        try:
            step()
        finally:
            handed_on, self._handed_on = self._handed_on, outer
            self._steps.extendleft(reversed(handed_on))

    def start(self) -> None:
        """Begin the parts, one per turn (the tab's first part is in place and shown); the
        window's first tab begins them once the window has painted its first frame."""
        if self._steps:  # (a tab closed before that paint is gone: its timer never fires)
            after_first_paint(lambda: QTimer.singleShot(0, self, self._begin))
        else:
            self._done()

    def _begin(self) -> None:
        if self._steps and not self._timer.isActive():  # (``finish`` may have built them all)
            self._timer.start()

    def finish(self) -> None:
        """Build every part left, now (a scan came: the tab must be whole to handle it)."""
        if self._handed_on:  # a part being built asked for the rest: its own parts first
            self._steps.extendleft(reversed(self._handed_on))
            self._handed_on.clear()
        if not self._steps:
            return
        self._timer.stop()
        while self._steps:
            self._build(self._steps.popleft())
        self._done()

    def _next(self) -> None:
        if self._steps and results_shown_this_turn():  # a list's rows were shown: next turn
            self._timer.start(0)
            return
        self._timer.setInterval(STEP_GAP_MS)
        if self._steps:
            self._build(self._steps.popleft())
            hold_results_for_this_turn()  # the part's layout and paint first, then any result
        if self._steps:
            self._timer.start()
        else:
            self._done()

    def _done(self) -> None:
        if self._whole:  # a part built the rest itself (it called ``finish``)
            return
        self._whole = True
        note_loading(self, False)
        self.finished.emit()
