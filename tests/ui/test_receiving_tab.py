"""The receiving desk at scanner speed: a waybill opens a box, each serial is an order at once,
bad scans are refused in red and change nothing, F10 closes the box against the declared count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from factories import add_customer, add_model, bad_imei, imei
from list_reads import loaded
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QSpinBox
from sqlalchemy import func, select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, InboundBox, Photo, RepairOrder, Role, SalesRecord
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.dialogs import CloseBoxDialog, OpenBoxDialog
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.import_report import ImportReportDialog
from ui.widgets.pdf_preview import PdfPreviewDialog
from ui.widgets.sounds import sounds

WAYBILL = "EA123456785CN"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every label sent to the printer (never a real printer in tests)."""
    sent: list[bytes] = []

    def fake_print(pdf: bytes, title: str) -> bool:
        sent.append(pdf)
        return True

    monkeypatch.setattr(receiving_print, "send_to_printer", fake_print)
    return sent


@pytest.fixture
def desk(db, make_user: Callable[..., Context]) -> dict:
    add_model(db)
    with db.transaction() as session:
        session.add(
            Carrier(
                code="EMS",
                name="EMS",
                waybill_pattern=r"[A-Z]{2}\d{9}CN",
                uses_s10_check_digit=True,
            )
        )
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk", display_name="收货员小王")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    add_customer(db, clerk, "张三", "13800138000")
    return {"clerk": clerk, "sender": sender}


def receiving_tab(qtbot, ctx: Context) -> ReceivingTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("receivingTab")
    loaded(qtbot)
    tab = window.findChild(ReceivingTab, "receivingTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: ReceivingTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)
    return tab.findChild(MessageLine, "scanMessage")


def press(qtbot, tab: ReceivingTab, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed at the desk: the scan field has the focus (shortcuts act from there)."""
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, key, modifier)
    loaded(qtbot)


def order_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(RepairOrder))


def open_dialog(qtbot, tab: ReceivingTab, cls: type) -> object:
    qtbot.waitUntil(lambda: isinstance(tab.dialog, cls) and tab.dialog.isVisible(), timeout=2000)
    return tab.dialog


def test_a_whole_box_is_received_with_the_scanner(qtbot, desk, printed) -> None:
    clerk, db = desk["clerk"], desk["clerk"].db
    tab = receiving_tab(qtbot, clerk)

    # 1. The waybill: the dialog asks for the sender and the declared quantity.
    scan(qtbot, tab, WAYBILL.lower())
    dialog = open_dialog(qtbot, tab, OpenBoxDialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "senderSearch"), "1391")  # phone prefix
    assert dialog.findChild(QComboBox, "senderCombo").currentData() == desk["sender"]
    quantity = dialog.findChild(QSpinBox, "declaredQuantity")
    quantity.setFocus()
    quantity.selectAll()
    qtbot.keyClicks(quantity, "3")
    qtbot.keyClick(quantity, Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.box is not None)
    assert not dialog.isVisible()
    assert tab.box.waybill_no == WAYBILL and tab.box.declared_quantity == 3
    assert WAYBILL in tab.box_panel.heading.text()

    # 2. Units: each scan is an order at once; bad scans are refused in red.
    first = scan(qtbot, tab, imei(1))
    assert first.outcome is Outcome.OK, first.text()
    assert "RO" in first.text() and "保外" in first.text()  # never sold, no purchase date
    refused = scan(qtbot, tab, bad_imei(2))
    assert refused.outcome is Outcome.ERROR and bad_imei(2) in refused.text()
    assert order_count(db) == 1
    assert scan(qtbot, tab, imei(2)).outcome is Outcome.OK
    duplicate = scan(qtbot, tab, imei(1))
    assert duplicate.outcome is Outcome.ERROR and imei(1) in duplicate.text()
    assert order_count(db) == 2
    assert tab.units.model.rowCount() == 2
    assert tab.units.model.row_object(0).serial == imei(2)  # newest first
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=3000)  # one label per unit

    # 3. Close with F10: the count differs from the declared 3, so a note is required.
    press(qtbot, tab, Qt.Key.Key_F10)
    closing = open_dialog(qtbot, tab, CloseBoxDialog)
    note = closing.findChild(QLineEdit, "differenceNote")
    qtbot.keyClick(note, Qt.Key.Key_Return)  # no note: refused, the dialog stays
    loaded(qtbot)
    assert closing.isVisible() and closing.message.outcome is Outcome.ERROR
    note.insert("少一台,已通知客户")  # typed (the key simulator takes ASCII only)
    qtbot.keyClick(note, Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.box is None)
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.WARNING
    qtbot.waitUntil(
        lambda: (
            isinstance(tab.documents.preview, PdfPreviewDialog)
            and tab.documents.preview.isVisible()
        ),
        timeout=5000,
    )
    assert tab.documents.preview.document.pageCount() >= 1  # the receiving slip
    tab.documents.preview.close()

    with db.read() as session:
        box = session.scalar(select(InboundBox))
        assert box.closed_at is not None and box.needs_customer_contact
        assert box.difference_note == "少一台,已通知客户"
        serials = {o.unit.serial for o in session.scalars(select(RepairOrder))}
    assert serials == {imei(1), imei(2)}

    # With no box open, a unit's scan is refused: the waybill comes first.
    no_box = scan(qtbot, tab, imei(3))
    assert no_box.outcome is Outcome.ERROR and order_count(db) == 2


def test_a_box_of_three_as_declared_closes_without_a_note(qtbot, desk, printed) -> None:
    clerk, db = desk["clerk"], desk["clerk"].db
    with db.transaction() as session:
        session.add(
            SalesRecord(serial=imei(5), model_code="X1", sale_date=date.today(), dealer="星辰深圳")
        )
    tab = receiving_tab(qtbot, clerk)
    scan(qtbot, tab, WAYBILL)
    dialog = open_dialog(qtbot, tab, OpenBoxDialog)
    dialog.findChild(QSpinBox, "declaredQuantity").setValue(3)
    dialog.accept()  # no sender chosen: refused, never silently the first of the list
    loaded(qtbot)
    assert tab.box is None and dialog.message.outcome is Outcome.ERROR
    search = dialog.findChild(QLineEdit, "senderSearch")
    qtbot.keyClick(search, Qt.Key.Key_Down)  # the arrows pick among the senders
    loaded(qtbot)
    assert dialog.findChild(QComboBox, "senderCombo").currentIndex() == 0
    dialog.accept()
    loaded(qtbot)  # the box opens on the floor worker
    assert tab.box is not None
    tab.intake.capacity.setEditText("256G")
    tab.intake.fault.setEditText("屏幕碎裂")
    sold = scan(qtbot, tab, imei(5))
    assert sold.outcome is Outcome.OK and "星辰深圳" in sold.text(), sold.text()
    for number in (6, 7):
        assert scan(qtbot, tab, imei(number)).outcome is Outcome.OK
    assert [row.capacity for row in map(tab.units.model.row_object, range(3))] == ["256G"] * 3
    press(qtbot, tab, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    closing = open_dialog(qtbot, tab, CloseBoxDialog)
    closing.accept()
    qtbot.waitUntil(lambda: tab.box is None)
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.OK
    qtbot.waitUntil(
        lambda: tab.documents.preview is not None and tab.documents.preview.isVisible(),
        timeout=5000,
    )
    tab.documents.preview.close()
    qtbot.waitUntil(lambda: len(printed) == 3, timeout=3000)


def test_a_new_sender_is_typed_in_when_the_box_opens(qtbot, desk, printed) -> None:
    tab = receiving_tab(qtbot, desk["clerk"])
    scan(qtbot, tab, WAYBILL)
    dialog = open_dialog(qtbot, tab, OpenBoxDialog)
    dialog.findChild(type(dialog.new_sender), "newSenderCheck").setChecked(True)
    loaded(qtbot)
    dialog.findChild(QLineEdit, "newSenderName").insert("李四维修店")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "newSenderPhone"), "123")
    qtbot.keyClick(dialog.findChild(QLineEdit, "newSenderPhone"), Qt.Key.Key_Return)
    loaded(qtbot)
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR  # bad phone
    dialog.findChild(QLineEdit, "newSenderPhone").setText("13700137000")
    qtbot.keyClick(dialog.findChild(QLineEdit, "newSenderPhone"), Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.box is not None)
    assert tab.box.sender_name == "李四维修店"


def test_a_bad_waybill_is_refused_before_any_dialog(qtbot, desk) -> None:
    tab = receiving_tab(qtbot, desk["clerk"])
    refused = scan(qtbot, tab, "EA123456786CN")  # wrong S10 check digit
    assert refused.outcome is Outcome.ERROR and tab.dialog is None


def test_a_repeat_repair_is_amber_with_its_history(qtbot, desk, printed, clock) -> None:
    from factories import force_state

    from app.models import RepairState
    from app.receiving import open_box
    from app.receiving.desk import scan_unit

    clerk = desk["clerk"]
    old_box = open_box(clerk, "EA123456799CN", sender_id=desk["sender"], declared_quantity=1)
    earlier = scan_unit(clerk, old_box, imei(9))
    force_state(clerk.db, earlier.received.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=1)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    again = scan(qtbot, tab, imei(9))
    assert again.outcome is Outcome.WARNING and "返修" in again.text()
    assert (
        tab.unit_history.list.count() == 1
        and earlier.received.order_no in tab.unit_history.list.item(0).text()
    )


def test_labels_wait_for_a_preview_when_printing_is_off(qtbot, desk, printed) -> None:
    from app.receiving import open_box

    clerk = desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=2)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    tab.box_panel.print_labels.setChecked(False)
    loaded(qtbot)
    scan(qtbot, tab, imei(1))
    scan(qtbot, tab, imei(2))
    assert len(tab.documents.pending_labels) == 2 and tab.box_panel.pending_button.isVisible()
    tab.preview_pending_labels()
    qtbot.waitUntil(
        lambda: tab.documents.preview is not None and tab.documents.preview.isVisible(),
        timeout=5000,
    )
    assert tab.documents.preview.document.pageCount() == 2 and tab.documents.pending_labels == []
    tab.documents.preview.close()
    assert printed == []


def test_photos_are_attached_to_the_last_scanned_unit(
    qtbot, desk, printed, tmp_path, monkeypatch
) -> None:
    from PIL import Image

    from app.receiving import open_box
    from ui.receiving import photo_capture

    monkeypatch.setattr(photo_capture, "default_camera", lambda: None)
    clerk = desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=1)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    scan(qtbot, tab, imei(1))
    photo = tmp_path / "front.jpg"
    Image.new("RGB", (32, 32), "red").save(photo)
    tab.attach_photos()
    dialog = tab.photo_dialog
    assert dialog.order_id == tab.last_order_id
    monkeypatch.setattr(dialog, "choose_files", lambda: [photo])
    dialog.add_files()
    qtbot.waitUntil(lambda: dialog.count == 1, timeout=3000)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK
    assert message.text() in ("已添加 1 张照片。", "1 photo(s) attached.")
    with clerk.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 1
    dialog.close()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=3000)


def test_an_administrator_checks_then_applies_the_sales_register(
    qtbot, desk, admin, tmp_path, monkeypatch
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序列号", "机型", "销售日期", "经销商"])
    sheet.append([imei(1), "X1", date(2026, 1, 5), "星辰深圳"])
    sheet.append([imei(2), "X1", date(2026, 2, 5), "星辰广州"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    tab = receiving_tab(qtbot, desk["clerk"])
    assert not tab.box_panel.import_button.isVisibleTo(tab)  # a clerk cannot import
    QApplication.processEvents()
    tab = receiving_tab(qtbot, admin)
    assert tab.box_panel.import_button.isVisibleTo(tab)
    monkeypatch.setattr(tab, "choose_register_file", lambda: path)
    tab.import_register()
    preview = open_dialog(qtbot, tab, ImportReportDialog)
    summary = preview.findChild(QLabel, "importSummary").text()
    assert "2" in summary and preview.apply_button.isEnabled()
    with admin.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SalesRecord)) == 0  # only checked
    preview.apply_button.click()
    loaded(qtbot)
    qtbot.waitUntil(
        lambda: tab.findChild(MessageLine, "scanMessage").outcome is Outcome.OK, timeout=5000
    )
    with admin.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SalesRecord)) == 2


def test_an_incomplete_appearance_check_is_completed_from_the_tab(qtbot, desk, printed, make_user):
    from app.errors import IllegalTransition
    from app.models import ProductCategory
    from app.orders import transitions as orders
    from app.receiving import Intake, open_box, receive_unit
    from ui.receiving.condition import ConditionDialog

    clerk, db = desk["clerk"], desk["clerk"].db
    with db.transaction() as session:
        session.add(
            ProductCategory(
                code="phone", name="手机", intake_gate=True, appearance_checklist=["屏幕", "外壳"]
            )
        )
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=1)
    order_id = receive_unit(
        clerk,
        Intake(
            serial=imei(40), customer_id=desk["sender"], box_id=box_id, appearance={"屏幕": "碎裂"}
        ),
    ).order_id
    boss = make_user(Role.SUPERVISOR, username="boss")
    tech = make_user(Role.TECHNICIAN, username="tech")
    with pytest.raises(IllegalTransition, match="外壳"):
        orders.allocate(boss, [order_id], tech.user_id)

    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    loaded(qtbot)
    tab.units.view.selectRow(0)  # the clerk picks the unit in the box
    tab.box_panel.condition_button.click()
    loaded(qtbot)
    dialog = open_dialog(qtbot, tab, ConditionDialog)
    assert dialog.answers["屏幕"].currentText() == "碎裂"
    dialog.answers["外壳"].setCurrentText("轻微划痕")
    dialog.save()
    loaded(qtbot)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK
    assert orders.allocate(boss, [order_id], tech.user_id)


def test_a_label_that_does_not_print_turns_the_message_amber_and_waits_to_be_printed(
    qtbot, desk, monkeypatch
) -> None:
    from app.receiving import open_box

    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: False)
    beeps: list[object] = []
    monkeypatch.setattr(sounds(), "play", beeps.append)
    clerk = desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=1)
    tab = receiving_tab(qtbot, clerk)
    tab.set_box(box_id)
    line = scan(qtbot, tab, imei(1))
    qtbot.waitUntil(lambda: line.outcome is Outcome.WARNING, timeout=5000)
    assert "标签未打印" in line.text() and "(1)" in line.text()
    assert beeps[-1] is Outcome.WARNING
    from ui.print_queue import print_queue

    assert [item.number for item in print_queue(clerk).items] == [
        tab.units.model.row_object(0).order_no
    ]
    assert tab.to_print.isVisible() and "(1)" in tab.to_print.text()  # the to-print list
