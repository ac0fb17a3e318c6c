"""Where a floor scan's time goes, printed on stderr by the ``floor`` benchmark (never a figure).

Each scan is cut into phases: ``ui`` (Enter until its work is handed to the floor worker, in the
UI thread), ``wait`` (handed over until the worker starts it), ``work`` (on the floor worker),
``back`` (the work done until the UI thread delivers its result: the UI thread was busy with
something else meanwhile, or the worker waited for the interpreter), ``done`` (the result shown,
in the UI thread) and ``rest`` (shown until the desk is idle). Beside them: the SQL statements
run in the UI thread during the scan, and the garbage collections that ran in the UI thread (the
collector runs there only: ui/collector.py) with their time.
"""

from __future__ import annotations

import gc
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

PHASES = ("ui", "wait", "work", "back", "done", "rest")


@dataclass
class ScanTrace:
    entered: float
    ui_cpu_started: float  # the UI thread's CPU time at Enter
    ui_cpu_ms: float = 0.0  # the UI thread's CPU time from Enter until idle
    work_cpu_ms: float = 0.0  # the floor worker's CPU time for the work
    submitted: float | None = None
    work_started: float | None = None
    work_ended: float | None = None
    delivered: float | None = None
    shown: float | None = None
    idle: float | None = None
    statements: list[str] = field(default_factory=list)  # run in the UI thread
    collections: list[tuple[int, float]] = field(default_factory=list)  # (generation, ms)

    def phases(self) -> dict[str, float]:
        marks = [
            self.entered,
            self.submitted,
            self.work_started,
            self.work_ended,
            self.delivered,
            self.shown,
            self.idle,
        ]
        out: dict[str, float] = {}
        last = self.entered
        for name, mark in zip(PHASES, marks[1:], strict=True):
            if mark is None:
                out[name] = 0.0
                continue
            out[name] = (mark - last) * 1000
            last = mark
        return out

    def total_ms(self) -> float:
        return ((self.idle or self.entered) - self.entered) * 1000

    def line(self) -> str:
        phases = " ".join(f"{name} {ms:.1f}" for name, ms in self.phases().items())
        gcs = " ".join(f"gen{g} {ms:.1f}" for g, ms in self.collections) or "none"
        return (
            f"{self.total_ms():7.1f} ms = {phases}; CPU: UI {self.ui_cpu_ms:.1f} work "
            f"{self.work_cpu_ms:.1f}; UI-thread SQL {len(self.statements)}; "
            f"UI-thread GC {gcs}"
        )


class FloorTrace:
    """Installed around the benchmark's scans: ``begin()`` at Enter, ``end()`` once idle."""

    def __init__(self, engine: Any) -> None:
        self.current: ScanTrace | None = None
        self.scans: list[ScanTrace] = []
        self._engine = engine
        self._gc_started = 0.0

    def begin(self) -> None:
        self.current = ScanTrace(time.perf_counter(), time.thread_time())

    def end(self) -> ScanTrace:
        assert self.current is not None
        self.current.idle = time.perf_counter()
        self.current.ui_cpu_ms = (time.thread_time() - self.current.ui_cpu_started) * 1000
        trace, self.current = self.current, None
        self.scans.append(trace)
        return trace

    @contextmanager
    def installed(self) -> Iterator[FloorTrace]:
        from ui import ops

        run, finished, failed = (
            ops.FloorOp.run_in_background,
            ops.FloorOp._finished,
            ops.FloorOp._failed,
        )
        tracer = self

        def traced_run(op: Any) -> None:
            trace = tracer.current
            if trace is not None:
                work = op._work

                def timed() -> Any:
                    trace.work_started = time.perf_counter()
                    cpu = time.thread_time()
                    try:
                        return work()
                    finally:
                        trace.work_ended = time.perf_counter()
                        trace.work_cpu_ms = (time.thread_time() - cpu) * 1000

                op._work = timed
                trace.submitted = time.perf_counter()
            run(op)

        def delivering(original: Any) -> Any:
            def deliver(op: Any, value: Any) -> None:
                trace = tracer.current
                if trace is not None:
                    trace.delivered = time.perf_counter()
                try:
                    original(op, value)
                finally:
                    if trace is not None:
                        trace.shown = time.perf_counter()

            return deliver

        def statement(_conn, _cursor, sql: str, *_args: Any) -> None:
            trace = tracer.current
            if trace is not None and threading.current_thread() is threading.main_thread():
                trace.statements.append(" ".join(sql.split())[:100])

        def collected(phase: str, info: dict[str, int]) -> None:
            if threading.current_thread() is not threading.main_thread():
                return
            if phase == "start":
                tracer._gc_started = time.perf_counter()
            elif tracer.current is not None:
                spent = (time.perf_counter() - tracer._gc_started) * 1000
                tracer.current.collections.append((info["generation"], spent))

        ops.FloorOp.run_in_background = traced_run  # type: ignore[method-assign]
        ops.FloorOp._finished = delivering(finished)  # type: ignore[method-assign]
        ops.FloorOp._failed = delivering(failed)  # type: ignore[method-assign]
        event.listen(self._engine, "before_cursor_execute", statement)
        gc.callbacks.append(collected)
        try:
            yield self
        finally:
            gc.callbacks.remove(collected)
            event.remove(self._engine, "before_cursor_execute", statement)
            ops.FloorOp.run_in_background = run  # type: ignore[method-assign]
            ops.FloorOp._finished = finished  # type: ignore[method-assign]
            ops.FloorOp._failed = failed  # type: ignore[method-assign]

    def report(self, name: str, slowest: int = 3) -> None:
        """The tab's phases (median and worst) and its slowest scans, on stderr."""
        scans, self.scans = self.scans, []
        if not scans:
            return
        per_phase = {phase: [scan.phases()[phase] for scan in scans] for phase in PHASES}
        medians = " ".join(f"{p} {statistics.median(v):.1f}" for p, v in per_phase.items())
        worst = " ".join(f"{p} {max(v):.1f}" for p, v in per_phase.items())
        sql = sum(len(scan.statements) for scan in scans)
        ui_cpu = statistics.median(scan.ui_cpu_ms for scan in scans)
        work_cpu = statistics.median(scan.work_cpu_ms for scan in scans)
        print(
            f"    {name} CPU median: UI thread {ui_cpu:.1f} ms, work {work_cpu:.1f} ms",
            file=sys.stderr,
        )
        print(f"    {name} phases median: {medians}", file=sys.stderr)
        print(f"    {name} phases worst:  {worst}", file=sys.stderr)
        print(f"    {name} UI-thread SQL statements in {len(scans)} scans: {sql}", file=sys.stderr)
        slow = sorted(range(len(scans)), key=lambda n: scans[n].total_ms(), reverse=True)
        for number in slow[:slowest]:
            scan = scans[number]
            print(f"    {name} slow scan #{number + 1} {scan.line()}", file=sys.stderr)
            for sql_text in scan.statements[:3]:
                print(f"      UI-thread SQL: {sql_text}", file=sys.stderr)
