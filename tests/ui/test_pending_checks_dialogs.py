"""No dead end for a unit whose appearance check is pending: the close-box dialog lists it with
"all intact" on one key, the check names its unit and has the same key, and the dispatcher
refused for it is offered the check right there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import add_customer, add_model, floor_staff, imei
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget

from app.context import Context
from app.models import ProductCategory, RepairOrder
from app.orders import transitions as orders
from app.receiving import BoxSummary, Intake, box_summary, open_box, receive_unit
from app.receiving.condition import condition_form
from app.receiving.pending_checks import pending_checks
from ui.allocation.tab import AllocationTab
from ui.changes import ChangeBridge
from ui.receiving.condition import ConditionDialog
from ui.receiving.dialogs import CloseBoxDialog
from ui.widgets.feedback import MessageLine, Outcome


@pytest.fixture
def box(db, make_user: Callable[..., Context]) -> dict:
    add_model(db)
    staff = floor_staff(db, make_user)
    with db.transaction() as session:
        session.add(
            ProductCategory(
                code="phone", name="手机", intake_gate=True, appearance_checklist=["屏幕", "外壳"]
            )
        )
    clerk = staff["clerk"]
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    box_id = open_box(clerk, "SF1234567890123", sender_id=sender, declared_quantity=2)
    ids = [
        receive_unit(
            clerk, Intake(serial=imei(n), customer_id=sender, box_id=box_id, appearance=answers)
        ).order_id
        for n, answers in ((1, {"屏幕": "碎裂"}), (2, {}))
    ]
    return {**staff, "box_id": box_id, "ids": ids}


def test_the_close_box_dialog_lists_pending_checks_and_f4_makes_them_all_intact(qtbot, box) -> None:
    clerk = box["clerk"]
    closed: list[BoxSummary] = []
    dialog = CloseBoxDialog(clerk, box_summary(clerk, box["box_id"]), closed.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    listed = dialog.findChild(QListWidget, "pendingChecksList")
    assert listed.isVisible() and listed.count() == 2
    assert imei(2) in listed.item(1).text() and "屏幕、外壳" in listed.item(1).text()
    assert "2" in dialog.findChild(QLabel, "pendingChecksTitle").text()
    qtbot.keyClick(dialog.note, Qt.Key.Key_F4)  # one key, from the note field
    qtbot.waitUntil(lambda: listed.count() == 0)  # a shortcut's click is animated (~100 ms)
    assert not listed.isVisible()
    assert dialog.message.outcome is Outcome.OK
    assert pending_checks(clerk, box["box_id"]) == []
    assert dialog.note.hasFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # then Enter closes the box as before
    loaded(qtbot)  # closed on the floor worker
    assert [summary.id for summary in closed] == [box["box_id"]]
    assert closed[0].difference_note is None and not dialog.isVisible()


def test_the_appearance_check_names_its_unit_and_f4_completes_it(qtbot, db, box) -> None:
    clerk, order_id = box["clerk"], box["ids"][0]
    dialog = ConditionDialog(clerk, condition_form(clerk, order_id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    unit = dialog.findChild(QLabel, "conditionUnit").text()
    assert imei(1) in unit and "星辰 X1" in unit and "RO" in unit
    with qtbot.waitSignal(dialog.recorded) as recorded:
        qtbot.keyClick(dialog.notes, Qt.Key.Key_F4)
    assert recorded.args == [[]]
    with db.read() as session:
        assert session.get(RepairOrder, order_id).appearance == {"屏幕": "碎裂", "外壳": "完好"}


def test_the_dispatcher_refused_for_a_pending_check_does_it_in_place(qtbot, db, box) -> None:
    boss = box["boss"]
    tab = AllocationTab(boss, ChangeBridge(db))
    qtbot.addWidget(tab)
    tab.show()
    order_id = box["ids"][1]
    # as the dispatcher's buttons do: the save on the floor worker, refused there
    tab.run_floor(lambda: orders.allocate(boss, [order_id], box["tech"].user_id), lambda _: None)
    loaded(qtbot)
    dialog = tab.condition_dialog
    assert isinstance(dialog, ConditionDialog) and dialog.isVisible()
    assert dialog.form.order_id == order_id  # the same dialog, for the refused unit
    dialog.all_intact()
    loaded(qtbot)  # saved on the floor worker
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.OK
    assert orders.allocate(boss, [order_id], box["tech"].user_id)


def test_a_person_who_may_not_receive_is_not_offered_the_check(qtbot, db, box) -> None:
    tab = AllocationTab(box["tech"], ChangeBridge(db))
    qtbot.addWidget(tab)
    boss, order_id, tech_id = box["boss"], box["ids"][1], box["tech"].user_id
    tab.run_floor(lambda: orders.allocate(boss, [order_id], tech_id), lambda _: None)
    loaded(qtbot)
    assert tab.condition_dialog is None  # the bench's person: the refusal is shown, no more
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.ERROR
