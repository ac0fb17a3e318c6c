"""Every list that shows a printable record prints it again from its row (context menu, Ctrl+P),
through the audited core and the printer roles (a fake QPrinter sink records which printer got
what); a document that did not print waits in the station's to-print list, opened from the
receiving desk and the status bar, until "Print again" / "Print all" prints it; the message line
is amber, not green, while anything waits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import add_customer, add_model, imei
from list_reads import loaded, whole_page
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPushButton
from sqlalchemy import select
from test_printer_roles import PRINTERS, Job
from test_printer_roles import sink as _the_sink_fixture  # noqa: F401 - registers "sink"

from app.audit_actions import AuditAction
from app.context import Context
from app.documents.roles import DocumentKind, PrinterRole
from app.models import AuditEntry, Carrier, Role
from app.receiving import open_box
from ui import settings
from ui.application import build_main_window, create_application
from ui.print_queue import ToPrintDialog, print_queue
from ui.receiving.tab import ReceivingTab
from ui.reprint import Reprinter
from ui.search.timeline import TimelineDialog
from ui.widgets.feedback import MessageLine, Outcome

WAYBILL = "EA123456785CN"


@pytest.fixture
def printers(_the_sink_fixture: list[Job]) -> list[Job]:  # noqa: F811
    """The printer roles of test_printer_roles, each job recorded (which printer, what)."""
    return _the_sink_fixture


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
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    return {"clerk": clerk, "sender": sender}


def window_of(qtbot, ctx: Context):
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def scan(qtbot, tab: ReceivingTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)  # the lists the scan changed are read again off the UI thread
    return tab.findChild(MessageLine, "scanMessage")


def menu_texts(reprinter: Reprinter, view: QAbstractItemView, row: int = 0) -> list[str]:
    """What right click on ``row`` offers to print again (its own menu, or the submenu of
    "Print again" beside a list's own actions)."""
    view.selectRow(row)  # type: ignore[attr-defined]
    if view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu:
        (action,) = [a for a in view.actions() if a.objectName() == "reprintAction"]
        assert action.menu() is reprinter.menu
        reprinter.menu.aboutToShow.emit()
    else:
        view.customContextMenuRequested.emit(view.visualRect(view.model().index(row, 0)).center())
    assert reprinter.menu is not None
    texts = [action.text() for action in reprinter.menu.actions()]
    reprinter.menu.close()
    return texts


def ctrl_p(view: QAbstractItemView) -> None:
    (action,) = [a for a in view.actions() if a.objectName() == "reprintAction"]
    assert action.shortcut().toString() == "Ctrl+P"
    action.trigger()


def reprinted(db) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == AuditAction.REPRINT_DOCUMENT)
            )
        )


def test_the_receiving_lists_print_a_label_or_the_slip_again_on_their_roles_printers(
    qtbot, desk, printers: list[Job]
) -> None:
    clerk = desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=2)
    window = window_of(qtbot, clerk)
    window.show_tab("receivingTab")
    tab = whole_page(window, "receivingTab")
    tab.set_box(box_id)
    tab.box_panel.print_labels.setChecked(True)
    assert scan(qtbot, tab, imei(1)).outcome is Outcome.OK
    qtbot.waitUntil(lambda: len(printers) == 1, timeout=10_000)  # the label, at once
    qtbot.waitUntil(lambda: tab.units.model.rowCount() == 1, timeout=10_000)
    order_no = tab.units.model.row_object(0).order_no
    view = tab.units.view
    texts = menu_texts(tab.units.view.findChild(Reprinter), view)
    assert [order_no in text for text in texts] == [True, False, True]  # label, slip, timeline
    assert WAYBILL in texts[1] and "收货单" in texts[1]
    ctrl_p(view)  # the unit's label again
    qtbot.waitUntil(lambda: len(printers) == 2, timeout=10_000)
    assert printers[1].printer == PRINTERS[PrinterRole.LABEL]
    recent = tab.recent.view
    qtbot.waitUntil(lambda: recent.model().rowCount() == 1, timeout=5000)
    recent_reprinter = recent.findChild(Reprinter)
    menu_texts(recent_reprinter, recent)
    recent_reprinter.reprint(DocumentKind.RECEIVING_SLIP, WAYBILL)  # the slip's menu entry
    qtbot.waitUntil(lambda: len(printers) == 3, timeout=10_000)
    assert printers[2].printer == PRINTERS[PrinterRole.DOCUMENT]  # the A4 slip: never the label's
    assert reprinted(clerk.db) == [f"order_label {order_no}", f"receiving_slip {WAYBILL}"]


def test_a_label_that_did_not_print_waits_in_the_to_print_list_until_printed(
    qtbot, desk, printers: list[Job]
) -> None:
    clerk = desk["clerk"]
    settings.LABEL_PRINTER.set("")  # no label printer found ...
    from ui import pdf_print

    real_open = pdf_print.open_printer
    pdf_print.open_printer = lambda name: None if not name else real_open(name)  # type: ignore[assignment]
    try:
        box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=3)
        window = window_of(qtbot, clerk)
        window.show_tab("receivingTab")
        tab = whole_page(window, "receivingTab")
        tab.set_box(box_id)
        tab.box_panel.print_labels.setChecked(True)
        line = scan(qtbot, tab, imei(1))
        queue = print_queue(clerk)
        qtbot.waitUntil(lambda: len(queue.items) == 1, timeout=10_000)
        assert line.outcome is Outcome.WARNING and "标签未打印" in line.text()
        desk_button = tab.findChild(QPushButton, "receivingToPrintButton")
        status_button = window.findChild(QPushButton, "statusToPrintButton")
        assert desk_button.isVisible() and status_button.isVisible()
        assert "(1)" in desk_button.text() and "(1)" in status_button.text()
        line = scan(qtbot, tab, imei(2))  # the next unit is received ...
        qtbot.waitUntil(lambda: len(queue.items) == 2, timeout=10_000)
        line = scan(qtbot, tab, imei(3))
        qtbot.waitUntil(lambda: len(queue.items) == 3, timeout=10_000)
        assert line.outcome is Outcome.WARNING  # ... never green while labels wait
        assert "等待打印" in line.text() or "待打印" in line.text()
    finally:
        pdf_print.open_printer = real_open  # type: ignore[assignment]
    settings.LABEL_PRINTER.set(PRINTERS[PrinterRole.LABEL])  # the printer is back
    dialog = desk_button.open_list()
    assert isinstance(dialog, ToPrintDialog) and dialog.list.count() == 3
    dialog.list.setCurrentRow(0)
    dialog.print_button.click()  # print again: the first one
    qtbot.waitUntil(lambda: len(queue.items) == 2, timeout=10_000)
    assert printers[-1].printer == PRINTERS[PrinterRole.LABEL] and dialog.list.count() == 2
    dialog.print_all_button.click()
    qtbot.waitUntil(lambda: not queue.items, timeout=20_000)
    assert len(printers) == 3 and dialog.list.count() == 0
    assert not desk_button.isVisible() and not status_button.isVisible()
    dialog.accept()
    tab.box_panel.print_labels.setChecked(False)
    assert scan(qtbot, tab, imei(4)).outcome is Outcome.OK  # green again: nothing waits


def test_complaints_search_results_and_the_order_view_print_again(
    qtbot, demo_db, make_user, printers: list[Job]
) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss")
    window = window_of(qtbot, boss)
    # The complaints list: its letter and its orders' timelines; Ctrl+P is the first (the letter).
    window.show_tab("complaintsTab")
    window.page("complaintsTab")  # whole: its pages are built one per turn after it shows
    complaints = window.findChild(QAbstractItemView, "complaintsTable")
    qtbot.waitUntil(lambda: complaints.model().rowCount() > 0, timeout=5000)
    reprinter = complaints.findChild(Reprinter)
    texts = menu_texts(reprinter, complaints)
    assert "道歉信" in texts[0] and all("时间线" in text for text in texts[1:]) and len(texts) > 1
    number = complaints.model().row_object(0).complaint_no
    assert number in texts[0]
    from app.documents.reprint import documents_of_complaint

    order_no = documents_of_complaint(boss, number)[1][1]
    assert order_no in texts[1]
    reprinter.reprint(DocumentKind.TIMELINE, order_no)
    qtbot.waitUntil(lambda: len(printers) == 1, timeout=10_000)
    assert printers[0].printer == PRINTERS[PrinterRole.DOCUMENT]
    # The search's results: right click or Ctrl+P on the found order.
    field = window.search_field
    field.setFocus()
    qtbot.keyClicks(field, order_no)
    qtbot.waitUntil(lambda: field.model.rowCount() > 0, timeout=5000)
    field.results.selectRow(0)
    qtbot.keyClick(field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(printers) == 2, timeout=10_000)
    assert printers[1].printer == PRINTERS[PrinterRole.LABEL]  # the order's label
    field.results.hide()
    # The order view (its timeline dialog): every document of the order.
    with boss.db.read() as session:
        from app.models import RepairOrder

        order_id = session.scalar(select(RepairOrder.id).where(RepairOrder.order_no == order_no))
    dialog = TimelineDialog(boss, order_id, window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.timeline is not None, timeout=5000)
    texts = menu_texts(dialog.reprinter, dialog.events)
    assert order_no in texts[0] and "时间线" in texts[-1]
    ctrl_p(dialog.events)
    qtbot.waitUntil(lambda: len(printers) == 3, timeout=10_000)
    assert printers[2].printer == PRINTERS[PrinterRole.LABEL] and "打印" in dialog.status.text()
    dialog.close()
    assert reprinted(boss.db) == [
        f"timeline {order_no}",
        f"order_label {order_no}",
        f"order_label {order_no}",
    ]


def test_a_label_printer_set_to_zpl_gets_the_label_raw_at_receiving_and_on_reprint(
    qtbot, desk, printers: list[Job], monkeypatch
) -> None:
    from ui import raw_print
    from ui.printers_dialog import PrintersDialog

    dialog = PrintersDialog()
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("zpl"))
    dialog.save()
    assert settings.LABEL_LANGUAGE.get() == "zpl"
    raw: list[tuple[str, bytes]] = []
    monkeypatch.setattr(
        raw_print, "send_raw", lambda name, data, title: raw.append((name, data)) or True
    )
    clerk = desk["clerk"]
    box_id = open_box(clerk, WAYBILL, sender_id=desk["sender"], declared_quantity=1)
    window = window_of(qtbot, clerk)
    window.show_tab("receivingTab")
    tab = whole_page(window, "receivingTab")
    tab.set_box(box_id)
    tab.box_panel.print_labels.setChecked(True)
    assert scan(qtbot, tab, imei(1)).outcome is Outcome.OK
    qtbot.waitUntil(lambda: len(raw) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: tab.units.model.rowCount() == 1, timeout=10_000)
    order_no = tab.units.model.row_object(0).order_no
    name, zpl = raw[0]
    assert name == PRINTERS[PrinterRole.LABEL] and zpl.startswith(b"^XA")
    assert f"^FD{order_no}^FS".encode() in zpl and zpl.rstrip().endswith(b"^XZ")
    tab.units.view.selectRow(0)
    ctrl_p(tab.units.view)  # printed again: raw ZPL too, never a raster
    qtbot.waitUntil(lambda: len(raw) == 2, timeout=10_000)
    assert f"^FD{order_no}^FS".encode() in raw[1][1] and printers == []
    tab.units.view.findChild(Reprinter).reprint(DocumentKind.RECEIVING_SLIP, WAYBILL)
    qtbot.waitUntil(lambda: len(printers) == 1, timeout=10_000)  # an A4 slip stays a PDF
    assert printers[0].printer == PRINTERS[PrinterRole.DOCUMENT] and len(raw) == 2
