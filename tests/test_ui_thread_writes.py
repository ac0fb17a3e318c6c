"""The guard on saves from widgets (tests/ui_thread_writes.py) with its inventory empty: a save a
widget starts on the UI thread is named by the innermost ``ui/`` frame and is not allowed; the
same save on a worker thread, or from a test's own set-up, is not a widget's."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from ui_thread_writes import ON_PURPOSE, STILL_WRITING_ON_THE_UI_THREAD, ui_caller, unexpected

from ui.widgets.floor_tab import FloorTab


def transaction_entered() -> str | None:
    """What the watch (tests/conftest.py) records as a transaction is entered here."""
    return ui_caller()


def test_a_save_run_by_a_widget_on_the_ui_thread_is_named_and_not_allowed() -> None:
    seen: list[str | None] = []
    desk = SimpleNamespace(scan_bar=None)  # what FloorTab.guarded touches besides the action
    FloorTab.guarded(desk, lambda: seen.append(transaction_entered()))  # type: ignore[arg-type]
    assert seen == ["ui/widgets/floor_tab.py:guarded"]
    assert unexpected(["ui/widgets/floor_tab.py:guarded"]) == ["ui/widgets/floor_tab.py:guarded"]
    assert unexpected(sorted(ON_PURPOSE)) == []


def test_the_same_save_on_a_worker_or_from_a_tests_set_up_is_no_widgets() -> None:
    seen: list[str | None] = []
    desk = SimpleNamespace(scan_bar=None)
    worker = threading.Thread(
        target=lambda: FloorTab.guarded(desk, lambda: seen.append(transaction_entered()))  # type: ignore[arg-type]
    )
    worker.start()
    worker.join()
    seen.append(transaction_entered())
    assert seen == [None, None]


def test_the_inventory_of_saves_left_on_the_ui_thread_is_empty() -> None:
    assert STILL_WRITING_ON_THE_UI_THREAD == set()
