"""Python's cyclic garbage collector runs in the UI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a threshold is
crossed — often the floor worker (ui/ops.py) in the middle of a save. If the cycle it frees holds
the wrapper of a Qt object made in the UI thread, the C++ object is destroyed from the worker
thread, which Qt does not allow: the process crashes (seen in CI under a calendar fill). So, as
Anki, pyqtgraph and calibre do, automatic collection is switched off and a timer in the UI thread
collects the generations whose thresholds were crossed, the same work the interpreter would have
done, in the one thread where Qt objects may die.

Reference counting frees everything that is not in a cycle at once, in any thread, as before.

What start-up makes (the modules, the window, each tab once built) lives as long as the window:
``keep_long_lived`` moves it out of the collector's sight (``gc.freeze``), so a full collection
walks only what was made since, not the whole heap: left in sight, every full collection (in
whichever thread it falls) held the interpreter, and so the UI thread, for 100–500 ms on the
floor benchmark. ``release_long_lived`` hands it back when the window closes (a sign-out), so
its cycles are freed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_EVERY_MS = 1000


def keep_long_lived() -> None:
    """Everything alive now is kept out of later collections (until ``release_long_lived``)."""
    gc.freeze()


def release_long_lived() -> None:
    """What ``keep_long_lived`` kept is collected again, as any object."""
    gc.unfreeze()


class MainThreadCollector(QObject):
    """Switches automatic collection off while it lives; its timer collects in the UI thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = COLLECT_EVERY_MS) -> None:
        super().__init__(parent)
        self.setObjectName("mainThreadCollector")
        self._threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose thresholds were crossed (youngest first, as the
        interpreter does); returns how many unreachable objects were found."""
        counts = gc.get_count()
        found = 0
        for generation in range(3):
            if (
                self._threshold[generation] <= 0
                or counts[generation] <= self._threshold[generation]
            ):
                break
            found = gc.collect(generation)
        return found

    def stop(self) -> None:
        """Collect once more here, in the UI thread, and give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
