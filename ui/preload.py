"""The modules of the tabs not built yet, imported on a worker thread once the window is up.

A tab is built when it is first shown (ui/tab_slot.py); importing its modules was about half of
that first show, on the UI thread. Shortly after the window shows, one daemon thread imports them
(and the libraries a first document or Excel sheet needs), so the first show only builds widgets.
Importing holds the interpreter in short slices (the UI thread gets it back within the switch
interval) and takes each module's import lock: a tab shown while its module is being imported
waits for that import to end, no longer than it would have taken itself. Nothing is built, no Qt
object made: a module only defines classes and constants.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

AFTER_SHOWN_MS = 2_000  # the window's first paint and its lists' first reads go first
WAITING_FOR_IMPORTS = "preloadWaitingForImports"  # the timer that polls, while it does
IMPORTED_POLL_MS = 200  # how often the UI thread looks whether the imports are done
# Read by a first document or Excel sheet (a waybill, a label, a ledger), not by a tab's build;
# and the scan sounds' QtMultimedia (ui/widgets/sounds.py), else imported by the first scan's
# result on the UI thread (70-170 ms).
LIBRARIES = (
    "reportlab.pdfgen.canvas",
    "reportlab.graphics.barcode.code128",
    "openpyxl",
    "PySide6.QtMultimedia",
)


def import_all(modules: Sequence[str]) -> list[str]:
    """Import ``modules`` in turn; those that failed (logged, never raised: the tab imports its
    module again when built, and says why there)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            log.warning("preloading %s failed", name, exc_info=True)
            failed.append(name)
    return failed


def with_their_packages(tab_modules: Sequence[str]) -> list[str]:
    """Each tab's module, then the other modules of its package and the modules of other packages
    it names in ``PRELOAD``: a tab's module imports only what its header and scan field need,
    its parts, dialogs and panels import the rest when built or opened (ui/receiving/tab.py), so
    those are what a first show would import. Imports the tab modules (in the preload thread)."""
    wanted: list[str] = []
    for name in tab_modules:
        wanted.append(name)
        package = name.rpartition(".")[0]
        spec = importlib.util.find_spec(package) if package else None
        for info in pkgutil.iter_modules(spec.submodule_search_locations or () if spec else ()):
            wanted.append(f"{package}.{info.name}")
        try:
            wanted += getattr(importlib.import_module(name), "PRELOAD", ())
        except Exception:  # said by import_all, which tries it again
            pass
    return list(dict.fromkeys(wanted))


def preload_later(owner: QObject, modules: Sequence[str]) -> QTimer:
    """After ``AFTER_SHOWN_MS``, import ``modules`` and the rest of their packages, then
    ``LIBRARIES``, on a daemon thread."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(AFTER_SHOWN_MS)
    timer.timeout.connect(lambda: _import_in_background(owner, modules))
    timer.start()
    return timer


def _import_in_background(owner: QObject, tab_modules: Sequence[str]) -> None:
    def import_them() -> None:
        import_all([*with_their_packages(tab_modules), *LIBRARIES])

    thread = threading.Thread(target=import_them, name="preload", daemon=True)
    thread.start()
    # Imported: the scan sounds are made in the UI thread, one per turn, before the first scan
    # needs them (ui/widgets/sounds.py)
    waiting = QTimer(owner)
    waiting.setObjectName(WAITING_FOR_IMPORTS)
    waiting.setInterval(IMPORTED_POLL_MS)

    def when_imported() -> None:
        if thread.is_alive():
            return
        waiting.stop()
        waiting.setObjectName("")  # no longer waiting (deleted after this turn)
        waiting.deleteLater()
        from ui.collector import keep_long_lived
        from ui.qt_enums import EnumWarmUp
        from ui.widgets.sounds import sounds

        # The modules imported live as long as the process: out of the collector's walks, or
        # the next full collection walks them all, ~30 ms of the UI thread in a tab's first show
        keep_long_lived()
        sounds().warm_up()
        EnumWarmUp(owner)  # then Qt's enum types, in idle turns (ui/qt_enums.py)

    waiting.timeout.connect(when_imported)
    waiting.start()
