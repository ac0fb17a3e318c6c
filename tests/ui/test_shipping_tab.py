"""The packing table: scan units into a shipment, refuse what may not go, waybill, ship, ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSWORD
from factories import add_customer, add_model, imei, receive
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, RepairOrder, RepairState, Role, Setting
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.qc import aging as qc
from app.receiving import Intake, receive_unit
from ui.application import build_main_window, create_application
from ui.shipping import printing as shipping_print
from ui.shipping.cancel_dialog import CancelShipmentDialog
from ui.shipping.tab import ShippingTab
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.pdf_preview import PdfPreviewDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every PDF sent to the printer (never a real printer or print dialog in tests)."""
    sent: list[bytes] = []

    def fake_print(pdf: bytes, title: str) -> bool:
        sent.append(pdf)
        return True

    monkeypatch.setattr(shipping_print, "print_pdf", fake_print)
    return sent


@pytest.fixture
def floor(db, make_user: Callable[..., Context], clock) -> dict[str, object]:
    add_model(db, aging_minutes=60)
    with db.transaction() as session:
        session.add_all(
            [
                Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"),
                Carrier(
                    code="EMS",
                    name="中国邮政EMS",
                    waybill_pattern=r"E[A-Z]\d{9}CN",
                    uses_s10_check_digit=True,
                ),
                Setting(key="center.name", value="星辰通讯售后维修中心"),
            ]
        )
    people = {
        role: make_user(role, username=role.value)
        for role in (Role.SUPERVISOR, Role.TECHNICIAN, Role.QC_TESTER, Role.SHIPPING_CLERK)
    }
    zhang = add_customer(db, people[Role.SUPERVISOR], "张三", "13800138000")

    def passed(number: int, accessories: list[str]) -> str:
        received = receive_unit(
            people[Role.SUPERVISOR],
            Intake(
                serial=imei(number),
                customer_id=zhang,
                fault_description="不开机",
                purchase_date=date(2026, 6, 1),
                accessories=accessories,
            ),
        )
        tech = people[Role.TECHNICIAN]
        orders.allocate(people[Role.SUPERVISOR], [received.order_id], tech.user_id)
        orders.start_repair(tech, received.order_id)
        orders.finish_repair(
            tech,
            received.order_id,
            diagnosis="-",
            repair_action="更换电池",
            expected_version=order_version(tech, received.order_id),
        )
        qc.start_aging(people[Role.QC_TESTER], received.order_id)
        clock.advance(hours=1)
        qc.sign_off(people[Role.QC_TESTER], received.order_id, passed=True, password=PASSWORD)
        return received.order_no

    return {"people": people, "zhang": zhang, "passed": passed}


def shipping_tab(qtbot, ctx: Context) -> ShippingTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("shippingTab")
    loaded(qtbot)
    tab = window.findChild(ShippingTab, "shippingTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: ShippingTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)
    return tab.findChild(MessageLine, "scanMessage")


def rows(tab: ShippingTab, name: str) -> int:
    return tab.findChild(QTableView, name).model().rowCount()


def test_pack_two_units_by_scanning_refuse_one_not_passed_ship_and_see_the_ledger(
    qtbot, qtmodeltester, floor, printed: list[bytes]
) -> None:
    first = floor["passed"](1, ["充电器", "数据线"])
    second = floor["passed"](2, [])
    clerk: Context = floor["people"][Role.SHIPPING_CLERK]
    waiting = receive(floor["people"][Role.SUPERVISOR], floor["zhang"], 3)
    tab = shipping_tab(qtbot, clerk)
    assert rows(tab, "readyToShipTable") == 1  # 张三, two units
    assert "没有" in tab.panel.heading.text() or tab.shipment is None

    message = scan(qtbot, tab, first)
    assert message.outcome is Outcome.OK, message.text()
    assert "随机附件: 充电器、数据线" in message.text()
    assert tab.shipment is not None and tab.shipment.customer_name == "张三"
    assert tab.panel.form.receiver_name.text() == "张三"
    assert tab.panel.form.receiver_address.text() == "深圳市南山区科技园"

    message = scan(qtbot, tab, imei(2))  # the unit's own IMEI works as well as its label
    assert message.outcome is Outcome.OK, message.text()
    assert rows(tab, "packingListTable") == 2

    message = scan(qtbot, tab, waiting.order_no)
    assert message.outcome is Outcome.ERROR
    assert waiting.order_no in message.text() and "QC" in message.text()
    assert rows(tab, "packingListTable") == 2

    message = scan(qtbot, tab, "EA123456785CN")  # the carrier's pre-printed label
    assert message.outcome is Outcome.OK, message.text()
    assert tab.panel.form.waybill.text() == "EA123456785CN"
    assert tab.panel.form.carrier.currentData() == "EMS"
    tab.panel.form.weight.setValue(900)
    tab.panel.form.pieces.setValue(1)
    tab.panel.form.declared_value.setText("1200")

    for name in ("readyToShipTable", "packingListTable", "shippingLedgerTable"):
        qtmodeltester.check(tab.findChild(QTableView, name).model())
    field = tab.findChild(QLineEdit, "scanInput")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # ship
    assert not tab.panel.ship_button.isEnabled()  # saving on the floor worker: pressed once
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK, message.text()
    assert tab.shipment is None and rows(tab, "packingListTable") == 0
    qtbot.waitUntil(lambda: rows(tab, "shippingLedgerTable") == 2)
    ledger = tab.findChild(QTableView, "shippingLedgerTable").model()
    texts = {ledger.index(row, column).data() for row in range(2) for column in range(8)}
    assert {first, second, "EA123456785CN", "张三"} <= texts
    qtbot.waitUntil(lambda: rows(tab, "readyToShipTable") == 0)
    qtbot.waitUntil(lambda: len(printed) == 1)  # the waybill with its packing list
    assert printed[0].startswith(b"%PDF")
    with clerk.db.read() as session:
        states = set(session.scalars(select(RepairOrder.state)))
    assert states == {RepairState.SHIPPED, RepairState.RECEIVED}


def test_a_unit_of_no_shipment_is_refused_and_starts_nothing(qtbot, floor, printed) -> None:
    clerk: Context = floor["people"][Role.SHIPPING_CLERK]
    waiting = receive(floor["people"][Role.SUPERVISOR], floor["zhang"], 5)
    tab = shipping_tab(qtbot, clerk)
    message = scan(qtbot, tab, waiting.order_no)
    assert message.outcome is Outcome.ERROR and "QC" in message.text()
    assert tab.shipment is None
    assert tab.panel.open_shipments.count() == 1  # only "new shipment"


def test_a_refused_scan_reads_no_list_again(qtbot, floor, printed, monkeypatch) -> None:
    """A unit scanned twice is refused (a conflict of the rules, not a stale form): nothing
    changed, so neither the ready list, the ledger nor the packing list is read again."""
    order_no = floor["passed"](7, [])
    clerk: Context = floor["people"][Role.SHIPPING_CLERK]
    tab = shipping_tab(qtbot, clerk)
    assert scan(qtbot, tab, order_no).outcome is Outcome.OK
    reads: list[str] = []
    for name in ("readyToShipTable", "shippingLedgerTable", "packingListTable"):
        model = tab.findChild(QTableView, name).model()
        refresh = model.refresh
        monkeypatch.setattr(
            model,
            "refresh",
            lambda *a, refresh=refresh, name=name: (reads.append(name), refresh(*a)),
        )
    message = scan(qtbot, tab, order_no)  # again
    assert message.outcome is Outcome.ERROR and order_no in message.text(), message.text()
    assert reads == []
    assert rows(tab, "packingListTable") == 1


def test_preview_shows_the_waybill_and_cancel_asks_for_a_reason(qtbot, floor, printed) -> None:
    order_no = floor["passed"](6, ["充电器"])
    clerk: Context = floor["people"][Role.SHIPPING_CLERK]
    tab = shipping_tab(qtbot, clerk)
    scan(qtbot, tab, order_no)
    tab.panel.form.set_waybill_number("SF1234567890123", "SF")
    qtbot.mouseClick(tab.panel.preview_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.preview is not None and tab.preview.isVisible())
    assert tab.preview.document.pageCount() == 2  # label + packing list
    tab.preview.reject()
    assert printed == []

    qtbot.mouseClick(tab.panel.cancel_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    dialog = tab.findChild(CancelShipmentDialog, "cancelShipmentDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reason.setText("客户改地址")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()  # saving on the floor worker: pressed once
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert tab.shipment is None
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.OK
    qtbot.waitUntil(lambda: rows(tab, "readyToShipTable") == 1)
    assert isinstance(tab.preview, PdfPreviewDialog)


def test_a_shipped_units_waybill_is_printed_again_from_the_ledger_with_ctrl_p(
    qtbot, floor, monkeypatch
) -> None:
    from app.audit_actions import AuditAction
    from app.documents.roles import DocumentKind
    from app.models import AuditEntry
    from app.shipping import shipments as shipping
    from ui import pdf_print

    order_no = floor["passed"](1, [])
    clerk: Context = floor["people"][Role.SHIPPING_CLERK]
    with clerk.db.read() as session:
        order_id = session.scalar(select(RepairOrder.id).where(RepairOrder.order_no == order_no))
    shipping.ship_orders(
        clerk,
        [order_id],
        carrier_code="SF",
        waybill_no="SF1234567890123",
        receiver_name="张三",
        receiver_phone="13800138000",
        receiver_address="深圳",
    )
    answers = [True, False]
    sent: list[tuple[DocumentKind, str]] = []

    def fake_print(pdf: bytes, title: str, kind: DocumentKind, pages=None) -> bool:
        sent.append((kind, title))
        return answers.pop(0)

    monkeypatch.setattr(pdf_print, "print_document", fake_print)
    tab = shipping_tab(qtbot, clerk)
    view = tab.findChild(QTableView, "shippingLedgerTable")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    view.selectRow(0)
    view.customContextMenuRequested.emit(view.visualRect(view.model().index(0, 0)).center())
    menu = tab.reprinter.menu
    assert menu is not None and len(menu.actions()) == 3  # waybill, packing list, timeline
    assert "运单" in menu.actions()[0].text()
    menu.close()
    (reprint,) = [a for a in view.actions() if a.objectName() == "reprintAction"]
    assert reprint.shortcut().toString() == "Ctrl+P"
    reprint.trigger()  # Ctrl+P on the ledger
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=10000)
    assert sent[0][0] is DocumentKind.WAYBILL_LABEL and "SH" in sent[0][1]
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK
    reprint.trigger()  # no printer now
    qtbot.waitUntil(lambda: len(sent) == 2, timeout=10000)
    assert message.outcome is Outcome.WARNING and "未打印" in message.text()
    with clerk.db.read() as session:
        audited = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == AuditAction.REPRINT_DOCUMENT)
        ).all()
    assert len(audited) == 2 and all(detail.startswith("waybill_label SH") for detail in audited)
