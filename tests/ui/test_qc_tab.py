"""The QC aging tab: scan units onto the racks, watch the countdowns, sign off in the dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PASSWORD
from factories import add_customer, add_model, receive, snapshot
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QRadioButton, QTableView
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import ProductModel, Rack, RackSlot, RepairState, Role
from app.orders import transitions as orders
from app.orders.listing import order_version
from ui.application import build_main_window, create_application
from ui.qc.dialogs import SignOffDialog
from ui.qc.rack_model import SlotState
from ui.qc.tab import QcTab
from ui.widgets.feedback import MessageLine, Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def floor(db, make_user: Callable[..., Context]) -> dict:
    add_model(db, aging_minutes=240)
    with db.transaction() as session:
        model = session.scalar(select(ProductModel))
        model.qc_checklist = ["通话", "WiFi"]
        model.appearance_checklist = ["屏幕"]
        rack = Rack(code="A", name="老化架 A")
        session.add(rack)
        session.flush()
        session.add_all(
            RackSlot(rack_id=rack.id, code=f"A-{n:02d}", position=n) for n in range(1, 5)
        )
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="陈主管")
    tech = make_user(Role.TECHNICIAN, username="tech", display_name="王工")
    tester = make_user(Role.QC_TESTER, username="qc", display_name="孙浩")
    customer = add_customer(db, boss)

    def repaired(number: int) -> tuple[int, str]:
        received = receive(boss, customer, number)
        orders.allocate(boss, [received.order_id], tech.user_id)
        orders.start_repair(tech, received.order_id)
        orders.finish_repair(
            tech,
            received.order_id,
            diagnosis="-",
            repair_action="更换屏幕",
            expected_version=order_version(tech, received.order_id),
        )
        return received.order_id, received.order_no

    return {"boss": boss, "tech": tech, "qc": tester, "repaired": repaired}


def qc_tab(qtbot, ctx: Context) -> QcTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("qcTab")
    loaded(qtbot)
    tab = window.findChild(QcTab, "qcTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: QcTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)
    assert tab.scan_bar is not None
    return tab.scan_bar.message


def slot_cells(tab: QcTab) -> dict[str, tuple[str | None, SlotState, str]]:
    """Slot code → (order no, state, countdown) as the rack view shows it."""
    model = tab.racks.model
    cells = {}
    for row in range(model.row_count()):
        for column, slot in enumerate(model.row(row)):
            cells[slot.slot_code] = (
                slot.order_no,
                model.state(row, column),
                model.countdown(row, column),
            )
    return cells


def dialog_of(qtbot, tab: QcTab) -> SignOffDialog:
    """The sign-off dialog, once its form (read on the floor worker) is shown."""
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    dialog = tab.sign_off_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def saved(qtbot, tab: QcTab) -> None:
    """The sign-off's save (on the floor worker) is back."""
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)


def test_scan_three_units_onto_the_racks_then_sign_one_pass_and_one_fail(
    qtbot, qtmodeltester, floor, clock
) -> None:
    units = [floor["repaired"](n) for n in (1, 2, 3)]
    (first_id, first), (second_id, second), (third_id, third) = units
    tab = qc_tab(qtbot, floor["qc"])
    assert tab.waiting.row_total() == 3
    assert "A-03" in tab.findChild(QLineEdit, "scanInput").placeholderText()

    assert scan(qtbot, tab, first).outcome is Outcome.OK
    chosen = scan(qtbot, tab, "a-03")  # a free slot first: the next label goes there
    assert chosen.outcome is Outcome.OK and "A-03" in chosen.text()
    placed = scan(qtbot, tab, second)
    assert placed.outcome is Outcome.OK and "A-03" in placed.text() and second in placed.text()
    assert scan(qtbot, tab, third).outcome is Outcome.OK
    assert scan(qtbot, tab, "RO-NOTHING").outcome is Outcome.ERROR

    cells = slot_cells(tab)
    assert cells["A-01"] == (first, SlotState.AGING, "4:00:00")
    assert cells["A-02"] == (third, SlotState.AGING, "4:00:00")
    assert cells["A-03"] == (second, SlotState.AGING, "4:00:00")
    assert cells["A-04"][:2] == (None, SlotState.EMPTY)
    qtbot.waitUntil(lambda: tab.waiting.row_total() == 0)
    over_time = tab.findChild(QTableView, "qcOverTimeTable").model()
    assert over_time.rowCount() == 0

    clock.advance(hours=1, seconds=30)
    assert tab.racks.model.tick() == 3  # the three countdowns changed
    assert slot_cells(tab)["A-01"][2] == "2:59:30"
    clock.advance(hours=3)
    tab.racks.tick()
    assert {state for _, state, _ in slot_cells(tab).values()} == {
        SlotState.FINISHED,
        SlotState.EMPTY,
    }
    assert over_time.rowCount() == 3
    assert "finished" in tab.racks.heading.text() or "完成" in tab.racks.heading.text()

    # Pass: a click on the second slot, the arrow to the first, Enter opens the dialog.
    view = tab.racks.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.cell_rect((0, 1)).center()
    )
    assert view.current_cell() == (0, 1) and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = dialog_of(qtbot, tab)
    assert dialog.form.order_id == first_id and not dialog.override.isVisible()
    qtbot.mouseClick(dialog.findChild(QLineEdit, "signaturePassword"), Qt.MouseButton.LeftButton)
    dialog.findChild(QRadioButton, "resultPass").click()
    dialog.sign()  # items not checked yet: refused inside the dialog
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    assert "通话" in dialog.message.text()
    dialog.findChild(QPushButton, "allItemsPassButton").click()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    saved(qtbot, tab)
    assert not dialog.isVisible()
    assert snapshot(tab.ctx.db, first_id)["state"] == RepairState.QC_PASSED
    assert tab.scan_bar.message.outcome is Outcome.OK and first in tab.scan_bar.message.text()
    assert slot_cells(tab)["A-01"][:2] == (None, SlotState.EMPTY)

    # Fail: scanning a unit on the rack opens its dialog; a failed item makes the result fail.
    scan(qtbot, tab, third)
    dialog = dialog_of(qtbot, tab)
    assert dialog.form.order_id == third_id
    dialog.appearance.button(0, True).click()
    dialog.functions.button(0, True).click()
    dialog.functions.button(1, False).click()  # WiFi fails
    assert dialog.result_fail.isChecked() and not dialog.result_pass.isEnabled()
    assert dialog.reason_text.text() == "WiFi"
    dialog.reason_pick.setCurrentIndex(dialog.reason_pick.findText("WiFi/蓝牙断连"))
    qtbot.keyClicks(dialog.password, "wrong")
    dialog.sign()
    saved(qtbot, tab)
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    assert dialog.password.text() == ""
    assert snapshot(tab.ctx.db, third_id)["state"] == RepairState.IN_QC
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.sign()
    saved(qtbot, tab)
    assert not dialog.isVisible()
    failed = snapshot(tab.ctx.db, third_id)
    assert failed["state"] == RepairState.IN_REPAIR and failed["rework_count"] == 1
    message = tab.scan_bar.message
    assert message.outcome is Outcome.WARNING and third in message.text()

    qtbot.waitUntil(lambda: over_time.rowCount() == 1)  # the second unit still waits
    cells = slot_cells(tab)
    assert cells["A-02"][:2] == (None, SlotState.EMPTY)
    assert cells["A-03"][:2] == (second, SlotState.FINISHED)
    assert snapshot(tab.ctx.db, second_id)["state"] == RepairState.IN_QC
    by_model = tab.findChild(QTableView, "qcYieldByModelTable").model()
    qtbot.waitUntil(lambda: by_model.rowCount() == 1 and by_model.index(0, 4).data() == "50.0%")
    for model in (by_model, over_time):
        qtmodeltester.check(model)


def test_signing_early_needs_the_supervisor_in_the_dialog(qtbot, floor, clock) -> None:
    order_id, order_no = floor["repaired"](1)
    tab = qc_tab(qtbot, floor["qc"])
    scan(qtbot, tab, order_no)
    clock.advance(hours=1)
    scan(qtbot, tab, "A-01")  # the slot's code opens the unit's sign-off too
    dialog = dialog_of(qtbot, tab)
    assert dialog.override.isVisible() and "3:00:00" in dialog.time_left.text()
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.WARNING  # never green
    dialog.findChild(QPushButton, "allItemsPassButton").click()
    dialog.result_pass.click()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.sign()  # no supervisor given
    saved(qtbot, tab)
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.supervisor, "boss")
    qtbot.keyClicks(dialog.supervisor_password, PASSWORD)
    dialog.override_reason.setText("客户加急")  # (QTest types Latin-1 only)
    dialog.sign()
    saved(qtbot, tab)
    assert not dialog.isVisible()
    assert snapshot(tab.ctx.db, order_id)["state"] == RepairState.QC_PASSED


def test_a_scan_that_opens_the_sign_off_reads_its_form_off_the_ui_thread(qtbot, floor) -> None:
    import threading

    from sqlalchemy import event

    _order_id, order_no = floor["repaired"](1)
    tab = qc_tab(qtbot, floor["qc"])
    scan(qtbot, tab, order_no)  # onto the rack
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(tab.ctx.db.engine, "before_cursor_execute", record)
    try:
        for code in (order_no, "A-01"):  # its label, then its slot's code
            scan(qtbot, tab, code)
            dialog = dialog_of(qtbot, tab)
            assert dialog.form.order_no == order_no and dialog.reason_pick.count() > 1
    finally:
        event.remove(tab.ctx.db.engine, "before_cursor_execute", record)
    assert on_ui_thread == []


def test_rack_countdowns_run_on_the_servers_time_not_a_fast_pc_clock(qtbot, db, floor) -> None:
    from datetime import UTC, datetime, timedelta

    from app.clock import ManualClock
    from app.qc import aging as qc
    from app.station_clock import DatabaseClock
    from ui.qc.rack_model import RackModel

    create_application("zh_CN")
    ticks = [100.0]
    pc = ManualClock(datetime.now(UTC))
    clock = DatabaseClock(db, station=pc, monotonic=lambda: ticks[0], remeasure_after=None)
    station = Context(db, floor["qc"].actor, "QC-1", clock)
    qc.receive_from_repair(station, floor["repaired"](1)[1])
    pc.advance(hours=10)  # the PC's clock runs 10 h fast: the countdown does not care
    ticks[0] += 60
    model = RackModel(station, station.clock)
    assert model.finished_slots() == []
    assert model.countdown(0, 0) == "3:59:00"
    ticks[0] += 4 * 3600
    model.tick()
    assert len(model.finished_slots()) == 1
    assert pc.now() - clock.now() > timedelta(hours=5)  # the PC's jump never reached the rack


def test_the_sign_off_dialog_is_built_once_and_filled_afresh_for_each_unit(qtbot, floor) -> None:
    (first_id, first), (second_id, second) = floor["repaired"](1), floor["repaired"](2)
    tab = qc_tab(qtbot, floor["qc"])
    qtbot.waitUntil(lambda: len(tab.findChildren(SignOffDialog)) == 1)  # made once shown
    made = tab.findChild(SignOffDialog)
    assert not made.isVisible()
    scan(qtbot, tab, first)
    scan(qtbot, tab, second)
    scan(qtbot, tab, first)  # on the rack: its sign-off opens
    dialog = dialog_of(qtbot, tab)
    assert dialog is made and dialog.form.order_id == first_id
    dialog.functions.button(0, False).click()  # a failed item: the result turns to fail
    assert dialog.result_fail.isChecked() and not dialog.result_pass.isEnabled()
    qtbot.keyClicks(dialog.password, "half typed")
    dialog.reason_pick.setCurrentIndex(1)
    dialog.reject()

    scan(qtbot, tab, second)
    again = dialog_of(qtbot, tab)
    assert again is dialog and len(tab.findChildren(SignOffDialog)) == 1  # not built again
    assert again.form.order_id == second_id and second in again.windowTitle()
    assert again.functions.unanswered() == ["通话", "WiFi"]
    assert again.appearance.unanswered() == ["屏幕"]
    assert not (again.result_pass.isChecked() or again.result_fail.isChecked())
    assert again.result_pass.isEnabled() and not again.reason_pick.isEnabled()
    assert again.password.text() == "" and again.reason_pick.currentIndex() == 0
    assert again.reason_text.text() == "" and again.signed is None


def test_a_checklist_filled_again_shows_only_the_new_units_items(qtbot) -> None:
    from ui.qc.dialogs import ChecklistGroup

    create_application("zh_CN")
    group = ChecklistGroup("功能", "function", ["通话", "WiFi", "充电"])
    qtbot.addWidget(group)
    group.set_all_passed()
    group.set_items(["屏幕"])
    assert group.items == ["屏幕"] and group.unanswered() == ["屏幕"]
    assert group.answers() == {}
    group.set_all_passed()
    assert group.answers() == {"屏幕": "pass"}
    group.set_items(["通话", "WiFi", "充电", "按键"])  # one more row than ever made
    assert group.unanswered() == ["通话", "WiFi", "充电", "按键"]
    assert group.button(3, True).objectName() == "functionPass_3"
