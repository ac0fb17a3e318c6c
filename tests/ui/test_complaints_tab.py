"""The complaints tab: register a complaint, let its deadline pass, see it red and counted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from factories import add_customer
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableView

from app.complaints.watch import complaint_version
from app.context import Context
from app.documents.timeline import timeline_pdf
from app.models import ComplaintCategory, ComplaintChannel, ComplaintGrade, Role
from ui.changes import ChangeBridge
from ui.complaints import letter
from ui.complaints.tab import ComplaintsTab
from ui.complaints.table_models import LATE_BACKGROUND
from ui.overdue_counter import OverdueCounter
from ui.widgets.pdf_preview import PdfPreviewDialog


@pytest.fixture
def service(db, make_user: Callable[..., Context], clock) -> Context:
    clock.set(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    ctx = make_user(Role.CUSTOMER_SERVICE, username="service")
    add_customer(db, ctx, "张三", "13800138000")
    return ctx


def test_register_let_the_deadline_pass_see_it_red_and_counted(
    db, qtbot, qtmodeltester, service, clock
) -> None:
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    counter = OverdueCounter(service)
    qtbot.addWidget(counter)
    assert counter.count == 0

    form = tab.form
    qtbot.keyClicks(form.customer_search, "1380013")
    qtbot.keyClick(form.customer_search, Qt.Key.Key_Return)
    loaded(qtbot)
    assert form.customer.currentText().startswith("张三")
    form.description.setPlainText("前台态度差")
    form.request.setText("要求道歉")
    qtbot.mouseClick(
        tab.findChild(QPushButton, "registerComplaintButton"), Qt.MouseButton.LeftButton
    )
    loaded(qtbot)

    table = tab.findChild(QTableView, "complaintsTable")
    model = table.model()
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "CP202611020001"
    assert model.index(0, 7).data() == "10m"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None

    clock.advance(minutes=15)
    tab.refresh()
    loaded(qtbot)
    counter.refresh()
    loaded(qtbot)
    assert model.index(0, 7).data() == "-5m"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == LATE_BACKGROUND
    assert model.late_rows() == 1
    assert counter.count == 1 and "1" in counter.text()


def test_the_counter_counts_overdue_calls_too_and_clears(db, qtbot, service, supervisor, clock):
    from app import complaints

    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    (customer_id, *_), *_ = complaints.find_customers(service, "张三")
    number = complaints.register_complaint(
        service,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="维修慢",
        customer_request=None,
        grade=ComplaintGrade.A,
        category=ComplaintCategory.TURNAROUND,
    )
    (row,) = complaints.register_rows(service)
    assert row.complaint_no == number
    complaints.propose_remedies(
        service, row.id, "道歉", "赠送配件", expected_version=complaint_version(service, row.id)
    )
    complaints.approve_remedies(
        supervisor, row.id, expected_version=complaint_version(supervisor, row.id)
    )
    complaints.record_choice(
        service, row.id, "道歉", expected_version=complaint_version(service, row.id)
    )
    complaints.settle_complaint(
        service,
        row.id,
        outcome="已道歉",
        customer_accepted=True,
        expected_version=complaint_version(service, row.id),
    )
    counter = OverdueCounter(service)
    qtbot.addWidget(counter)
    assert counter.count == 0
    clock.advance(days=5)
    counter.refresh()
    loaded(qtbot)
    assert (counter.complaints_overdue, counter.calls_overdue) == (0, 1)
    tab.refresh()
    loaded(qtbot)
    panel = tab.followups
    panel.table.selectRow(0)
    panel.comment.setText("满意")
    qtbot.mouseClick(panel.findChild(QPushButton, "recordSurveyButton"), Qt.MouseButton.LeftButton)
    loaded(qtbot)
    counter.refresh()
    loaded(qtbot)
    assert counter.count == 0
    assert tab.findChild(QLineEdit, "followUpComment").text() == ""


def test_the_apology_letter_previews_and_prints_through_the_letter_door(
    db, qtbot, service, monkeypatch
) -> None:
    printed: list[str] = []
    monkeypatch.setattr(letter, "print_letter", lambda pdf, title: printed.append(title) or True)
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    pdf = timeline_pdf("致歉信", ["张三 先生/女士"], [])
    tab.handling.letter_ready.emit(pdf, "致歉信 CP-1")
    dialog = tab.letter_dialog
    assert isinstance(dialog, PdfPreviewDialog) and dialog.isVisible()
    assert dialog.objectName() == "apologyLetterPreview" and dialog.page_count() == 1
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert printed == ["致歉信 CP-1"] and dialog.printed is True
    dialog.close()
