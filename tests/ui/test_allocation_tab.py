"""The allocation tab: the dispatcher scans labels into a basket and hands it over with a badge;
the technician works the bench through its buttons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei, receive, snapshot
from list_reads import loaded
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Charge, ChargeStatus, RepairState, Role
from app.orders import transitions as orders
from app.orders.listing import order_version
from ui.allocation.tab import AllocationTab
from ui.application import build_main_window, create_application
from ui.widgets.feedback import MessageLine, Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def floor(db, make_user: Callable[..., Context]) -> dict:
    add_model(db)
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="陈主管")
    wang = make_user(Role.TECHNICIAN, username="wang", display_name="王工", badge_code="T001")
    li = make_user(Role.TECHNICIAN, username="li", display_name="李工", badge_code="T002")
    customer = add_customer(db, boss)
    received = [receive(boss, customer, n) for n in range(1, 6)]
    return {"boss": boss, "wang": wang, "li": li, "orders": received}


def allocation_tab(qtbot, ctx: Context) -> AllocationTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("allocationTab")
    loaded(qtbot)
    tab = window.findChild(AllocationTab, "allocationTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: AllocationTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    loaded(qtbot)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)
    return tab.findChild(MessageLine, "scanMessage")


def test_scanning_labels_then_a_badge_allocates_the_basket(qtbot, floor) -> None:
    first, second, third, _fourth, taken = floor["orders"]
    orders.allocate(floor["boss"], [taken.order_id], floor["li"].user_id)
    tab = allocation_tab(qtbot, floor["boss"])
    dispatch = tab.dispatch
    assert dispatch is not None and dispatch.queue.model.total == 4

    for order in (first, second):
        assert scan(qtbot, tab, order.order_no).outcome is Outcome.OK
    assert scan(qtbot, tab, imei(3)).outcome is Outcome.OK  # a serial names its order too
    assert dispatch.basket.ids() == [first.order_id, second.order_id, third.order_id]
    assert "3" in dispatch.basket.heading.text()

    refused = scan(qtbot, tab, taken.order_no)  # already on 李工's bench
    assert refused.outcome is Outcome.ERROR and taken.order_no in refused.text()
    assert scan(qtbot, tab, "RO209901019999").outcome is Outcome.ERROR
    assert dispatch.basket.ids() == [first.order_id, second.order_id, third.order_id]

    done = scan(qtbot, tab, "T001")
    assert done.outcome is Outcome.OK and "王工" in done.text()
    assert dispatch.basket.ids() == []
    qtbot.waitUntil(lambda: dispatch.queue.model.total == 1)
    assert dispatch.queue.model.order_at(0).id == floor["orders"][3].order_id
    loads = {load.name: load for load in dispatch.workload.loads}
    assert loads["王工"].open_orders == 3 and loads["李工"].open_orders == 1
    row = [dispatch.workload.item(r, 0).text() for r in range(2)].index("王工")
    assert dispatch.workload.item(row, 1).text() == "3"
    for order in (first, second, third):
        assert snapshot(floor["boss"].db, order.order_id)["technician_id"] == floor["wang"].user_id


def test_a_badge_with_an_empty_basket_allocates_nothing_and_is_refused_in_red(qtbot, floor) -> None:
    tab = allocation_tab(qtbot, floor["boss"])
    refused = scan(qtbot, tab, "T002")
    assert refused.outcome is Outcome.ERROR and "李工" in refused.text()
    assert tab.dispatch.queue.model.total == 5


def test_selected_rows_go_to_the_technician_picked_with_the_mouse(qtbot, floor) -> None:
    tab = allocation_tab(qtbot, floor["boss"])
    dispatch = tab.dispatch
    view = dispatch.queue.view
    selection = view.selectionModel()
    for row in (0, 1):
        selection.select(
            dispatch.queue.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    dispatch.technician.setCurrentIndex(dispatch.technician.findData(floor["li"].user_id))
    loaded(qtbot)
    qtbot.mouseClick(dispatch.allocate_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    qtbot.waitUntil(lambda: dispatch.queue.model.total == 3)
    assert {load.name: load.open_orders for load in dispatch.workload.loads}["李工"] == 2


def test_a_technician_works_an_order_on_the_bench(qtbot, floor) -> None:
    order = floor["orders"][0]
    orders.allocate(floor["boss"], [order.order_id], floor["wang"].user_id)
    tab = allocation_tab(qtbot, floor["wang"])
    assert tab.dispatch is None and tab.charges is None  # a technician sees the bench only
    bench = tab.bench
    assert bench is not None and bench.orders.model.total == 1

    assert scan(qtbot, tab, order.order_no).outcome is Outcome.OK  # selects it on the bench
    assert bench.orders.selected_order_id() == order.order_id
    qtbot.mouseClick(bench.start_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    db = floor["wang"].db
    assert snapshot(db, order.order_id)["state"] == RepairState.IN_REPAIR

    qtbot.waitUntil(lambda: bench.orders.model.total == 1 and bench.orders.model.rowCount() == 1)
    bench.orders.select_order(order.order_id)
    qtbot.keyClicks(bench.fault_code, "P01")
    bench.cause.setText("尾插氧化")  # QTest types Latin-1 only
    bench.action.setText("更换尾插小板")
    qtbot.mouseClick(bench.record_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK, message.text()

    bench.orders.select_order(order.order_id)
    qtbot.mouseClick(bench.repaired_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert message.outcome is Outcome.OK, message.text()
    after = snapshot(db, order.order_id)
    assert after["state"] == RepairState.REPAIRED
    assert (after["diagnosis"], after["repair_action"]) == ("尾插氧化", "更换尾插小板")
    qtbot.waitUntil(lambda: bench.orders.model.total == 0)


def test_a_supervisor_waives_an_out_of_warranty_charge_on_the_bench(qtbot, floor) -> None:
    order = floor["orders"][0]  # out of warranty: no sales record
    orders.allocate(floor["boss"], [order.order_id], floor["wang"].user_id)
    orders.start_repair(floor["wang"], order.order_id)
    technician_bench = allocation_tab(qtbot, floor["wang"]).bench
    assert technician_bench is not None
    assert not technician_bench.waive_button.isVisibleTo(technician_bench)
    tab = allocation_tab(qtbot, floor["boss"])
    bench = tab.bench
    assert bench is not None and bench.waive_button.isVisibleTo(bench)
    bench.technician.setCurrentIndex(bench.technician.findData(floor["wang"].user_id))
    loaded(qtbot)
    qtbot.waitUntil(lambda: bench.orders.model.total == 1)
    assert bench.orders.select_order(order.order_id)
    bench.note.setText("返修免收")
    qtbot.mouseClick(bench.waive_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK, message.text()
    with floor["boss"].db.read() as session:
        statuses = session.scalars(select(Charge.status).where(Charge.order_id == order.order_id))
        assert list(statuses) == [ChargeStatus.WAIVED]


def test_marking_repaired_without_an_order_selected_only_warns(qtbot, floor) -> None:
    tab = allocation_tab(qtbot, floor["wang"])
    qtbot.mouseClick(tab.bench.repaired_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.WARNING


def test_the_queue_benchmark_runs_on_a_small_scratch_floor(qtbot, tmp_path: Path) -> None:
    from benchmarks.bench_allocation import open_queue_ms, queue_database, queue_plans

    url = queue_database(tmp_path, orders=300)
    assert queue_database(tmp_path, orders=300) == url  # kept for the next run
    plans = queue_plans(url)
    assert all("repair_orders" in " ".join(plan) for plan in plans.values())
    samples = open_queue_ms(url, opens=2)
    assert len(samples) == 2 and all(sample > 0 for sample in samples)


def test_customer_service_records_the_answer_to_a_charge(qtbot, floor) -> None:
    order = floor["orders"][0]
    orders.allocate(floor["boss"], [order.order_id], floor["wang"].user_id)
    orders.start_repair(floor["wang"], order.order_id)
    orders.propose_charge(
        floor["wang"],
        order.order_id,
        parts_cents=12000,
        labour_cents=3000,
        reason="进水,过保",
        expected_version=order_version(floor["wang"], order.order_id),
    )
    tab = allocation_tab(qtbot, floor["boss"])
    charges = tab.charges
    assert charges is not None and charges.charges.model.total == 1
    model = charges.charges.model
    listed = {
        str(model.headerData(column, Qt.Orientation.Horizontal)): model.index(0, column).data()
        for column in range(model.columnCount())
    }  # the list says whom to call and what to read out, before any row is opened
    assert ("¥150.00" in listed.values()) and ("13800138000" in listed.values()), listed
    charges.charges.select_order(order.order_id)
    qtbot.waitUntil(lambda: charges.detail.text() != "")  # read on the read worker
    assert "¥150.00" in charges.detail.text() and "王工" in charges.detail.text()
    charges.answered_by.setText("张三本人")
    qtbot.mouseClick(charges.accept_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert snapshot(floor["boss"].db, order.order_id)["state"] == RepairState.IN_REPAIR
    qtbot.waitUntil(lambda: charges.charges.model.total == 0)


def test_the_tab_shows_its_scan_field_first_and_a_scan_typed_meanwhile_is_handled(
    qtbot, floor
) -> None:
    """On first show the pages are built one per turn after the scan field; a label scanned
    before they are all built builds the rest at once and is handled."""
    first = floor["orders"][0]
    create_application("zh_CN")
    window = build_main_window(floor["boss"])
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("allocationTab")
    tab = window.findChild(AllocationTab, "allocationTab")
    assert tab is not None and tab.scan_bar is not None
    assert tab.dispatch is None and tab.building.pending > 0  # the pages: later turns
    field = tab.findChild(QLineEdit, "scanInput")
    assert field.isVisible() and field.isEnabled()
    qtbot.keyClicks(field, first.order_no)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert tab.building.pending == 0 and tab.dispatch is not None  # built for the scan
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    loaded(qtbot)
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.OK
    assert tab.dispatch.basket.ids() == [first.order_id]


def test_a_tab_shown_builds_its_pages_in_later_turns_without_a_scan(qtbot, floor) -> None:
    create_application("zh_CN")
    window = build_main_window(floor["boss"])
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    built: list[object] = []
    slot = next(s for s in window.tab_pages() if s.objectName() == "allocationTab")
    slot.built.connect(built.append)
    window.show_tab("allocationTab")
    assert built == []  # not whole yet: the pages come in later turns
    loaded(qtbot)  # a tab still building counts as work in flight
    tab = window.findChild(AllocationTab, "allocationTab")
    assert built == [tab] and tab.building.pending == 0
    assert tab.dispatch is not None and tab.bench is not None and tab.charges is not None
    assert tab.pages.count() == 3 and tab.pages.tabBar().isVisible()


def test_the_dispatchers_buttons_save_on_the_floor_worker(qtbot, floor) -> None:
    """Allocate, reassign, approve and reject (mouse or F5-F8) run their save off the UI thread,
    in line with the scans; a refusal still reaches the message line."""
    import threading

    from factories import force_state
    from sqlalchemy import event

    first, second, _third, _fourth, special = floor["orders"]
    db = floor["boss"].db
    force_state(db, special.order_id, RepairState.SPECIAL_PENDING)
    tab = allocation_tab(qtbot, floor["boss"])
    dispatch = tab.dispatch
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    def click(button) -> MessageLine:
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert not tab.scans.idle  # handed to the floor worker, not done in the click
            qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
            loaded(qtbot)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return tab.findChild(MessageLine, "scanMessage")

    # (the test's own reads, snapshot(), run on this thread: only the clicks are watched)
    dispatch.queue.select_order(first.order_id)
    dispatch.technician.setCurrentIndex(dispatch.technician.findData(floor["li"].user_id))
    allocated = click(dispatch.allocate_button)
    assert allocated.outcome is Outcome.OK and first.order_no in allocated.text()
    assert snapshot(db, first.order_id)["technician_id"] == floor["li"].user_id

    qtbot.waitUntil(lambda: dispatch.on_bench.select_order(first.order_id))
    dispatch.reassign_to.setCurrentIndex(dispatch.reassign_to.findData(floor["wang"].user_id))
    dispatch.reassign_reason.setText("workload")
    reassigned = click(dispatch.reassign_button)
    assert reassigned.outcome is Outcome.OK and "王工" in reassigned.text()
    assert snapshot(db, first.order_id)["technician_id"] == floor["wang"].user_id
    assert dispatch.reassign_reason.text() == ""

    qtbot.waitUntil(lambda: dispatch.special.select_order(special.order_id))
    refused = click(dispatch.reject_button)  # no reason given
    assert refused.outcome is Outcome.ERROR
    assert snapshot(db, special.order_id)["state"] == RepairState.SPECIAL_PENDING
    qtbot.waitUntil(lambda: dispatch.special.select_order(special.order_id))
    approved = click(dispatch.approve_button)
    assert approved.outcome is Outcome.OK and special.order_no in approved.text()
    assert snapshot(db, special.order_id)["state"] == RepairState.RECEIVED
    assert snapshot(db, second.order_id)["technician_id"] is None
    assert on_ui_thread == []
