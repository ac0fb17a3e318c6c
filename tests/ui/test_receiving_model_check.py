"""The receiving tab when the intake panel's model disagrees with the IMEI's TAC: refused in red,
then a dialog asks; a stray scan + Enter is not taken (and Cancel is the default), nothing is written
until the clerk confirms, and the box's last unit never forces its model on the next one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei
from list_reads import loaded, whole_page
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from scanner_keys import person, scanner
from sqlalchemy import func, select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, RepairOrder, Role, Unit
from app.receiving import open_box
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.model_check import ModelConfirmDialog
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome

S9_TAC, A5_TAC = "86012345", "35123456"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: True)


@pytest.fixture
def tab(qtbot, db, make_user: Callable[..., Context]) -> ReceivingTab:
    add_model(db, "XC-S9P", tac=S9_TAC)
    add_model(db, "XC-A5", tac=A5_TAC)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    box_id = open_box(clerk, "SF1234567890123", sender_id=sender, declared_quantity=3)
    create_application("zh_CN")
    window = build_main_window(clerk)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    found = whole_page(window, "receivingTab")
    found.set_box(box_id)
    loaded(qtbot)  # the intake's models, read on the read worker
    return found


def scan(qtbot, widget, code: str) -> None:
    field = widget.findChild(QLineEdit, "scanInput") if isinstance(widget, ReceivingTab) else widget
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    if isinstance(widget, ReceivingTab):
        qtbot.waitUntil(
            lambda: widget.scans.idle, timeout=20_000
        )  # the scan runs on the floor worker


def models(db) -> dict[str, str]:
    with db.read() as session:
        return {unit.serial: unit.product_model.code for unit in session.scalars(select(Unit))}


def order_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(RepairOrder))


def picked(tab: ReceivingTab, code: str) -> None:
    combo = tab.intake.model
    combo.setCurrentIndex(combo.findData(code))  # the clerk picks a model


def test_the_box_s_last_unit_does_not_force_its_model_on_the_next(qtbot, tab, db) -> None:
    scan(qtbot, tab, imei(1, S9_TAC))
    qtbot.waitUntil(lambda: order_count(db) == 1)
    assert tab.intake.model.currentData() == "XC-S9P"  # shown as the likely model
    scan(qtbot, tab, imei(2, A5_TAC))
    qtbot.waitUntil(lambda: order_count(db) == 2)
    assert models(db) == {imei(1, S9_TAC): "XC-S9P", imei(2, A5_TAC): "XC-A5"}
    assert tab.dialog is None


def test_a_disagreeing_panel_model_is_refused_and_a_stray_scan_confirms_nothing(
    qtbot, tab, db
) -> None:
    picked(tab, "XC-S9P")
    scan(qtbot, tab, imei(3, A5_TAC))
    message = tab.findChild(MessageLine, "scanMessage")
    qtbot.waitUntil(lambda: isinstance(tab.dialog, ModelConfirmDialog) and tab.dialog.isVisible())
    assert message.outcome is Outcome.ERROR
    dialog = tab.dialog
    assert dialog.defaultButton() is dialog.cancel_button
    assert not dialog.confirm_button.autoDefault() and not dialog.confirm_button.isDefault()
    # A stray scan ending in Enter goes to the dialog: not taken, announced, the dialog stays.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cancel_button)
    scanner(QApplication.focusWidget(), imei(4, A5_TAC))
    assert dialog.isVisible() and tab.dialog is dialog  # the scan did not reach the scan field
    assert message.outcome is Outcome.ERROR and imei(4, A5_TAC) in message.text()
    assert order_count(db) == 0 and models(db) == {}
    person(dialog.cancel_button, "", "\r")  # the clerk's own Enter cancels
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert order_count(db) == 0 and models(db) == {}


def test_the_clerk_confirms_or_takes_the_known_model(qtbot, tab, db) -> None:
    picked(tab, "XC-S9P")
    scan(qtbot, tab, imei(5, A5_TAC))
    qtbot.waitUntil(lambda: isinstance(tab.dialog, ModelConfirmDialog) and tab.dialog.isVisible())
    qtbot.mouseClick(tab.dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: order_count(db) == 1)
    assert models(db) == {imei(5, A5_TAC): "XC-S9P"}
    scan(qtbot, tab, imei(6, A5_TAC))
    qtbot.waitUntil(lambda: isinstance(tab.dialog, ModelConfirmDialog) and tab.dialog.isVisible())
    qtbot.mouseClick(tab.dialog.known_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: order_count(db) == 2)
    assert models(db)[imei(6, A5_TAC)] == "XC-A5"
    assert tab.intake.model_chosen() is None  # the panel is back to automatic
