"""The escalation box of the complaint handling panel, headquarters' worklist page and the daily
report page: a station escalates, headquarters takes and answers, the station reads the answer;
the day's report is shown and exported to Excel and PDF (Chinese)."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import move_users
from list_reads import loaded
from openpyxl import load_workbook
from pdfcheck import pdf_text
from test_escalations import _complaint

import ui.headquarters.daily as daily_page
from app.audit_actions import AuditAction
from app.config import DATA_DIR_ENV_VAR
from app.models import Center, CenterKind, EscalationDecision, Role
from app.vocabulary import chinese
from ui.application import create_application
from ui.complaints.handling import HandlingPanel
from ui.headquarters.daily import DailyReportPage
from ui.headquarters.escalations import EscalationsPage


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def _headquarters_person(db, make_user):
    with db.transaction() as session:
        center = Center(code="HQ", name="服务管理部", kind=CenterKind.HEADQUARTERS)
        session.add(center)
        session.flush()
        center_id = center.id
    hq = make_user(Role.SUPERVISOR, username="hq-li")
    with db.transaction() as session:
        move_users(session, [hq.user_id], center_id)
    return hq


def test_escalated_from_the_panel_answered_on_the_worklist(
    qtbot, db, make_user, monkeypatch
) -> None:
    create_application("zh_CN")
    station = make_user(Role.SUPERVISOR, username="station-boss")
    hq = _headquarters_person(db, make_user)
    complaint_id, _ = _complaint(db, station)
    panel = HandlingPanel(station, lambda action: action())
    qtbot.addWidget(panel)
    panel.show_complaint(complaint_id)
    box = panel.escalation
    assert box.history.text() == "未上报总部。"
    box.reason.setText("同一投诉三次无法解决")
    box.escalate_button.click()
    assert not box.escalate_button.isEnabled()  # escalating on the floor worker: pressed once
    loaded(qtbot)
    assert "同一投诉三次无法解决" in box.history.text() and "待总部受理" in box.history.text()
    assert not box.escalate_button.isEnabled()  # one waits at a time

    page = EscalationsPage(hq)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 0).text() == "C1 售后维修中心"
    assert page.table.item(0, 6).text() == "待总部受理"
    page.take_button.click()
    qtbot.waitUntil(lambda: page.table.item(0, 6).text() == "总部处理中")
    monkeypatch.setattr(
        page, "ask_answer", lambda row: (EscalationDecision.RETURNED, "按三包规定由站内处理")
    )
    page.answer_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)  # answered: off the worklist
    page.show_answered.setChecked(True)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 8).text() == "退回服务站处理: 按三包规定由站内处理"

    panel.show_complaint(complaint_id)
    assert "总部已答复" in box.history.text()
    assert "按三包规定由站内处理" in box.history.text()
    assert box.escalate_button.isEnabled()


def test_the_stations_daily_report_page_exports(
    qtbot, db, make_user, tmp_path, monkeypatch
) -> None:
    create_application("zh_CN")
    station = make_user(Role.SUPERVISOR, username="station-boss")
    _complaint(db, station)
    page = DailyReportPage(station, network=False)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.complaints.rowCount() == 1)
    assert page.figures.item(0, 0).text() == "C1" and page.figures.item(0, 7).text() == "1"
    targets = iter([tmp_path / "日报.xlsx", tmp_path / "日报.pdf"])
    monkeypatch.setattr(daily_page, "ask_path", lambda parent, name, kind: next(targets))
    page.excel_button.click()
    page.pdf_button.click()
    rows = list(load_workbook(tmp_path / "日报.xlsx")["投诉处理结果"].iter_rows(values_only=True))
    assert any(row[0] == "C1" and row[4] == "C级" for row in rows if row and row[0])
    text = pdf_text((tmp_path / "日报.pdf").read_bytes())
    assert "服务站日报" in text
    assert chinese(AuditAction.REGISTER_COMPLAINT) in text.replace("\n", "")
