"""``floor``: what an admin's window costs on the floor, driven offscreen on the real tabs.

- ``<tab>_scan_to_idle_p50_ms`` / ``_p99_ms``: an order label typed into the tab's scan field
  (Enter) until the tab is idle again (looked up on the floor worker, shown) — the receiving
  desk (no box open: the order is shown), the allocation desk (the dispatcher's page), the parts
  counter, QC (an order on the rack: its sign-off dialog opens, then is closed), shipping (a
  shipped order: refused, on the message line) and the complaint register. These scans only
  read, so the shared data set is left as it was. Each tab's scans start once the tab shown has
  read its lists and the window has imported what it preloads (the first seconds after start-up
  are the start-up's figures): a desk's scans, not the tab's first show, are timed.
- ``ui_block_max_ms``: the longest stall of the UI thread meanwhile (a 10 ms timer's lateness).
- ``commit_broadcast_ui_ms``: UI-thread time the window spends on one commit's change broadcast
  (a receiving scan's tables) with the receiving tab shown: median of 20.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.models import RepairOrder, RepairState
from app.users import actor_for_username

from . import BenchEnv, Figure, benchmark, percentile
from .dataset import ADMIN_USERNAME
from .floor_trace import FloorTrace

# Per tab. With the nearest rank, a p99 of 60 scans was their slowest one: of 200, the third
# slowest (one cold first scan is not the tab's p99).
SCANS = 200
SETTLE_AT_MOST_S = 60
BROADCASTS = 20
RECEIVING_COMMIT = frozenset({"repair_orders", "units", "audit_log", "inbound_boxes", "sales"})


class StallMonitor:
    """A 10 ms timer in the UI thread; its lateness is how long the thread was blocked. The
    benchmark names what it is doing (``phase``): the longest blocks are printed with the phase
    they ran in (``report``), so ``ui_block_max_ms`` says where it comes from."""

    KEPT = 5

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst_ms = 0.0
        self.phase = "start"
        self.blocks: list[tuple[float, str]] = []  # the longest, longest first
        self._last = time.perf_counter()
        self._phase = self.phase  # at the last tick: a block runs from there to the next
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = (now - self._last) * 1000 - 10
        self.worst_ms = max(self.worst_ms, late)
        if len(self.blocks) < self.KEPT or late > self.blocks[-1][0]:
            phase = self.phase if self.phase == self._phase else f"{self._phase} → {self.phase}"
            self.blocks = sorted([*self.blocks, (late, phase)], reverse=True)[: self.KEPT]
        self._last, self._phase = now, self.phase

    def stop(self) -> None:
        self._timer.stop()

    def report(self) -> None:
        blocks = ", ".join(f"{late:.0f} ms ({phase})" for late, phase in self.blocks)
        print(f"  longest UI-thread blocks: {blocks}", file=sys.stderr)


def _orders(db: Database, state: RepairState | None, count: int) -> list[str]:
    with db.read() as session:
        query = select(RepairOrder.order_no)
        if state is not None:
            query = query.where(RepairOrder.state == state)
        top = session.scalar(select(func.max(RepairOrder.id))) or 0
        rng = random.Random(7)
        numbers: list[str] = []
        for _ in range(count * 4):  # a few tries: a small data set may hold few such orders
            if len(numbers) >= count or not top:
                break
            start = rng.randint(1, top)
            numbers += session.scalars(query.where(RepairOrder.id >= start).limit(5)).all()
        if not numbers:  # none from a random point on: any of them, from the start
            numbers = list(session.scalars(query.limit(count)).all())
        return numbers[:count]


def _scan_to_idle(app, tab, codes: list[str], trace: FloorTrace | None = None) -> list[float]:
    """Each code typed into the scan field, then Enter: the time from Enter until idle."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    samples = []
    # Not a spin (processEvents returning at once, again and again): a Python loop spinning in
    # the UI thread takes the interpreter from the floor worker every turn, and the scan waited
    # for the interpreter's switch interval (5 ms) many times over; a window waits in its event
    # loop with the interpreter released.
    waiting = (
        QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    )
    field = tab.scan_bar.field
    handled = []
    tab.scans.became_idle.connect(lambda: handled.append(True))
    for code in codes:
        field.setText(code)
        if trace is not None:
            trace.begin()
        started = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_Return)
        while not tab.scans.idle:  # blocked in the event loop meanwhile, as the window is
            app.processEvents(waiting)
        samples.append((time.perf_counter() - started) * 1000)
        if trace is not None:
            trace.end()
    assert len(handled) >= len(codes), "a scan was not handled"
    return samples


def _settle(app: Any, window: Any) -> float:
    """Wait until the window's reads, the tab's parts (built one per turn) and its preloading
    are done; how long it took (ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.ops import ops_in_flight
    from ui.preload import WAITING_FOR_IMPORTS
    from ui.widgets.sounds import sounds

    started = time.perf_counter()
    preload = getattr(window, "_preload", None)  # ui/preload.py: a timer, then a thread

    def busy() -> bool:  # then the scan sounds made ahead (the stall monitor sees them)
        return bool(
            ops_in_flight()
            or (preload is not None and preload.isActive())
            or any(thread.name == "preload" for thread in threading.enumerate())
            or window.findChild(QTimer, WAITING_FOR_IMPORTS) is not None
            or sounds().warming_up
        )

    while busy() and time.perf_counter() - started < SETTLE_AT_MOST_S:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)
    return (time.perf_counter() - started) * 1000


def _close_sign_off(tab: Any) -> None:
    if tab.sign_off_dialog is not None:
        tab.sign_off_dialog.reject()


@benchmark("floor")
def floor(env: BenchEnv) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.application import build_main_window, create_application

    app = create_application("zh_CN")
    db = Database(env.url)
    figures: list[Figure] = []
    try:
        ctx = Context(db, actor_for_username(db, ADMIN_USERNAME), "bench-floor", SystemClock())
        window = build_main_window(ctx)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        scans = min(SCANS, max(5, env.orders // 50))  # a tiny data set (a smoke test): fewer
        received = _orders(db, RepairState.RECEIVED, scans)
        any_orders = _orders(db, None, scans)
        in_qc = _orders(db, RepairState.IN_QC, scans)
        shipped = _orders(db, RepairState.SHIPPED, scans)
        monitor = StallMonitor()  # after the benchmark's own reads: it times the window alone
        tracer = FloorTrace(db.engine)  # where each scan's time goes (stderr only)
        runs: dict[str, tuple[str, list[str], Callable[[Any], None]]] = {
            "receiving": ("receivingTab", any_orders, lambda tab: None),
            "allocation": ("allocationTab", received, lambda tab: tab.dispatch.basket.clear()),
            "parts": ("partsTab", any_orders, lambda tab: None),
            "qc": ("qcTab", in_qc, _close_sign_off),
            "shipping": ("shippingTab", shipped, lambda tab: None),
            "complaints": ("complaintsTab", any_orders, lambda tab: tab.form.clear_orders()),
        }
        for name, (object_name, codes, reset) in runs.items():
            if not codes:
                print(f"  {name}: no order to scan in this data set", file=sys.stderr)
                continue
            monitor.phase = f"{name}: tab shown (built)"
            window.show_tab(object_name)  # the tab's scan field at once, its parts after
            app.processEvents()
            settled_ms = _settle(app, window)  # its parts built (in flight until then)
            tab = window.page(object_name)
            print(f"  {name}: shown and settled in {settled_ms:.0f} ms", file=sys.stderr)
            samples = []
            with tracer.installed():
                for number, code in enumerate(codes, start=1):
                    monitor.phase = f"{name}: scan {number}"
                    samples += _scan_to_idle(app, tab, [code], tracer)
                    monitor.phase = f"{name}: after scan {number}"
                    reset(tab)
            print(f"  {name}: {len(samples)} scans", file=sys.stderr)
            tracer.report(name)
            figures += [
                Figure(f"{name}_scan_to_idle_p50_ms", percentile(samples, 0.50), "ms"),
                Figure(f"{name}_scan_to_idle_p99_ms", percentile(samples, 0.99), "ms"),
            ]
        monitor.phase = "end"
        app.processEvents()
        monitor.stop()
        monitor.report()
        figures.append(Figure("ui_block_max_ms", max(monitor.worst_ms, 0.0), "ms"))
        window.show_tab("receivingTab")
        app.processEvents()
        costs = []
        for _ in range(BROADCASTS):
            started = time.perf_counter()
            window.changes.tables_changed.emit(RECEIVING_COMMIT)
            costs.append((time.perf_counter() - started) * 1000)
            app.processEvents()
        figures.append(Figure("commit_broadcast_ui_ms", statistics.median(costs), "ms"))
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        db.dispose()
    return figures
