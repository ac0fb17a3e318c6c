"""The change broadcast: after each committed write, one Qt signal tells every view what changed.

``Database.subscribe`` calls its listener in the writing thread (a background op, or another
station's import); the bridge collects the table names and delivers them once, queued, in the
UI thread, so several writes in a row cause one refresh.

Views take the broadcast through ``when_seen``: the one on screen reloads at once, a hidden one
(another tab, a page not chosen) only notes what changed and reloads when it is shown, so a
commit costs the views nobody sees nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.db import Database
from app.livesync import ChangeWatcher
from ui.widgets.lifetime import tolerant_filter


class ChangeBridge(QObject):
    """``tables_changed(frozenset[str])`` in the UI thread after writes to ``db``; and, when
    another station restores or moves the database, ``database_closed(refusal)`` then (once it
    is over) ``database_back()`` (see app/maintenance.py)."""

    tables_changed = Signal(object)
    database_closed = Signal(object)
    database_back = Signal()
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
        self._watch_others = watch_other_stations
        self._watcher = self._new_watcher() if watch_other_stations else None

    def _new_watcher(self) -> ChangeWatcher:
        """The watcher; its restore notices reach the UI thread through queued signals."""
        return ChangeWatcher(
            self._db, on_closed=self._closed_elsewhere, on_back=self._back_elsewhere
        ).start()

    def _closed_elsewhere(self, refusal: object) -> None:  # the watcher's thread
        try:
            self.database_closed.emit(refusal)
        except RuntimeError:  # the Qt side is gone
            pass

    def _back_elsewhere(self) -> None:  # the watcher's thread
        try:
            self.database_back.emit()
        except RuntimeError:
            pass

    def watching(self, timeout: float) -> bool:
        """Wait until other stations' commits are sure to be heard (False: not watching)."""
        return self._watcher is not None and self._watcher.ready.wait(timeout)

    def stop_watching(self) -> None:
        """Stop hearing other stations for a while: a restore switches the database only when
        this station holds no connection to it (the watcher's included)."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def watch_again(self) -> None:
        """Hear other stations again after ``stop_watching`` (a restore that was refused)."""
        if self._watch_others and self._watcher is None:
            self._watcher = self._new_watcher()

    def close(self) -> None:
        """Stop listening (the window closes; the database may live on, e.g. in tests)."""
        self._db.unsubscribe(self._on_commit)
        self._watch_others = False
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


class SeenChanges(QObject):
    """The change broadcast for one view: at once while it is visible, else when next shown."""

    def __init__(
        self,
        view: QWidget,
        changes: ChangeBridge,
        handler: Callable[[frozenset[str]], None],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._handler = handler
        self._stale: set[str] = set()
        view.installEventFilter(self)
        changes.tables_changed.connect(self._changed)

    @property
    def stale(self) -> frozenset[str]:
        """The tables changed since the view was last shown (it reloads them when shown)."""
        return frozenset(self._stale)

    @Slot(object)
    def _changed(self, tables: frozenset[str]) -> None:
        if not vars(self):  # torn down by the collector (ui/widgets/lifetime.py)
            return
        if self._view.isVisible():
            self._handler(tables)
        else:
            self._stale |= tables

    @tolerant_filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self._stale:
            tables, self._stale = frozenset(self._stale), set()
            self._handler(tables)
        return False


def when_seen(
    view: QWidget, changes: ChangeBridge, handler: Callable[[frozenset[str]], None]
) -> SeenChanges:
    """Call ``handler(tables)`` after commits, while ``view`` is visible or once it is shown."""
    return SeenChanges(view, changes, handler)
