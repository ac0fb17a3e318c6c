"""The handling page's step bar: only the reachable step's button is enabled, the agent sees
whom they wait for, the customer's choice is never preselected, the first-contact countdown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from factories import add_customer
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app import complaints
from app.complaints.steps import STEPS, ComplaintStep
from app.complaints.watch import complaint_version
from app.context import Context
from app.models import ComplaintCategory, ComplaintChannel, ComplaintGrade, Role, StaffMember
from ui.changes import ChangeBridge
from ui.complaints.tab import ComplaintsTab


@pytest.fixture
def service(db, make_user: Callable[..., Context], clock) -> Context:
    clock.set(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    ctx = make_user(Role.CUSTOMER_SERVICE, username="service")
    customer_id = add_customer(db, ctx, "张三", "13800138000")
    complaints.register_complaint(
        ctx,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="返修后仍不开机",
        customer_request="重修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with db.transaction() as session:
        session.add(StaffMember(code="T01", name="李工", kind="technician"))
    return ctx


def _enabled_steps(tab: ComplaintsTab) -> list[ComplaintStep]:
    bar = tab.handling.step_bar
    return [step for step in STEPS if bar.buttons[step].isEnabled()]


def _press(qtbot, tab: ComplaintsTab, step: ComplaintStep) -> None:
    button = tab.findChild(QPushButton, f"complaintStep_{step.value}")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    loaded(qtbot)  # saved on the floor worker


def test_the_bar_walks_the_agent_through_and_names_the_supervisor(
    db, qtbot, service, make_user, clock
) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="王主管")
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    tab.table.selectRow(0)
    panel = tab.handling
    bar = panel.step_bar
    assert _enabled_steps(tab) == [ComplaintStep.CONTACT]
    assert not bar.countdown.isHidden() and "10:00" in bar.countdown.text()
    clock.advance(minutes=12)
    bar.tick()
    assert "2:00" in bar.countdown.text() and "b3261e" in bar.countdown.styleSheet()

    _press(qtbot, tab, ComplaintStep.CONTACT)
    assert _enabled_steps(tab) == [ComplaintStep.VERIFY] and not not bar.countdown.isHidden()
    assert bar.buttons[ComplaintStep.CONTACT].text().startswith("✓")
    assert panel.person.findText("李工 (T01)") > 0  # a staff record, no free text
    panel.person.setCurrentIndex(panel.person.findText("李工 (T01)"))
    panel.facts.setPlainText("漏装螺丝")
    panel.remedy_1.setText("免费重修")
    panel.remedy_2.setText("退还维修费")
    _press(qtbot, tab, ComplaintStep.VERIFY)
    # Waiting: no step button for the agent, and the page says who approves and where.
    assert _enabled_steps(tab) == []
    assert "王主管" in bar.hint.text()

    complaint_id = panel.complaint_id
    assert complaint_id is not None
    complaints.approve_remedies(
        boss, complaint_id, expected_version=complaint_version(boss, complaint_id)
    )
    panel.show_complaint(complaint_id)
    assert _enabled_steps(tab) == [ComplaintStep.CHOICE]
    assert panel.choice.currentIndex() == -1  # never silently the first remedy
    _press(qtbot, tab, ComplaintStep.CHOICE)  # nothing chosen: refused, the step stays
    assert _enabled_steps(tab) == [ComplaintStep.CHOICE]
    panel.choice.setCurrentIndex(1)
    _press(qtbot, tab, ComplaintStep.CHOICE)
    assert _enabled_steps(tab) == [ComplaintStep.LETTER]
    assert panel.findChild(QPushButton, "settleButton").isEnabled()


def test_a_supervisor_approves_on_the_bar(db, qtbot, service, make_user) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="王主管")
    (row,) = complaints.register_rows(service)
    complaints.record_first_contact(service, row.id)
    for call in (
        lambda v: complaints.assign_handling(
            service, row.id, responsible_person="李工", department_id=None, expected_version=v
        ),
        lambda v: complaints.record_facts(service, row.id, "漏装螺丝", expected_version=v),
        lambda v: complaints.propose_remedies(service, row.id, "重修", "退款", expected_version=v),
    ):
        call(complaint_version(service, row.id))
    tab = ComplaintsTab(boss, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    tab.table.selectRow(0)
    assert _enabled_steps(tab) == [ComplaintStep.APPROVAL]
    _press(qtbot, tab, ComplaintStep.APPROVAL)
    assert _enabled_steps(tab) == [ComplaintStep.CHOICE]


def test_a_name_typed_before_the_staff_records_stays_readable_until_a_record_is_chosen(
    db, qtbot, service
) -> None:
    from sqlalchemy import select

    from app.models import Complaint

    with db.read() as session:
        complaint_id = session.scalar(select(Complaint.id))
    complaints.record_first_contact(service, complaint_id)
    complaints.assign_handling(
        service,
        complaint_id,
        responsible_person="前台组长",
        department_id=None,
        expected_version=complaint_version(service, complaint_id),
    )
    tab = ComplaintsTab(service, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    loaded(qtbot)
    tab.table.selectRow(0)
    loaded(qtbot)
    panel = tab.handling
    assert panel.person.currentData() is None
    assert not panel.old_person.isHidden() and "前台组长" in panel.old_person.text()
    panel.facts.setPlainText("漏装螺丝")
    tab.findChild(QPushButton, "saveHandlingButton").click()  # the old name is kept
    loaded(qtbot)
    with db.read() as session:
        kept = session.get(Complaint, complaint_id)
        assert (kept.responsible_person, kept.responsible_staff_id) == ("前台组长", None)
    panel.person.setCurrentIndex(panel.person.findText("李工 (T01)"))
    tab.findChild(QPushButton, "saveHandlingButton").click()
    loaded(qtbot)
    with db.read() as session:
        chosen = session.get(Complaint, complaint_id)
        assert chosen.responsible_person == "李工" and chosen.responsible_staff_id is not None
    panel.show_complaint(complaint_id)
    loaded(qtbot)
    assert panel.old_person.isHidden()
    assert panel.person.currentText() == "李工 (T01)"
