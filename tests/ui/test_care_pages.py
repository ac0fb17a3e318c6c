"""The survey in the follow-up call, the outbox list and the apology calls of the complaints
tab's customer-care page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from factories import add_customer
from list_reads import loaded
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QSpinBox

from app.complaints import notice_events, notices, survey
from app.complaints.notices import NoticeStatus
from app.context import Context
from app.models import FollowUp, FollowUpKind, Role
from ui.changes import ChangeBridge
from ui.complaints.tab import ComplaintsTab
from ui.i18n import install_translators


@pytest.fixture
def service(db, make_user: Callable[..., Context], clock) -> Context:
    clock.set(datetime(2026, 11, 2, 4, 0, tzinfo=UTC))
    return make_user(Role.CUSTOMER_SERVICE, username="service")


def _call(db, ctx: Context, customer_id: int) -> None:
    with db.transaction() as session:
        session.add(
            FollowUp(kind=FollowUpKind.AFTER_REPAIR, customer_id=customer_id, due_at=ctx.now())
        )


@pytest.fixture(autouse=True)
def _english() -> None:
    install_translators("en")  # an earlier test may have left Chinese in


def _click(qtbot, widget, name: str) -> None:
    qtbot.mouseClick(widget.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    loaded(qtbot)


def test_the_survey_in_the_follow_up_call_thanks_or_books_an_apology(
    db, qtbot, service, clock, tmp_path
) -> None:
    customer = add_customer(db, service)
    _call(db, service, customer)
    _call(db, service, customer)
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    panel = tab.followups
    assert len(panel.findChildren(QSpinBox)) == 4  # overall, speed, quality, attitude
    panel.table.selectRow(0)
    _click(qtbot, panel, "consentButton")
    loaded(qtbot)
    assert notices.consent_of(service, customer).may_text
    panel.table.selectRow(0)
    _click(qtbot, panel, "recordSurveyButton")  # all fives
    loaded(qtbot)
    outcome = panel.findChild(QLabel, "surveyOutcome").text()
    assert "thank-you" in outcome
    assert panel.model.rowCount() == 1
    panel.table.selectRow(0)
    panel.findChild(QSpinBox, "surveyScore3").setValue(2)  # attitude
    panel.findChild(QCheckBox, "surveyOpensComplaint").setChecked(True)
    loaded(qtbot)
    panel.comment.setText("态度不好")
    _click(qtbot, panel, "recordSurveyButton")
    loaded(qtbot)
    assert "CP" in panel.findChild(QLabel, "surveyOutcome").text()
    assert panel.model.rowCount() == 0
    assert panel.findChild(QSpinBox, "surveyScore3").value() == 5  # reset for the next call

    care = tab.care
    care.refresh()
    loaded(qtbot)
    assert care.outbox_model.rowCount() == 1
    assert care.outbox_model.index(0, 4).data() == "To send"
    assert "感谢" in care.outbox_model.index(0, 6).data()
    assert care.apology_model.rowCount() == 1
    assert "服务态度 2" in care.apology_model.index(0, 3).data()
    clock.advance(hours=25)
    assert care.apology_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    care.apologies.selectRow(0)
    care.apology_outcome.setText("已致歉")
    _click(qtbot, care, "apologyDoneButton")
    loaded(qtbot)
    assert care.apology_model.rowCount() == 0
    assert survey.apology_calls(service) == []

    path = tmp_path / "满意度.xlsx"
    care.export_to(path)
    lines = list(load_workbook(path).active.iter_rows(values_only=True))
    assert lines[-1][3:5] == (2, 1)  # the month's total: two surveys, one fully satisfied


def test_the_outbox_lists_messages_to_send_by_hand_without_a_provider(db, qtbot, service) -> None:
    customer = add_customer(db, service)
    notices.record_consent(service, customer, consents=True, expected_version=0)
    _call(db, service, customer)
    survey.record_survey(
        service,
        _first_call(db),
        {"总体满意度": 5, "维修速度": 5, "维修质量": 5, "服务态度": 5},
    )
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    care = tab.care
    with qtbot.waitSignal(care.outbox_model.modelReset, timeout=5000):
        _click(qtbot, care, "sendNoticesButton")  # off the UI thread: no provider, none sent
        loaded(qtbot)
    assert "No provider is configured" in care.status.text()
    assert care.outbox_model.rowCount() == 1
    care.outbox.selectRow(0)
    _click(qtbot, care, "sentByHandButton")
    loaded(qtbot)
    assert care.outbox_model.index(0, 4).data() == "Sent by hand"
    (row,) = notices.outbox(service)
    assert row.status is NoticeStatus.BY_HAND
    assert notice_events.queue_due_notices(service) == 0


def _first_call(db) -> int:
    from sqlalchemy import select

    with db.read() as session:
        return session.scalar(select(FollowUp.id).order_by(FollowUp.id))


def test_a_customer_under_watch_is_flagged_at_the_phone_and_on_the_tab(
    db, qtbot, service, supervisor, clock, make_user
) -> None:
    from factories import add_model, receive, settle_a_complaint

    customer = add_customer(db, service)
    settle_a_complaint(db, service, supervisor, customer)
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    assert "Under watch after a complaint: 张三 (2027-02-02)" in tab.flags.text()
    assert "back with a unit" not in tab.flags.text()
    add_model(db)
    back = receive(make_user(Role.RECEIVING_CLERK, username="clerk"), customer)
    tab.refresh_flags()
    loaded(qtbot)  # read on the read worker
    assert f"Watched customers back with a unit: 张三 {back.order_no}" in tab.flags.text()
    form = tab.form
    form.customer_search.setText("张三")
    form.search_customers()
    loaded(qtbot)  # the customers, then the chosen one's watch, read on the read worker
    flag = form.findChild(QLabel, "customerWatchFlag")
    assert flag.isVisibleTo(form) and "2027-02-02 12:00" in flag.text()
    clock.advance(days=92)
    form.search_customers()
    loaded(qtbot)
    assert not flag.isVisibleTo(form)
    tab.refresh_flags()
    loaded(qtbot)
    assert "Under watch" not in tab.flags.text()
