"""A stray scan into an open dialog of the receiving desk (issue 17, case 5): a burst of
keystrokes at scanner speed ended by Enter or Tab is not the dialog's input nor its confirmation.
The field keeps what it held, no button fires, the scan is announced in red, nothing is written.
A person typing at a person's speed is unaffected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei
from list_reads import whole_page
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox
from scanner_keys import person, scanner
from sqlalchemy import func, select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, InboundBox, RepairOrder, Role
from app.receiving import open_box
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.dialogs import CloseBoxDialog, OpenBoxDialog
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome

WAYBILL = "SF1234567890123"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: True)


@pytest.fixture
def desk(db, make_user: Callable[..., Context]) -> dict:
    add_model(db)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    return {"clerk": clerk, "sender": sender, "db": db}


def receiving_tab(qtbot, ctx: Context) -> ReceivingTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    return whole_page(window, "receivingTab")


def scan_into(qtbot, widget, code: str, suffix: Qt.Key = Qt.Key.Key_Return) -> None:
    """A wedge scanner: the code's keystrokes without a pause, then its suffix key."""
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, suffix)


def dialog_open(qtbot, tab: ReceivingTab, cls: type):
    qtbot.waitUntil(lambda: isinstance(tab.dialog, cls) and tab.dialog.isVisible())
    dialog = tab.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.wait(20)  # the tab's deferred focus calls have run: they must not take the keyboard
    return dialog


def box_state(db) -> tuple[int, list[tuple[object, object]]]:
    with db.read() as session:
        orders = session.scalar(select(func.count()).select_from(RepairOrder))
        boxes = [(b.closed_at, b.difference_note) for b in session.scalars(select(InboundBox))]
    return orders, boxes


@pytest.mark.parametrize("suffix", ["\r", "\n", "\t"])
def test_a_stray_scan_into_the_close_box_dialog_closes_nothing(qtbot, desk, suffix) -> None:
    db, clerk = desk["db"], desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=5)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    field = tab.findChild(QLineEdit, "scanInput")
    scan_into(qtbot, field, imei(1))
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    assert box_state(db)[0] == 1
    tab.ask_close_box()  # F10: declared 5, scanned 1, a note is needed
    dialog = dialog_open(qtbot, tab, CloseBoxDialog)
    note = dialog.findChild(QLineEdit, "differenceNote")
    assert QApplication.focusWidget() is note  # not the tab's scan field behind the dialog
    before = box_state(db)

    scanner(note, imei(2), suffix)  # the next unit scanned by mistake

    assert dialog.isVisible() and note.text() == "" and QApplication.focusWidget() is note
    message = dialog.findChild(MessageLine, "closeBoxMessage")
    assert message.outcome is Outcome.ERROR and imei(2) in message.text()
    assert box_state(db) == before and before[1] == [(None, None)]

    # A note the clerk types (at a person's speed) and Enter still close the box.
    person(note, "short 4", "\r")
    qtbot.waitUntil(lambda: tab.box is None)
    preview_shown = lambda: tab.documents.preview is not None and tab.documents.preview.isVisible()  # noqa: E731
    qtbot.waitUntil(preview_shown, timeout=5000)  # the receiving slip
    tab.documents.preview.close()
    orders, boxes = box_state(db)
    assert orders == 1 and boxes[0][0] is not None and boxes[0][1] == "short 4"


def test_a_stray_scan_after_a_typed_note_keeps_the_note(qtbot, desk) -> None:
    db, clerk = desk["db"], desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=2)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    tab.ask_close_box()
    dialog = dialog_open(qtbot, tab, CloseBoxDialog)
    note = dialog.findChild(QLineEdit, "differenceNote")
    note.insert("客户说寄错了")
    scanner(note, imei(3))
    assert dialog.isVisible() and note.text() == "客户说寄错了"
    assert box_state(db) == (0, [(None, None)])


def test_a_stray_scan_into_the_declared_quantity_opens_no_box(qtbot, desk) -> None:
    db, clerk = desk["db"], desk["clerk"]
    tab = receiving_tab(qtbot, clerk)
    scan_into(qtbot, tab.findChild(QLineEdit, "scanInput"), WAYBILL)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    dialog = dialog_open(qtbot, tab, OpenBoxDialog)
    dialog.sender.setCurrentIndex(0)
    quantity = dialog.findChild(QSpinBox, "declaredQuantity")
    quantity.setValue(3)
    quantity.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    target = QApplication.focusWidget()
    assert target.window() is dialog
    scanner(target, "12345678")  # a scanned serial of digits
    assert dialog.isVisible() and quantity.value() == 3 and tab.box is None
    assert dialog.message.outcome is Outcome.ERROR and "12345678" in dialog.message.text()
    assert box_state(db) == (0, [])
    person(QApplication.focusWidget(), "", "\r")  # the clerk's own Enter
    qtbot.waitUntil(lambda: tab.box is not None)
    assert tab.box.declared_quantity == 3
