"""The scans of one desk, handled one at a time, in the order they were scanned.

A scan becomes a ``FloorJob``: its ``work`` (the lookups and the save, no widgets) runs on the
station's floor worker (``ui.ops.FloorOp``), its ``done`` shows the result in the UI thread. The
next scan is turned into a job only when the one before it is done, so it sees the desk as the
scan before it left it (a box opened, an order chosen); scans that arrive meanwhile wait here,
never lost, and the scan field stays free to take them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.errors import DomainError
from ui.ops import FloorOp


@dataclass(frozen=True)
class FloorJob:
    work: Callable[[], Any]  # runs on the floor worker: services only, never a widget
    done: Callable[[Any], None]  # runs in the UI thread with what ``work`` returned
    failed: Callable[[DomainError], None] | None = None  # a refusal (default: the message line)
    always: Callable[[], None] | None = (
        None  # after ``done`` or ``failed`` (a button enabled again)
    )


class ScanDesk(Protocol):
    def scan_job(self, code: str) -> FloorJob | None: ...

    def guarded(self, action: Callable[[], None]) -> None: ...

    def show_refusal(self, error: DomainError) -> None: ...


class ScanQueue(QObject):
    """``push`` a scanned code; ``idle`` once every scan pushed is handled."""

    became_idle = Signal()

    def __init__(self, desk: ScanDesk, widget: QWidget) -> None:
        super().__init__(widget)
        self.setObjectName("scanQueue")
        self._desk = desk
        self._widget = widget
        self._codes: deque[str | FloorJob] = deque()
        self._busy = False

    @property
    def idle(self) -> bool:
        return not self._busy and not self._codes

    @property
    def waiting(self) -> int:
        """Scans waiting behind the one being handled."""
        return len(self._codes) - 1 if self._busy else len(self._codes)

    def push(self, code: str) -> None:
        """A scanned code: handled after every scan and action pushed before it."""
        self._codes.append(code)
        if not self._busy:
            self._next()

    def run(self, job: FloorJob) -> None:
        """Run a floor action that is not a scan (a button's save) in line with the scans."""
        self.push_job(job)

    def push_job(self, job: FloorJob) -> None:
        self._codes.append(job)
        if not self._busy:
            self._next()

    def _next(self) -> None:
        while self._codes and not self._busy:
            item = self._codes[0]
            job: FloorJob | None = item if isinstance(item, FloorJob) else None

            def make(code: str | FloorJob = item) -> None:
                nonlocal job
                if isinstance(code, str):
                    job = self._desk.scan_job(code)

            self._desk.guarded(make)  # a scan refused before any work (empty, malformed)
            if job is None:
                self._codes.popleft()
                continue
            self._start(job)
        if self.idle:
            self.became_idle.emit()

    def _start(self, job: FloorJob) -> None:
        self._busy = True
        op = FloorOp(self._widget, job.work)
        op.success(lambda result: self._desk.guarded(lambda: job.done(result)))
        op.failure(job.failed or self._desk.show_refusal)
        op.always(lambda: self._finished(job))
        op.run_in_background()

    def _finished(self, job: FloorJob) -> None:
        try:
            if job.always is not None:
                job.always()
        finally:
            self._finished_next()

    def _finished_next(self) -> None:
        self._codes.popleft()
        self._busy = False
        self._next()
