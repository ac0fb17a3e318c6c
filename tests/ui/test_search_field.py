"""The tool bar's search: Ctrl+F from any tab, type or scan, Enter opens the order's timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import add_customer, add_model, receive
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.config import DATA_DIR_ENV_VAR
from app.search.find import search
from ui.application import build_main_window
from ui.search.field import SearchResultsModel
from ui.search.timeline import TimelineDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def window(qtbot, db, admin):
    add_model(db)
    customer = add_customer(db, admin, "王小明", "13566667777")
    other = add_customer(db, admin, "赵六", "13900001111")
    receive(admin, other, 1)
    order = receive(admin, customer, 2)
    main = build_main_window(admin)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    main.order = order
    yield main
    for dialog in main.findChildren(TimelineDialog):
        dialog.close()
    main.search_field.results.hide()


def _opened_timeline(qtbot, main) -> TimelineDialog:
    qtbot.waitUntil(lambda: bool(main.findChildren(TimelineDialog)), timeout=3000)
    dialog = main.findChildren(TimelineDialog)[0]
    qtbot.waitUntil(lambda: dialog.timeline is not None, timeout=3000)
    return dialog


def test_from_the_shipping_tab_ctrl_f_a_phone_and_enter_open_the_timeline(qtbot, window) -> None:
    assert window.show_tab("shippingTab")
    window.tabs.currentWidget().setFocus()
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.search_field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "13566667777")
    qtbot.waitUntil(lambda: field.model.rowCount() > 0, timeout=3000)
    assert field.model.hits[0].order_no == window.order.order_no
    qtbot.keyClick(field, Qt.Key.Key_Return)
    dialog = _opened_timeline(qtbot, window)
    assert dialog.timeline.header.order_no == window.order.order_no
    assert dialog.events.rowCount() >= 1
    assert window.order.order_no in dialog.header.text()


def test_a_scan_with_enter_opens_the_order_before_the_results_show(qtbot, window) -> None:
    field = window.search_field
    field.setText(window.order.order_no)  # a scanner types it all at once, then Enter
    qtbot.keyClick(field, Qt.Key.Key_Return)
    dialog = _opened_timeline(qtbot, window)
    assert dialog.order_id == window.order.order_id


def test_copy_as_text_and_print_through_the_one_printer_door(
    qtbot, window, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[bytes] = []
    monkeypatch.setattr(
        "ui.search.timeline.print_timeline", lambda pdf, title: printed.append(pdf) or True
    )
    window.open_timeline(window.order.order_id)
    dialog = _opened_timeline(qtbot, window)
    dialog.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert window.order.order_no in text and "王小明" in text
    dialog.print_button.click()
    qtbot.waitUntil(lambda: bool(printed), timeout=5000)
    assert printed[0].startswith(b"%PDF")


def test_the_results_model_passes_the_model_tester(qtmodeltester, admin, window) -> None:
    model = SearchResultsModel()
    model.set_hits(search(admin, "135"))
    assert model.rowCount() == 1
    qtmodeltester.check(model)
