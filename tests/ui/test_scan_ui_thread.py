"""A scan runs no SQL on the UI thread: on the receiving, allocation, parts and complaints tabs an
order label is looked up on the floor worker (with what the tab shows of it: the complaint
form's customers too), and the result is shown from what the worker read."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei, receive
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


def test_a_unit_scanned_into_the_open_box_runs_no_statement_on_the_ui_thread(
    qtbot, admin, monkeypatch
) -> None:
    """The save, the box as it is after it, the change broadcast's reads (the open boxes): off
    the UI thread; and the station's box is not written to the settings file again."""
    from app.models import Carrier
    from app.receiving.boxes import open_box
    from ui import settings
    from ui.receiving import printing as receiving_print

    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: True)
    add_model(admin.db)
    with admin.db.transaction() as session:
        session.add(Carrier(code="EMS", name="EMS", waybill_pattern=r"[A-Z]{2}\d{9}CN"))
    sender = add_customer(admin.db, admin, "华强北星辰通讯", "13912345678")
    box_id = open_box(admin, "EA123456785CN", sender_id=sender, declared_quantity=3)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    tab = window.page("receivingTab")
    tab.set_box(box_id)
    loaded(qtbot)
    written: list[str] = []
    set_option = settings.Option.set
    monkeypatch.setattr(
        settings.Option,
        "set",
        lambda option, value: (written.append(option.key), set_option(option, value)),
    )
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(admin.db.engine, "before_cursor_execute", record)
    try:
        for number in (1, 2):
            tab.handle_scan(imei(number))
            qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # on the floor worker
            loaded(qtbot)  # the lists and boxes the commit changed, read on the read worker
    finally:
        event.remove(admin.db.engine, "before_cursor_execute", record)
    assert on_ui_thread == []
    assert tab.box is not None and tab.box.scanned_quantity == 2
    assert tab.units.model.rowCount() == 2
    assert settings.RECEIVING_OPEN_BOX.key not in written  # the box did not change
