"""The accountability page of the complaints tab: the person responsible recorded for the
selected complaint with what closing it valid will list, the month's sheet, its approval by the
general manager's signature (a wrong password approves nothing), and its Excel export."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from list_reads import loaded
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select
from test_care_accountability import office  # noqa: F401 (the fixture)

from app import complaints
from app.complaints.watch import complaint_version
from app.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintGrade
from ui.changes import ChangeBridge
from ui.complaints.tab import ComplaintsTab
from ui.i18n import install_translators


@pytest.fixture(autouse=True)
def _english() -> None:
    install_translators("en")  # an earlier test may have left Chinese in


def _click(qtbot, widget, name: str) -> None:
    qtbot.mouseClick(widget.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    loaded(qtbot)


def test_record_the_person_close_valid_see_the_sheet_sign_it_and_export(
    db,
    qtbot,
    office,  # noqa: F811
    tmp_path,
) -> None:
    gm = office["gm"]
    number = complaints.register_complaint(
        gm,
        customer_id=office["customer"],
        channel=ComplaintChannel.PHONE,
        description="维修后仍不开机",
        customer_request="重新维修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    tab = ComplaintsTab(gm, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    tab.table.selectRow(0)
    panel = tab.accountability
    assert panel.complaint.text() == number
    assert "handler named" in [step for _, step in tab.model.row_object(0).pending_steps()]
    panel.handler.setCurrentIndex(panel.handler.findText("李主任 (S01) · 营销一组"))
    loaded(qtbot)
    _click(qtbot, panel, "nameHandlerButton")
    loaded(qtbot)
    tab.model.refresh()
    loaded(qtbot)
    steps = [step for _, step in tab.model.row_object(0).pending_steps()]
    assert steps == ["first contact", "answer"]  # the handler step is done
    assert panel.complaint.text() == f"{number} · handler 李主任"
    panel.staff.setCurrentIndex(panel.staff.findText("张代表 (R01)"))
    loaded(qtbot)
    panel.service_amount.setText("500")
    _click(qtbot, panel, "recordAccountabilityButton")
    loaded(qtbot)
    preview = panel.preview.text()
    assert "张代表: ¥200.00" in preview and "李主任: ¥30.00" in preview

    with db.read() as session:
        cid = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    for step in (
        lambda v: complaints.propose_remedies(gm, cid, "免费重修", "换新机", expected_version=v),
        lambda v: complaints.approve_remedies(gm, cid, expected_version=v),
        lambda v: complaints.record_choice(gm, cid, "免费重修", expected_version=v),
        lambda v: complaints.settle_complaint(
            gm, cid, outcome="已重修", customer_accepted=True, expected_version=v
        ),
        lambda v: complaints.close_complaint(gm, cid, expected_version=v),
    ):
        step(complaint_version(gm, cid))

    panel.month.setText("2026-11")
    _click(qtbot, panel, "showSheetButton")
    loaded(qtbot)
    assert panel.model.rowCount() == 3
    assert "3 lines, ¥230.00 in all; not approved" in panel.summary.text()
    panel.password.setText("wrong")
    _click(qtbot, panel, "approveSheetButton")
    loaded(qtbot)
    assert panel.password.text() == ""
    assert "not approved" in panel.summary.text()
    panel.password.setText(PASSWORD)
    _click(qtbot, panel, "approveSheetButton")
    loaded(qtbot)
    assert "approved by 总经理" in panel.summary.text()

    path = tmp_path / "sheet.xlsx"
    assert panel.export_to(path) == 3
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[-1][0].startswith("总经理审批:总经理")

    # A line of the approved sheet is corrected by a new line on the open month's sheet.
    panel.table.selectRow(0)
    corrected = panel.model.row_object(0)
    panel.correction_amount.setText("-50")
    panel.correction_note.setText("复核后减免")
    _click(qtbot, panel, "addCorrectionButton")
    assert panel.month.text() == "2026-12" and panel.model.rowCount() == 1
    line = panel.model.row_object(0)
    assert (line.corrects_id, line.amount_cents, line.note) == (corrected.id, -5000, "复核后减免")
    assert panel.correction_amount.text() == "" and panel.correction_note.text() == ""
    panel.month.setText("2026-11")
    _click(qtbot, panel, "showSheetButton")
    assert panel.model.rowCount() == 3 and "¥230.00 in all" in panel.summary.text()  # unchanged
