"""Views refresh when seen: after a commit the visible tab reloads at once; a hidden tab runs no
query (it notes what changed) and reloads when it is shown. A tab's lists are read on the read
worker, never on the UI thread: building a tab on its first show runs none of their SQL there."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from factories import add_customer, add_model, receive
from list_reads import loaded
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from app.config import DATA_DIR_ENV_VAR
from app.db import Database
from ui import ops
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
def queries_by_tab(
    db: Database, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, int]]:
    """SQL statements run meanwhile, counted by the tab (page objectName) whose code ran them:
    "<tab>" in the UI thread, "<tab> (read worker)" for the reads its lists asked for; "window"
    for the rest of the window (status bar, tool bar), "other thread" for any other thread."""
    pages = {page: page.objectName() for page in window.tab_pages()}
    counts: dict[str, int] = {}
    ui_thread = threading.main_thread()
    asked_by = threading.local()  # in a read worker: the tab whose list asked for the read

    def tab_of(node: QObject | None) -> str | None:
        while node is not None:
            if node in pages:
                return pages[node]
            node = node.parent()
        return None

    def owner() -> str:
        thread = threading.current_thread()
        if thread.name == "change-watcher":  # app/livesync.py: polls the change marks
            return "watcher"
        if thread.name.startswith("read-worker"):
            return f"{getattr(asked_by, 'name', None) or 'window'} (read worker)"
        if thread is not ui_thread:
            return "other thread"
        import inspect

        for frame in inspect.stack(0):
            candidate = frame.frame.f_locals.get("self")
            name = tab_of(candidate) if isinstance(candidate, QObject) else None
            if name is not None:
                return name
        return "window"

    run_read = ops.ListRead.run_in_background

    def tagged_read(op: ops.ListRead) -> None:  # in the UI thread: who asked, as plain text
        name, work = tab_of(op._parent), op._work

        def work_tagged():
            asked_by.name = name
            try:
                return work()
            finally:
                asked_by.name = None

        op._work = work_tagged
        run_read(op)

    def record(*_args) -> None:
        name = owner()
        counts[name] = counts.get(name, 0) + 1

    monkeypatch.setattr(ops.ListRead, "run_in_background", tagged_read)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        monkeypatch.setattr(ops.ListRead, "run_in_background", run_read)


def test_a_hidden_tab_runs_no_query_after_a_commit_and_reloads_when_shown(
    qtbot, admin, monkeypatch
) -> None:
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

    with queries_by_tab(admin.db, window, monkeypatch) as counts:
        receive(admin, customer, 1)  # a commit: the broadcast reaches every view
        # the visible tab reloads (on the read worker)
        qtbot.waitUntil(lambda: counts.get("receivingTab (read worker)", 0) > 0)
        window.changes.tables_changed.emit(EVERY_TABLE)  # and a change to every table
        QApplication.processEvents()
        loaded(qtbot)
    assert {name.removesuffix(" (read worker)") for name in counts} & set(hidden) == set(), counts
    assert counts.get("other thread", 0) == 0, counts

    with queries_by_tab(admin.db, window, monkeypatch) as counts:
        window.show_tab("qcTab")  # shown: the stale lists reload now
        loaded(qtbot)
    assert counts.get("qcTab (read worker)", 0) > 0, counts
    with queries_by_tab(admin.db, window, monkeypatch) as counts:
        window.show_tab("receivingTab")  # seen since its last reload and not changed: nothing
        loaded(qtbot)
    assert counts.get("receivingTab", 0) == counts.get("receivingTab (read worker)", 0) == 0, counts


def test_a_tabs_first_show_reads_its_lists_on_the_read_worker(qtbot, admin, monkeypatch) -> None:
    add_model(admin.db)
    customer = add_customer(admin.db, admin)
    receive(admin, customer, 1)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    shown: dict[str, dict[str, int]] = {}
    for page in window.tab_pages():
        name = page.objectName()
        if page.isVisible():  # the tab on screen at start-up: built already
            continue
        with queries_by_tab(admin.db, window, monkeypatch) as counts:
            window.show_tab(name)  # built now, on its first show
            loaded(qtbot)
        shown[name] = counts
    assert len(shown) >= 6, shown
    for name, counts in shown.items():
        assert counts.get(f"{name} (read worker)", 0) > 0, (name, counts)
        assert counts.get(name, 0) == 0, (name, counts)  # not one statement on the UI thread
