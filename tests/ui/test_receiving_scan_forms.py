"""Every form a scanner or an input method sends a code in, through the receiving tab's scan field
(issue 17, cases 2 and 3): a Tab or CR+LF suffix is one scan and the focus stays; a full-width
waybill or IMEI committed by an input method is the ASCII code (the same unit, refused when it
has an open order); a digit no barcode holds is refused in red. Every refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, full_width, imei
from list_reads import loaded, whole_page
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLineEdit
from scanner_keys import commit, send_text
from sqlalchemy import func, select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, InboundBox, RepairOrder, Role, Unit
from app.receiving import open_box
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.dialogs import OpenBoxDialog
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome

SF = "SF1234567890123"


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


def receiving_tab(qtbot, ctx: Context, box_id: int | None = None) -> tuple[ReceivingTab, QLineEdit]:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    tab = whole_page(window, "receivingTab")
    if box_id is not None:
        tab.set_box(box_id)
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.waitUntil(field.hasFocus)
    return tab, field


def stored(db) -> tuple[int, list[str], list[str]]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(RepairOrder)),
            sorted(session.scalars(select(Unit.serial))),
            sorted(session.scalars(select(InboundBox.waybill_no))),
        )


def message(tab: ReceivingTab) -> MessageLine:
    return tab.findChild(MessageLine, "scanMessage")


def test_a_tab_suffix_scanner_receives_every_unit_and_keeps_the_focus(qtbot, desk) -> None:
    db = desk["db"]
    box_id = open_box(desk["clerk"], SF, sender_id=desk["sender"], declared_quantity=3)
    tab, field = receiving_tab(qtbot, desk["clerk"], box_id)
    for number in (1, 2, 3):
        qtbot.keyClicks(field, imei(number))
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert field.hasFocus() and field.text() == ""  # at once, while the scan runs
        qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
        assert message(tab).outcome is Outcome.OK, message(tab).text()
        QCoreApplication.processEvents()
        assert field.hasFocus() and field.text() == ""
    assert stored(db)[:2] == (3, [imei(1), imei(2), imei(3)])


@pytest.mark.parametrize("suffix", ["\r\n", "\r", "\n"])
def test_a_cr_lf_suffix_is_one_scan_not_a_second_empty_one(qtbot, desk, suffix) -> None:
    db = desk["db"]
    box_id = open_box(desk["clerk"], SF, sender_id=desk["sender"], declared_quantity=2)
    tab, field = receiving_tab(qtbot, desk["clerk"], box_id)
    qtbot.keyClicks(field, imei(4))
    send_text(field, suffix)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert message(tab).outcome is Outcome.OK, message(tab).text()  # no red "empty scan"
    assert stored(db)[:2] == (1, [imei(4)])


def test_a_full_width_waybill_from_an_input_method_opens_the_box_of_the_ascii_waybill(
    qtbot, desk
) -> None:
    tab, field = receiving_tab(qtbot, desk["clerk"])
    commit(field, full_width(SF))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, OpenBoxDialog) and tab.dialog.isVisible())
    assert tab.dialog.waybill.waybill_no == SF
    tab.dialog.sender.setCurrentIndex(0)
    tab.dialog.accept()
    loaded(qtbot)  # the box opens on the floor worker
    assert tab.box is not None and stored(desk["db"])[2] == [SF]


def test_a_full_width_imei_is_the_same_unit_and_refused_while_its_order_is_open(
    qtbot, desk
) -> None:
    db = desk["db"]
    box_id = open_box(desk["clerk"], SF, sender_id=desk["sender"], declared_quantity=2)
    tab, field = receiving_tab(qtbot, desk["clerk"], box_id)
    commit(field, full_width(imei(5)) + "\r")  # the commit carries the scanner's suffix
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert message(tab).outcome is Outcome.OK, message(tab).text()
    before = stored(db)
    assert before[:2] == (1, [imei(5)])
    commit(field, full_width(imei(5)))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    refused = message(tab)
    assert refused.outcome is Outcome.ERROR and tab.units.model.rowCount() == 1
    assert stored(db) == before  # no second unit with a full-width serial


@pytest.mark.parametrize("scan", [imei(6)[:-1] + "²", "٨٦٠١٢٣٤٥٠٠٠٠٠١٣"])
def test_a_digit_no_barcode_holds_is_refused_in_red_and_writes_nothing(qtbot, desk, scan) -> None:
    db = desk["db"]
    box_id = open_box(desk["clerk"], SF, sender_id=desk["sender"], declared_quantity=2)
    tab, field = receiving_tab(qtbot, desk["clerk"], box_id)
    before = stored(db)
    commit(field, scan)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert message(tab).outcome is Outcome.ERROR and "U+" in message(tab).text()
    assert stored(db) == before
