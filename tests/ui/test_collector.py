"""Cycles holding Qt objects are freed in the UI thread only (ui/collector.py), and an event
filter whose Python half the collector cleared lets events pass (ui/widgets/lifetime.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QWidget

from ui.changes import ChangeBridge, when_seen
from ui.collector import MainThreadCollector


class _Holder:
    """A cycle (it refers to itself) holding a QObject made in the UI thread."""

    def __init__(self) -> None:
        self.me = self
        self.qobject = QObject()


def test_a_worker_thread_allocating_never_collects_a_cycle_of_the_ui_thread(qtbot):
    assert not gc.isenabled()  # the tests' fixture runs the collector, as the application does
    holder = _Holder()
    gone = weakref.ref(holder)
    destroyed_in: list[bool] = []
    holder.qobject.destroyed.connect(
        lambda: destroyed_in.append(QThread.currentThread() is qtbot_thread)
    )
    qtbot_thread = QThread.currentThread()
    del holder

    kept: list[object] = []

    def allocate() -> None:  # far past the youngest generation's threshold, and kept
        kept.extend([[], {}] for _ in range(20 * gc.get_threshold()[0]))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert gone() is not None  # nothing collected it in the worker
    assert gc.get_count()[0] > gc.get_threshold()[0]  # though a collection is due
    qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=5_000)
    gc.collect()  # (a collection of the young generation runs from the timer, in this thread)
    assert gone() is None
    assert destroyed_in == [True]


def test_a_stopped_collector_leaves_collection_as_it_found_it(qapp):
    assert not gc.isenabled()  # the tests' own collector (tests/conftest.py)
    gc.enable()  # as in a process with no collector yet
    try:
        collector = MainThreadCollector()
        assert not gc.isenabled()
        collector.stop()
        assert gc.isenabled()
        collector.deleteLater()
    finally:
        gc.disable()


def test_an_event_filter_cleared_by_the_collector_lets_events_pass(qtbot, db):
    view = QWidget()
    qtbot.addWidget(view)
    bridge = ChangeBridge(db, view, watch_other_stations=False)
    seen: list[frozenset[str]] = []
    filter_ = when_seen(view, bridge, seen.append)
    filter_._changed(frozenset({"repair_orders"}))  # hidden: noted for later
    vars(filter_).clear()  # what the collector's clearing of a cycle does to it
    view.show()  # Qt still calls the filter: no AttributeError
    filter_._changed(frozenset({"repair_orders"}))
    assert seen == []
    bridge.close()
