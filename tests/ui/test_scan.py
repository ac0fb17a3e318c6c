"""The scan field of a floor tab: an unknown code is refused in red, a known order is selected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei, receive
from list_reads import loaded, whole_page
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import build_main_window, create_application
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def clerk(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.RECEIVING_CLERK, username="clerk")


def receiving_tab(qtbot, ctx: Context) -> ReceivingTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    tab = whole_page(window, "receivingTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: ReceivingTab, code: str) -> None:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)


def test_scanning_an_unknown_order_shows_a_red_message(qtbot, clerk: Context) -> None:
    tab = receiving_tab(qtbot, clerk)
    scan(qtbot, tab, "RO209901019999")
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.ERROR
    assert "RO209901019999" in message.text() and "找不到" in message.text()
    assert tab.findChild(QLineEdit, "scanInput").text() == ""


def test_scanning_a_known_order_number_selects_it(qtbot, clerk: Context) -> None:
    add_model(clerk.db)
    customer = add_customer(clerk.db, clerk)
    first = receive(clerk, customer, 1)
    receive(clerk, customer, 2)
    tab = receiving_tab(qtbot, clerk)
    scan(qtbot, tab, first.order_no)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK, message.text()
    assert first.order_no in message.text() and "已收货" in message.text()
    assert tab.recent.selected_order_id() == first.order_id


def test_scanning_a_serial_selects_its_order(qtbot, clerk: Context) -> None:
    add_model(clerk.db)
    customer = add_customer(clerk.db, clerk)
    order = receive(clerk, customer, 7)
    tab = receiving_tab(qtbot, clerk)
    scan(qtbot, tab, imei(7))
    assert tab.recent.selected_order_id() == order.order_id


def test_an_empty_scan_is_refused_through_the_domain_error(qtbot, clerk: Context) -> None:
    tab = receiving_tab(qtbot, clerk)
    scan(qtbot, tab, "   ")
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.ERROR
    assert "没有扫到内容" in message.text()


def test_a_new_order_appears_without_reloading_the_tab(qtbot, clerk: Context) -> None:
    add_model(clerk.db)
    customer = add_customer(clerk.db, clerk)
    tab = receiving_tab(qtbot, clerk)
    assert tab.recent.model.rowCount() == 0
    receive(clerk, customer, 3)  # a write elsewhere: the change broadcast reaches the tab
    qtbot.waitUntil(lambda: tab.recent.model.rowCount() == 1, timeout=2000)


def test_a_scan_the_database_did_not_take_stays_in_the_field_to_try_again(qtbot, admin) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from app.db import UNAVAILABLE
    from app.errors import Unavailable
    from ui.widgets.feedback import show_domain_error
    from ui.widgets.scan_field import ScanBar

    page = QWidget()
    qtbot.addWidget(page)
    bar = ScanBar(parent=page)
    bar.field.scanned.connect(
        lambda _code: show_domain_error(page, Unavailable(UNAVAILABLE), bar.message)
    )
    qtbot.keyClicks(bar.field, "RO202611240001")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.field.text() == "RO202611240001"  # kept: Enter tries again
    assert "nothing was saved" in bar.message.text() or "未保存" in bar.message.text()
