"""Run work off the UI thread, deliver its result in the UI thread (after Anki's QueryOp).

    BackgroundOp(parent, lambda: users.authenticate(...))
        .success(on_signed_in)
        .failure(on_refused)
        .with_progress(self.tr("Signing in…"))
        .run_in_background()

Floor actions (a scan, a floor button's save) use ``FloorOp`` instead: the same, but run on the
station's one floor worker, so they run one at a time, in the order they were asked for.

The work runs on a thread pool and must not touch widgets; it opens its own database
session through the service it calls. A busy cursor appears after 300 ms and a progress dialog
after 600 ms, so fast work never flashes anything. Domain errors go to ``failure`` (default: the
shared error display); any other exception goes to ``sys.excepthook`` (the crash dialog).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from app.errors import DomainError

T = TypeVar("T")

BUSY_CURSOR_AFTER_MS = 300
PROGRESS_DIALOG_AFTER_MS = 600

# Ops in flight: Python must keep them alive until their result is delivered.
_running: set[BackgroundOp[Any]] = set()
_floor_pool: QThreadPool | None = None


def floor_pool() -> QThreadPool:
    """The station's floor worker: one thread, so floor actions run one at a time, in order
    (a pool queues work of equal priority first in, first out). Reads for lists may run beside
    it on the global pool."""
    global _floor_pool
    if _floor_pool is None:
        _floor_pool = QThreadPool()
        _floor_pool.setObjectName("floorWorker")
        _floor_pool.setMaxThreadCount(1)
    return _floor_pool


class _Relay(QObject):
    """Lives in the UI thread: signals emitted by the worker are queued to it."""

    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # delivered to the UI thread, never lost
            self._emit(self._relay.failed, error)
        else:
            self._emit(self._relay.finished, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed while the work ran: nobody is waiting for it
            pass


class BackgroundOp(QObject, Generic[T]):
    def __init__(self, parent: QWidget | None, work: Callable[[], T]) -> None:
        super().__init__(None)
        self._parent = parent
        self._work = work
        self._on_success: Callable[[T], None] = lambda _result: None
        self._on_failure: Callable[[DomainError], None] | None = None
        self._always: Callable[[], None] = lambda: None
        self._progress_label: str | None = None
        self._progress: QProgressDialog | None = None
        self._cursor_set = False
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._cursor_timer = self._single_shot(BUSY_CURSOR_AFTER_MS, self._show_busy_cursor)
        self._dialog_timer = self._single_shot(PROGRESS_DIALOG_AFTER_MS, self._show_progress)

    def _single_shot(self, delay_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay_ms)
        timer.timeout.connect(slot)
        return timer

    def success(self, callback: Callable[[T], None]) -> BackgroundOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[DomainError], None]) -> BackgroundOp[T]:
        self._on_failure = callback
        return self

    def always(self, callback: Callable[[], None]) -> BackgroundOp[T]:
        """Called in the UI thread after ``success`` or ``failure`` (or an unexpected error),
        unless the widget that asked is gone."""
        self._always = callback
        return self

    def with_progress(self, label: str) -> BackgroundOp[T]:
        self._progress_label = label
        return self

    def run_in_background(self) -> None:
        _running.add(self)
        self._cursor_timer.start()
        if self._progress_label is not None:
            self._dialog_timer.start()
        self._pool().start(_Job(self._work, self._relay))

    def _pool(self) -> QThreadPool:
        return QThreadPool.globalInstance()

    @Slot()
    def _show_busy_cursor(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._cursor_set = True

    @Slot()
    def _show_progress(self) -> None:
        dialog = QProgressDialog(self._progress_label or "", "", 0, 0, self._parent)
        dialog.setObjectName("progressDialog")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._progress = dialog

    def _done(self) -> None:
        self._cursor_timer.stop()
        self._dialog_timer.stop()
        if self._cursor_set:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_set = False
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        _running.discard(self)

    def _parent_gone(self) -> bool:
        """The widget that asked was deleted while the work ran (its window closed)."""
        return self._parent is not None and not isValid(self._parent)

    @Slot(object)
    def _finished(self, result: T) -> None:
        self._done()
        if self._parent_gone():  # nobody is waiting for this result: drop it quietly
            return
        try:
            self._on_success(result)
        finally:
            self._always()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._done()
        if self._parent_gone():
            if not isinstance(error, DomainError):
                sys.excepthook(type(error), error, error.__traceback__)
            return
        try:
            if not isinstance(error, DomainError):
                sys.excepthook(type(error), error, error.__traceback__)
            elif self._on_failure is not None:
                self._on_failure(error)
            else:
                from ui.widgets.feedback import show_domain_error

                show_domain_error(self._parent, error)
        finally:
            self._always()


class FloorOp(BackgroundOp[T]):
    """A floor action (a scan, a save): run on the station's one floor worker, after every floor
    action asked for before it (after Anki's CollectionOp)."""

    def _pool(self) -> QThreadPool:
        return floor_pool()
