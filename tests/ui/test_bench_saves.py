"""The bench's buttons and customer service's charge answers save on the floor worker, in line with
the scans: the fields are read when the button is pressed, the buttons wait for the save, a scan
arriving meanwhile is handled after it (and sees what it saved), a refusal keeps what was typed."""

from __future__ import annotations

import threading

import test_allocation_tab as allocation
from factories import snapshot
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.models import RepairState
from app.orders import transitions as orders
from app.orders.listing import order_version
from ui.allocation.tab import AllocationTab
from ui.i18n import state_label
from ui.widgets.feedback import MessageLine, Outcome

# The allocation tab's tests' fixtures and helper
floor, own_settings = allocation.floor, allocation.own_settings
allocation_tab = allocation.allocation_tab


def hold_the_floor_worker(tab: AllocationTab) -> threading.Event:
    """A slow save ahead of everything: the floor worker waits until the event is set."""
    gate = threading.Event()
    tab.run_floor(lambda: gate.wait(20), lambda _result: None)
    return gate


def type_scan(qtbot, tab: AllocationTab, code: str) -> None:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_bench_save_waits_its_turn_and_the_scan_behind_it_sees_it(qtbot, floor) -> None:
    order = floor["orders"][0]
    orders.allocate(floor["boss"], [order.order_id], floor["wang"].user_id)
    tab = allocation_tab(qtbot, floor["wang"])
    bench = tab.bench
    assert bench is not None
    assert bench.orders.select_order(order.order_id)

    gate = hold_the_floor_worker(tab)
    qtbot.mouseClick(bench.start_button, Qt.MouseButton.LeftButton)
    assert not bench.actions.isEnabled()  # no second press while it saves
    qtbot.mouseClick(bench.start_button, Qt.MouseButton.LeftButton)  # ignored
    type_scan(qtbot, tab, order.order_no)  # behind the save, not lost
    assert tab.scans.waiting == 2  # the start and the scan wait behind the slow save
    assert snapshot(floor["wang"].db, order.order_id)["state"] == RepairState.ALLOCATED
    gate.set()
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    assert bench.actions.isEnabled()
    assert snapshot(floor["wang"].db, order.order_id)["state"] == RepairState.IN_REPAIR
    message = tab.findChild(MessageLine, "scanMessage")
    # the scan's lookup ran after the save: it reports the order in repair
    assert message.outcome is Outcome.OK, message.text()
    assert state_label(RepairState.IN_REPAIR) in message.text(), message.text()


def test_a_refused_bench_save_keeps_what_was_typed(qtbot, floor) -> None:
    order = floor["orders"][0]
    orders.allocate(floor["boss"], [order.order_id], floor["wang"].user_id)
    orders.start_repair(floor["wang"], order.order_id)
    tab = allocation_tab(qtbot, floor["wang"])
    bench = tab.bench
    assert bench is not None
    qtbot.waitUntil(lambda: bench.orders.select_order(order.order_id))
    bench.parts_yuan.setText("120")
    bench.labour_yuan.setText("30")
    bench.note.setText("进水")
    # another station changes the order after the bench listed it: the bench's version is old
    orders.wait_for_parts(floor["wang"], order.order_id, "屏幕")
    qtbot.mouseClick(bench.charge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.ERROR, message.text()
    assert (bench.parts_yuan.text(), bench.labour_yuan.text(), bench.note.text()) == (
        "120",
        "30",
        "进水",
    )
    assert bench.actions.isEnabled()
    assert snapshot(floor["wang"].db, order.order_id)["state"] == RepairState.WAITING_PARTS


def test_a_charge_answer_waits_its_turn_and_a_refusal_keeps_the_name(qtbot, floor) -> None:
    order = floor["orders"][0]
    wang = floor["wang"]
    orders.allocate(floor["boss"], [order.order_id], wang.user_id)
    orders.start_repair(wang, order.order_id)
    orders.propose_charge(
        wang,
        order.order_id,
        parts_cents=12000,
        labour_cents=3000,
        reason="进水,过保",
        expected_version=order_version(wang, order.order_id),
    )
    tab = allocation_tab(qtbot, floor["boss"])
    charges = tab.charges
    assert charges is not None
    qtbot.waitUntil(lambda: charges.charges.select_order(order.order_id))
    qtbot.mouseClick(charges.refuse_button, Qt.MouseButton.LeftButton)  # nobody named
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.ERROR

    charges.answered_by.setText("张三本人")
    gate = hold_the_floor_worker(tab)
    qtbot.mouseClick(charges.accept_button, Qt.MouseButton.LeftButton)
    assert not charges.answer_row.isEnabled()  # neither answer pressed twice
    assert charges.answered_by.text() == "张三本人"  # cleared only once saved
    gate.set()
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    assert charges.answer_row.isEnabled() and charges.answered_by.text() == ""
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK and order.order_no in message.text(), message.text()
    assert snapshot(floor["boss"].db, order.order_id)["state"] == RepairState.IN_REPAIR


def test_the_selected_orders_suggestions_and_charge_are_read_off_the_ui_thread(
    qtbot, floor
) -> None:
    from sqlalchemy import event

    from app.allocation import workbench as bench

    done_before, order = floor["orders"][1], floor["orders"][0]
    boss, wang = floor["boss"], floor["wang"]
    orders.allocate(boss, [done_before.order_id, order.order_id], wang.user_id)
    orders.start_repair(wang, done_before.order_id)
    bench.record_repair(
        wang,
        done_before.order_id,
        fault_code="P01",
        cause="尾插氧化",
        action="更换尾插小板",
        expected_version=order_version(wang, done_before.order_id),
    )
    orders.start_repair(wang, order.order_id)
    orders.propose_charge(
        wang,
        order.order_id,
        parts_cents=12000,
        labour_cents=3000,
        reason="进水,过保",
        expected_version=order_version(wang, order.order_id),
    )
    tab = allocation_tab(qtbot, boss)
    page, charges = tab.bench, tab.charges
    assert page is not None and charges is not None
    page.technician.setCurrentIndex(page.technician.findData(wang.user_id))
    loaded(qtbot)
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(boss.db.engine, "before_cursor_execute", record)
    try:
        assert page.orders.select_order(order.order_id)
        qtbot.waitUntil(lambda: page.suggestions.count() == 1)
        assert charges.charges.select_order(order.order_id)
        qtbot.waitUntil(lambda: "¥150.00" in charges.detail.text())
    finally:
        event.remove(boss.db.engine, "before_cursor_execute", record)
    assert "P01 尾插氧化 → 更换尾插小板" in page.suggestions.item(0).text()
    assert on_ui_thread == []
