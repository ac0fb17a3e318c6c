"""Run work off the UI thread, deliver its result in the UI thread (after Anki's QueryOp).

    BackgroundOp(parent, lambda: users.authenticate(...))
        .success(on_signed_in)
        .failure(on_refused)
        .with_progress(self.tr("Signing in…"))
        .run_in_background()

Floor actions (a scan, a floor button's save) use ``FloorOp`` instead: the same, but run on the
station's one floor worker, so they run one at a time, in the order they were asked for. A list's
rows are read by ``ListRead`` on the read worker beside it, with no busy cursor (the list shows
it is loading).

The work runs on a worker thread and must not touch widgets; it opens its own database
session through the service it calls, holds plain data (a context, a code, never a widget or a
model) and returns plain data, never a Qt object. A busy cursor appears after 300 ms and a
progress dialog after 600 ms, so fast work never flashes anything. Domain errors go to
``failure`` (default: the shared error display); any other exception goes to ``sys.excepthook``
(the crash dialog).

The workers are Python threads fed by a queue (``concurrent.futures``): handing work over never
waits on a Qt thread pool's lock while a worker holds the interpreter. They hand each result to
one ``_Desk`` made in the UI thread and never deleted, by number: the worker holds no Qt object
that could be deleted with it.
"""

from __future__ import annotations

import itertools
import sys
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from app.errors import DomainError

T = TypeVar("T")

BUSY_CURSOR_AFTER_MS = 300
PROGRESS_DIALOG_AFTER_MS = 600
# Workers: (thread name, threads). One floor worker: floor actions in order, one at a time.
BACKGROUND_WORKER = ("background-worker", 4)
FLOOR_WORKER = ("floor-worker", 1)
READ_WORKER = ("read-worker", 2)  # a slow list does not hold up the others for long

# Ops in flight: Python must keep them alive until their result is delivered.
_running: set[BackgroundOp[Any]] = set()
_by_number: dict[int, BackgroundOp[Any]] = {}
_numbers = itertools.count(1)
_executors: dict[str, ThreadPoolExecutor] = {}
_desk_instance: _Desk | None = None
_loading: weakref.WeakSet[QObject] = weakref.WeakSet()  # lists whose reload is not shown yet


def _executor(worker: tuple[str, int]) -> ThreadPoolExecutor:
    name, threads = worker
    if name not in _executors:
        _executors[name] = ThreadPoolExecutor(threads, thread_name_prefix=name)
    return _executors[name]


class _Desk(QObject):
    """Made in the UI thread, never deleted: workers hand it their results, queued to the UI
    thread, by the op's number.

    One result is shown per turn of the event loop, in the order they came: the results of a
    tab's lists read side by side (each a model reset, its columns fitted, then painted) would
    otherwise all be shown in the one turn their events are handled, with the layout and paint
    of what was built in the turn before. A result that comes when none was shown in this turn
    is shown at once; the next ones wait for the next turns (``hold``: a tab's part was just
    built in this turn, its results wait for the next)."""

    delivered = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("workDesk")
        self._waiting: deque[tuple[int, bool, object]] = deque()
        self._held = False  # something was shown (or built) in this turn
        self._turn = QTimer(self)  # the next turn: the next result waiting, if any
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._next_turn)
        self.delivered.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    def hold(self) -> None:
        """Nothing more is shown in this turn of the event loop."""
        self._held = True
        if not self._turn.isActive():
            self._turn.start()

    @property
    def held(self) -> bool:
        return self._held

    def _arrived(self, number: int, ok: bool, value: object) -> None:
        op = _by_number.get(number)
        if op is not None and op._parent_gone() and (ok or isinstance(value, DomainError)):
            _deliver(number, ok, value)  # nobody waits for it: dropped now, shows nothing
            return
        if self._held or self._waiting:  # after those before it, one per turn
            self._waiting.append((number, ok, value))
            return
        self.hold()
        _deliver(number, ok, value)

    def _next_turn(self) -> None:
        self._held = False
        if self._waiting:
            self.hold()
            _deliver(*self._waiting.popleft())


def _desk() -> _Desk:
    global _desk_instance
    if _desk_instance is None:
        _desk_instance = _Desk()
    return _desk_instance


def results_shown_this_turn() -> bool:
    """A result was shown (or a part of a tab built) in this turn of the event loop."""
    return _desk_instance is not None and _desk_instance.held


def hold_results_for_this_turn() -> None:
    """Results of work done come no sooner than the next turn of the event loop (this turn built
    a part of a tab: its layout and paint come first; ui/widgets/build_steps.py)."""
    _desk().hold()


# Work asked for while the window is built and first painted: handed to the workers only after
# that paint. A worker importing a service's modules and querying takes the interpreter from the
# UI thread in slices of the switch interval (5 ms) while it builds and paints the window: at
# start-up, the lists' and counters' first reads made the window come 60-100 ms later.
_held_work: list[tuple[tuple[str, int], int, Callable[[], Any]]] | None = None
HOLD_AT_MOST_MS = 1_000  # a window that is never painted (minimised) holds nothing for longer
_after_paint: list[Callable[[], None]] = []  # what waits for the same paint (after_first_paint)


class _FirstPaint(QObject):
    """On ``window``: its first paint releases the held work, one turn later (the paint whole)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, release_held_work)
        return False


def hold_work_until_painted(window: QWidget) -> None:
    """Work asked for from now on (reads, saves) reaches the workers once ``window`` has been
    painted the first time, in the order asked; at the next turn of the event loop if the window
    is not visible by then (built and not shown), after ``HOLD_AT_MOST_MS`` at the latest, or
    when the window is gone (its deadline goes with it: it never releases a later window's)."""
    global _held_work
    _held_work = [] if _held_work is None else _held_work
    window.installEventFilter(_FirstPaint(window))
    QTimer.singleShot(0, window, lambda: None if window.isVisible() else release_held_work())
    QTimer.singleShot(HOLD_AT_MOST_MS, window, release_held_work)
    window.destroyed.connect(lambda *_: release_held_work())


def release_held_work() -> None:
    """The held work to the workers, in the order it was asked for (nothing if none is held);
    then what waited for the first paint (``after_first_paint``)."""
    global _held_work
    held, _held_work = _held_work, None
    for worker, number, work in held or ():
        _executor(worker).submit(_work_on, number, work, _desk())
    while _after_paint:
        _after_paint.pop(0)()


def after_first_paint(callback: Callable[[], None]) -> None:
    """``callback()`` once the window is painted the first time (now if nothing is held): a tab's
    later parts come after the window's first frame, never before it (ui/widgets/build_steps.py)."""
    if _held_work is None:
        callback()
    else:
        _after_paint.append(callback)


def _work_on(number: int, work: Callable[[], Any], desk: _Desk) -> None:  # in a worker thread
    try:
        result, ok = work(), True
    except BaseException as error:  # delivered to the UI thread, never lost
        result, ok = error, False
    try:
        desk.delivered.emit(number, ok, result)
    except RuntimeError:  # the application is gone: nobody is waiting for it
        pass


def _deliver(number: int, ok: bool, value: object) -> None:  # in the UI thread
    op = _by_number.pop(number, None)
    if op is None:
        return
    if ok:
        op._finished(value)
    else:
        op._failed(value)  # type: ignore[arg-type]


def read_timer(owner: QObject, start_read: Callable[[], None]) -> QTimer:
    """A zero-delay single-shot timer of ``owner``'s: reloads asked for in one turn of the event
    loop start one read, after the turn (``timer.start()`` when asked)."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(start_read)
    return timer


def reads_in_flight() -> int:
    """List reads started and not yet delivered."""
    return sum(isinstance(op, ListRead) for op in _running)


def ops_in_flight() -> int:
    """Work of any kind started and not yet delivered, reads asked for included (tests wait for
    none: a save's change broadcast is delivered before its result, so the lists it reloads are
    asked for by then)."""
    return len(_running) + sum(1 for model in list(_loading) if isValid(model))


def note_loading(model: QObject, loading: bool) -> None:
    """A list's reload was asked for (its read may wait for the event loop) or delivered."""
    if loading:
        _loading.add(model)
    else:
        _loading.discard(model)


class BackgroundOp(QObject, Generic[T]):
    busy_cursor = True  # after BUSY_CURSOR_AFTER_MS
    worker = BACKGROUND_WORKER

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
        if self.busy_cursor:
            self._cursor_timer.start()
        if self._progress_label is not None:
            self._dialog_timer.start()
        number = next(_numbers)
        _by_number[number] = self
        if _held_work is not None:  # a window's first paint first (hold_work_until_painted)
            _held_work.append((self.worker, number, self._work))
            return
        _executor(self.worker).submit(_work_on, number, self._work, _desk())

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

    worker = FLOOR_WORKER


class ListRead(BackgroundOp[T]):
    """A list's rows read on the read worker; no busy cursor: the list shows it is loading.
    ``work`` is a plain function of plain data (it is called in the worker thread): it must not
    hold the model or any other Qt object."""

    busy_cursor = False
    worker = READ_WORKER


class LatestRead(Generic[T]):
    """A small read a widget shows (a pick list, a form's figures), on the read worker: each
    ``run(work)`` reads again, and only the newest read asked for is shown (two reads in flight
    may finish in either order). ``work`` is a plain function of plain data, as for ``ListRead``.

        self._technicians = LatestRead(self, self.technician.fill)
        self._technicians.run(lambda: list(workload(ctx, ctx.now())))
    """

    def __init__(self, parent: QWidget, show: Callable[[T], None]) -> None:
        self._parent = parent
        self._show = show
        self._asked = 0

    def run(self, work: Callable[[], T]) -> None:
        self._asked += 1
        asked = self._asked

        def shown(result: T) -> None:
            if asked == self._asked:  # not overtaken by a newer read
                self._show(result)

        ListRead(self._parent, work).success(shown).run_in_background()

    def drop_pending(self) -> None:
        """Reads in flight are not shown (what they read is older than what is shown now)."""
        self._asked += 1
