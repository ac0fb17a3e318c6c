"""The field-quality page: a root cause and its corrective action recorded for the selected
alarm, reported done, verified; the Pareto counts it; the monthly report written to a folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from list_reads import loaded
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from quality_data import Shop

from app.context import Context
from app.models import ActionStatus, AlarmStatus, CauseSubject, QualityAlarm, Role, RootCause
from app.quality import actions
from ui.application import create_application
from ui.quality import actions_panel
from ui.quality import page as quality_page
from ui.quality.page import QualityPage


@pytest.fixture
def boss(db, make_user: Callable[..., Context], clock) -> Context:
    clock.set(datetime(2026, 4, 10, 9, tzinfo=UTC))
    boss = make_user(Role.SUPERVISOR, username="boss")
    Shop(db, boss.actor.user_id).sell("Q1", date(2026, 3, 1), 20)
    at = datetime(2026, 3, 20, tzinfo=UTC)
    with db.read() as session:
        from sqlalchemy import select

        from app.models import ProductModel

        model_id = session.scalar(select(ProductModel.id).where(ProductModel.code == "Q1"))
    with db.transaction() as session:
        session.add(
            QualityAlarm(
                product_model_id=model_id,
                sale_month=date(2026, 3, 1),
                fault_code="F01",
                months_in_service=0,
                observed=9,
                expected=1.0,
                p_value=1e-6,
                basis="category",
                first_detected_at=at,
                last_tested_at=at,
                status=AlarmStatus.OPEN,
            )
        )
    return boss


def test_a_root_cause_for_the_selected_alarm_is_done_and_verified_from_the_page(
    qtbot, boss, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application("zh_CN")
    page = QualityPage(boss)
    qtbot.addWidget(page)
    loaded(qtbot)
    page.alarms.view.selectRow(0)
    asked: list[int | None] = []

    def root_cause(parent, alarm_id):
        asked.append(alarm_id)
        return {
            "subject": CauseSubject.ALARM,
            "number": str(alarm_id),
            "cause": RootCause.PART_QUALITY,
            "analysis": "电容批次不良",
            "action": "更换供应商批次",
            "responsible": "王工",
            "due_date": date(2026, 4, 30),
        }

    monkeypatch.setattr(actions_panel, "ask_root_cause", root_cause)
    monkeypatch.setattr(actions_panel, "ask_text", lambda parent, prompt: ("已完成", True))
    monkeypatch.setattr(actions_panel, "ask_works", lambda parent: True)
    panel = page.actions
    qtbot.mouseClick(panel.cause_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    qtbot.waitUntil(lambda: panel.worklist.model.rowCount() == 1)
    assert asked == [page.alarms.model.row_object(0).id]
    panel.worklist.view.selectRow(0)
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    qtbot.waitUntil(lambda: actions.open_actions(boss)[0].status is ActionStatus.DONE)
    qtbot.waitUntil(lambda: panel.worklist.model.row_object(0).status is ActionStatus.DONE)
    panel.worklist.view.selectRow(0)
    qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    qtbot.waitUntil(lambda: panel.worklist.model.rowCount() == 0)
    assert panel.pareto.model.rowCount() == 1
    assert panel.pareto.model.row_object(0)[1:] == (RootCause.PART_QUALITY, 1)


def test_the_monthly_report_is_written_from_the_page(
    qtbot, boss, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    create_application("zh_CN")
    page = QualityPage(boss)
    qtbot.addWidget(page)
    loaded(qtbot)
    offered: list[list[str]] = []

    def choose(parent, models, month):
        offered.append(models)
        assert month == date(2026, 3, 1)  # the last month by default
        return "Q1", month, tmp_path / "reports"

    monkeypatch.setattr(quality_page, "ask_report", choose)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    written = {"质量月报_Q1_202603.pdf", "质量月报_Q1_202603.xlsx"}
    qtbot.waitUntil(lambda: all(name in page.status.text() for name in written), timeout=20_000)
    assert {path.name for path in (tmp_path / "reports").iterdir()} == written
    assert offered == [["Q1"]]
    book = load_workbook(tmp_path / "reports" / "质量月报_Q1_202603.xlsx", read_only=True)
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=4, values_only=True)}
    assert summary["近十二个月销售台数"] == 20 and summary["预警条数"] == 1
    assert (tmp_path / "reports" / "质量月报_Q1_202603.pdf").read_bytes().startswith(b"%PDF")


def test_the_knowledge_base_is_searched_and_exported_from_the_page(
    qtbot, boss, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from factories import imei
    from quality_data import Return, on

    from ui.quality import knowledge_panel

    Shop(boss.db, boss.actor.user_id).returns(
        "Q1",
        [
            Return(imei(1), on(date(2026, 3, 2)), "F01", cause="屏排线松脱", action="重新扣合"),
            Return(imei(2), on(date(2026, 3, 3)), "F02", cause="电池老化", action="更换电池"),
        ],
    )
    create_application("zh_CN")
    page = QualityPage(boss)
    qtbot.addWidget(page)
    loaded(qtbot)
    panel = page.knowledge
    assert panel.articles.model.rowCount() == 2
    panel.search.setText("电池")  # typed through an input method: set, not key clicks
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    loaded(qtbot)
    loaded(qtbot)
    assert panel.articles.model.rowCount() == 1
    assert panel.articles.model.row_object(0).action == "更换电池"
    monkeypatch.setattr(knowledge_panel, "ask_export_path", lambda parent: tmp_path / "kb.xlsx")
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    loaded(qtbot)
    qtbot.waitUntil(lambda: "kb.xlsx" in panel.status.text(), timeout=20_000)
    rows = list(
        load_workbook(tmp_path / "kb.xlsx", read_only=True)
        .worksheets[0]
        .iter_rows(min_row=4, values_only=True)
    )
    assert [row[4] for row in rows] == ["更换电池"]
