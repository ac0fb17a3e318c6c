"""Views refresh when seen: after a commit the visible tab reloads at once; a hidden tab runs no
query (it notes what changed) and reloads when it is shown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from factories import add_customer, add_model, receive
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from app.config import DATA_DIR_ENV_VAR
from app.db import Database
from ui.application import build_main_window, create_application
from ui.main_window import MainWindow

EVERY_TABLE = frozenset(
    {
        "repair_orders",
        "units",
        "customers",
        "inbound_boxes",
        "stock_moves",
        "parts",
        "aging_runs",
        "shipments",
        "shipment_items",
        "complaints",
        "follow_ups",
        "users",
        "user_roles",
        "allocations",
        "audit_log",
        "product_models",
        "carriers",
        "rack_slots",
        "charges",
    }
)


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@contextmanager
def queries_by_tab(db: Database, window: MainWindow) -> Iterator[dict[str, int]]:
    """SQL statements run meanwhile, counted by the tab (page objectName) whose code ran them;
    "window" for the rest of the window (status bar, tool bar), "other thread" off the UI."""
    pages = {page: page.objectName() for page in window.tab_pages()}
    counts: dict[str, int] = {}
    ui_thread = threading.main_thread()

    def owner() -> str:
        thread = threading.current_thread()
        if thread.name == "change-watcher":  # app/livesync.py: polls the change marks
            return "watcher"
        if thread is not ui_thread:
            return "other thread"
        import inspect

        for frame in inspect.stack(0):
            candidate = frame.frame.f_locals.get("self")
            node = candidate if isinstance(candidate, QObject) else None
            while node is not None:
                if node in pages:
                    return pages[node]
                node = node.parent()
        return "window"

    def record(*_args) -> None:
        name = owner()
        counts[name] = counts.get(name, 0) + 1

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_hidden_tab_runs_no_query_after_a_commit_and_reloads_when_shown(qtbot, admin) -> None:
    add_model(admin.db)
    customer = add_customer(admin.db, admin)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    QApplication.processEvents()
    hidden = [page.objectName() for page in window.tab_pages() if not page.isVisible()]
    assert len(hidden) >= 6  # every tab but receiving: an admin sees them all

    with queries_by_tab(admin.db, window) as counts:
        receive(admin, customer, 1)  # a commit: the broadcast reaches every view
        qtbot.waitUntil(lambda: counts.get("receivingTab", 0) > 0)  # the visible tab reloads
        window.changes.tables_changed.emit(EVERY_TABLE)  # and a change to every table
        QApplication.processEvents()
    assert {name for name in counts if name in hidden} == set(), counts
    assert counts.get("other thread", 0) == 0, counts

    with queries_by_tab(admin.db, window) as counts:
        window.show_tab("qcTab")  # shown: the stale lists reload now
        QApplication.processEvents()
    assert counts.get("qcTab", 0) > 0, counts
    with queries_by_tab(admin.db, window) as counts:
        window.show_tab("receivingTab")  # seen since its last reload and not changed: nothing
        QApplication.processEvents()
    assert counts.get("receivingTab", 0) == 0, counts
