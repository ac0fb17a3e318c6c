"""Qt's enum types made ahead, in idle turns of the UI thread, a few classes per turn.

PySide makes each Qt enum type (a Python ``enum`` class) the first time it is used, 0.1-2 ms
each: the style's (``QStyle.StateFlag``, ``PixelMetric``...) at a tab's first table, the
gradients' at its first brush, a few hundred in all, made in whatever turn first needed them
(a tab's first show, the first sign-off dialog), 10-35 ms of it in one turn. Once the tabs'
modules are imported (ui/preload.py), the window makes them all here instead: a few classes per
turn of the event loop, ``TURN_GAP_MS`` apart, no turn longer than ``TURN_BUDGET_MS`` and the
class it began (the largest, the common style with QStyle's enums, about 12 ms). They are made
in the UI thread, where they would have been made anyway: never two threads making the same
type at once. About 0.2 s of the UI thread in all, in turns a list's rows or a tab's part did
not take (``ui.ops.results_shown_this_turn``), once per process.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer

from ui.collector import keep_long_lived
from ui.ops import results_shown_this_turn

TURN_BUDGET_MS = 3.0
TURN_GAP_MS = 15  # between two turns: the window's own work goes first
# The widgets' first: a tab's first table asks for the style's enums, its first brush for the
# gradients'; then the rest, in case a later dialog wants them.
MODULES = ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtCore")
FIRST = (("PySide6.QtWidgets", "QStyle"), ("PySide6.QtWidgets", "QCommonStyle"))


def qt_class_names(modules: Iterable[str] = MODULES) -> list[tuple[str, str]]:
    """(module, class name) of the classes of ``modules`` (imported already): the names only,
    PySide makes a class's type the first time it is asked for (that is part of the work)."""
    modules = tuple(modules)
    names = [first for first in FIRST if first[0] in modules and first[0] in sys.modules]
    for name in modules:
        module = sys.modules.get(name)
        if module is not None:
            names += [(name, attribute) for attribute in dir(module) if attribute[:1] == "Q"]
    return names


def make_enums(module: str, name: str) -> None:
    """Make the class ``name`` of ``module`` and its enum types (its capitalised attributes:
    enums and nested types)."""
    cls = getattr(sys.modules[module], name, None)
    if not isinstance(cls, type):
        return
    for attribute in dir(cls):
        if attribute[:1].isupper():
            try:
                getattr(cls, attribute)
            except Exception:  # an attribute PySide cannot give: nothing to make ahead
                continue


class EnumWarmUp(QObject):
    """Makes the classes ``names`` (module, class) and their enum types, a few per turn;
    ``done`` once finished."""

    def __init__(
        self,
        owner: QObject | None,
        names: Iterable[tuple[str, str]] | None = None,
        make: Callable[[str, str], None] = make_enums,
    ) -> None:
        super().__init__(owner)
        self._make = make
        self.setObjectName("qtEnumWarmUp")
        self._left = deque(qt_class_names() if names is None else names)
        self.turns = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TURN_GAP_MS)
        self._timer.timeout.connect(self._turn)
        self._timer.start()

    @property
    def done(self) -> bool:
        return not self._left

    def _turn(self) -> None:
        if results_shown_this_turn():  # a list's rows or a tab's part took this turn
            return
        self.turns += 1
        started = time.thread_time()
        while self._left:
            self._make(*self._left.popleft())
            if (time.thread_time() - started) * 1000 >= TURN_BUDGET_MS:
                break
        if not self._left:
            self._timer.stop()
            self.deleteLater()
            keep_long_lived()  # the types made live as long as the process (ui/collector.py)
