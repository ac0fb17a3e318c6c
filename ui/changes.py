"""The change broadcast: after each committed write, one Qt signal tells every view what changed.

``Database.subscribe`` calls its listener in the writing thread (a background op, or another
station's import); the bridge collects the table names and delivers them once, queued, in the
UI thread, so several writes in a row cause one refresh.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.db import Database
from app.livesync import ChangeWatcher


class ChangeBridge(QObject):
    """``tables_changed(frozenset[str])`` in the UI thread after writes to ``db``."""

    tables_changed = Signal(object)
    _wake = Signal()

    def __init__(
        self, db: Database, parent: QObject | None = None, *, watch_other_stations: bool = True
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changeBridge")
        self._db = db
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        db.subscribe(self._on_commit)
        # Other stations' commits arrive through the same broadcast (app/livesync.py).
        self._watcher = ChangeWatcher(db).start() if watch_other_stations else None

    def watching(self, timeout: float) -> bool:
        """Wait until other stations' commits are sure to be heard (False: not watching)."""
        return self._watcher is not None and self._watcher.ready.wait(timeout)

    def close(self) -> None:
        """Stop listening (the window closes; the database may live on, e.g. in tests)."""
        self._db.unsubscribe(self._on_commit)
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _on_commit(self, tables: frozenset[str]) -> None:  # any thread
        with self._lock:
            first = not self._pending
            self._pending |= tables
        if first:
            try:
                self._wake.emit()
            except RuntimeError:  # the Qt side is gone: stop listening
                self._db.unsubscribe(self._on_commit)

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            tables, self._pending = frozenset(self._pending), set()
        if tables:
            self.tables_changed.emit(tables)
