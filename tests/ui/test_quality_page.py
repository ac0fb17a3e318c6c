"""The field-quality page of the ledgers tab: a supervisor acknowledges an alarm with a note
and closes it; the list shows what is now true."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from factories import add_model
from list_reads import loaded
from PySide6.QtCore import Qt

from app.context import Context
from app.models import AlarmStatus, QualityAlarm, Role
from app.quality import alarms
from ui.application import create_application
from ui.quality import page as quality_page
from ui.quality.page import QualityPage


@pytest.fixture
def boss(db, make_user: Callable[..., Context]) -> Context:
    model_id = add_model(db, "Q1")
    at = datetime(2026, 5, 1, tzinfo=UTC)
    with db.transaction() as session:
        session.add(
            QualityAlarm(
                product_model_id=model_id,
                sale_month=date(2026, 4, 1),
                fault_code="F01",
                months_in_service=1,
                observed=30,
                expected=10.0,
                p_value=1e-6,
                basis="model",
                first_detected_at=at,
                last_tested_at=at,
                status=AlarmStatus.OPEN,
            )
        )
    return make_user(Role.SUPERVISOR, username="boss")


def test_a_supervisor_acknowledges_and_closes_an_alarm_from_the_page(
    qtbot, boss, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application("zh_CN")
    page = QualityPage(boss)
    qtbot.addWidget(page)
    loaded(qtbot)
    assert page.alarms.model.rowCount() == 1
    page.acknowledge_button.click()  # nothing selected: asked to select
    assert page.status.text()
    notes = iter(["已通知工程部", "供应商已换批次"])
    monkeypatch.setattr(quality_page, "ask_note", lambda parent, prompt: (next(notes), True))
    page.alarms.view.selectRow(0)
    qtbot.mouseClick(page.acknowledge_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    loaded(qtbot)
    qtbot.waitUntil(lambda: alarms.alarm_list(boss)[0].status is AlarmStatus.ACKNOWLEDGED)
    qtbot.waitUntil(lambda: page.alarms.model.row_object(0).version == 2)
    page.alarms.view.selectRow(0)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    loaded(qtbot)
    qtbot.waitUntil(lambda: page.alarms.model.rowCount() == 0)
    page.show_closed.setChecked(True)
    loaded(qtbot)
    assert page.alarms.model.row_object(0).close_note == "供应商已换批次"
