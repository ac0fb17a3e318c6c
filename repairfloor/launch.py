"""``repairfloor``: the command's entry point. Start-up runs without Python's cyclic collector.

Importing the application (SQLAlchemy, the models, Qt's bindings, the first tab) allocates some
hundred thousand objects that all live as long as the process; left on, the collector walks them
again and again as they pile up (about 180 collections, one of them over the whole heap: a tenth
of an admin's start), to find the thousand or so cycles start-up leaves behind. So the command
switches automatic collection off before it imports anything: a command without a window
switches it back on once loaded (``repairfloor.cli.main``); the window's collector
(``ui.collector.MainThreadCollector``) collects in the UI thread from then on, as always, and
the window moves what start-up made out of its sight once built (``keep_long_lived``).
"""

from __future__ import annotations

import gc
from types import ModuleType

_paused = False  # switched off by ``load``, not yet back on


def load() -> ModuleType:
    """``repairfloor.cli``, imported with automatic collection off (see above)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
    from repairfloor import cli

    return cli


def resume() -> None:
    """Automatic collection back on if ``load`` switched it off (a command without a window,
    once loaded); never switched on where something else keeps it off (a test's collector)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    return int(load().main(argv))
