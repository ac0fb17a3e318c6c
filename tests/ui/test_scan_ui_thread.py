"""A scan runs no SQL on the UI thread: on the receiving, allocation, parts and complaints tabs an
order label is looked up on the floor worker (with what the tab shows of it: the complaint
form's customers too), and the result is shown from what the worker read."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from factories import add_customer, add_model, receive
from list_reads import loaded
from PySide6.QtWidgets import QComboBox
from sqlalchemy import event

from app.config import DATA_DIR_ENV_VAR
from ui.application import build_main_window, create_application


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.mark.parametrize("tab_name", ["receivingTab", "allocationTab", "partsTab", "complaintsTab"])
def test_an_order_label_scanned_runs_no_statement_on_the_ui_thread(qtbot, admin, tab_name) -> None:
    add_model(admin.db)
    customer = add_customer(admin.db, admin, "王五", "13800000001")
    order = receive(admin, customer, 1)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    window.show_tab(tab_name)
    tab = window.page(tab_name)
    loaded(qtbot)
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(admin.db.engine, "before_cursor_execute", record)
    try:
        tab.handle_scan(order.order_no)
        qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # on the floor worker
    finally:
        event.remove(admin.db.engine, "before_cursor_execute", record)
    assert on_ui_thread == []
    assert order.order_no in tab.scan_bar.message.text()
    if tab_name == "complaintsTab":  # the form chose the order's customer from the scan's read
        chosen = tab.form.findChild(QComboBox, "complaintCustomer")
        assert chosen.currentData() == customer and "王五" in chosen.currentText()
