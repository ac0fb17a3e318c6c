"""The parts counter: scan an order, then part barcodes; the ledger and the balance update."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, force_state, receive, stock_row
from list_reads import loaded
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Part, PartMaster, RepairOrder, RepairState, Role
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.parts import issuing as parts
from app.parts import moves as parts_moves
from ui.application import build_main_window, create_application
from ui.parts.stock import may_edit_master
from ui.parts.tab import PartsTab
from ui.widgets.feedback import MessageLine, Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def counter(db, make_user: Callable[..., Context]) -> dict:
    model_id = add_model(db)
    other_model = add_model(db, "Y9", tac="35999999")
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="陈主管")
    keeper = make_user(Role.PARTS_KEEPER, username="parts", display_name="周库管")
    wang = make_user(Role.TECHNICIAN, username="wang", display_name="王工", badge_code="T001")
    customer = add_customer(db, boss)
    order = receive(boss, customer, 1)
    force_state(db, order.order_id, RepairState.IN_REPAIR, in_warranty=True)
    with db.transaction() as session:
        session.get(RepairOrder, order.order_id).technician_id = wang.user_id
        for number, fits in (("SCR-X1", model_id), ("BAT-X1", model_id), ("SCR-Y9", other_model)):
            session.add(stock_row(part_no=number, name=number, fits=[fits]))
    with db.read() as session:
        ids = dict(session.execute(select(Part.part_no, Part.id)).all())
    parts.receive_stock(keeper, ids["SCR-X1"], 5, document_no="PO-1")
    parts.receive_stock(keeper, ids["BAT-X1"], 1, document_no="PO-2")
    return {"keeper": keeper, "wang": wang, "order": order, "parts": ids, "boss": boss}


def parts_tab(qtbot, ctx: Context) -> PartsTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("partsTab")
    loaded(qtbot)
    tab = window.findChild(PartsTab, "partsTab")
    assert tab is not None
    return tab


def scan(qtbot, tab: PartsTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    loaded(qtbot)
    return tab.findChild(MessageLine, "scanMessage")


def on_hand(db, part_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(Part.on_hand).where(Part.id == part_id))


def test_scanning_an_order_and_three_parts_updates_the_ledger_and_balance(
    qtbot, qtmodeltester, db, counter
) -> None:
    tab = parts_tab(qtbot, counter["keeper"])
    order = counter["order"]
    assert scan(qtbot, tab, order.order_no).outcome is Outcome.OK
    assert tab.counter.technician_label.text() == "王工"
    assert tab.ledger.model.total == 0  # the ledger shows this order's moves
    for expected_left in (4, 3, 2):
        line = scan(qtbot, tab, "SCR-X1")
        assert line.outcome is Outcome.OK, line.text()
        assert on_hand(db, counter["parts"]["SCR-X1"]) == expected_left
    qtbot.waitUntil(lambda: tab.ledger.model.total == 3)
    rows = [tab.ledger.model.row_object(n) for n in range(3)]
    assert [row.balance_after for row in rows] == [2, 3, 4]  # newest first
    assert {row.technician for row in rows} == {"王工"}
    balance_column = 6
    assert tab.ledger.model.index(0, balance_column).data() == "2"
    qtmodeltester.check(tab.ledger.model)
    qtbot.waitUntil(
        lambda: any(
            tab.stock.model.row_object(n).on_hand == 2 for n in range(tab.stock.model.rowCount())
        )
    )


def test_a_part_for_another_model_asks_for_a_reason_and_a_shortage_offers_waiting(
    qtbot, db, counter
) -> None:
    tab = parts_tab(qtbot, counter["keeper"])
    keeper = counter["keeper"]
    parts.receive_stock(keeper, counter["parts"]["SCR-Y9"], 2, document_no="PO-3")
    scan(qtbot, tab, counter["order"].order_no)
    warned = scan(qtbot, tab, "SCR-Y9")
    assert warned.outcome is Outcome.WARNING
    assert tab.counter.override_button.isVisible()
    tab.counter.override_reason.setText("同款屏幕")
    qtbot.mouseClick(tab.counter.override_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # saved on the floor worker
    loaded(qtbot)
    assert on_hand(db, counter["parts"]["SCR-Y9"]) == 1

    tab.counter.quantity.setValue(2)
    short = scan(qtbot, tab, "BAT-X1")
    assert short.outcome is Outcome.WARNING and tab.counter.wait_button.isVisible()
    qtbot.mouseClick(tab.counter.wait_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # saved on the floor worker
    loaded(qtbot)
    with db.read() as session:
        state = session.scalar(
            select(RepairOrder.state).where(RepairOrder.id == counter["order"].order_id)
        )
    assert state is RepairState.WAITING_PARTS
    qtbot.waitUntil(lambda: tab.purchases.model.rowCount() == 1)

    # the keeper books the delivery: the order is unblocked and its technician named
    tab.keeper.part.setText("BAT-X1")
    tab.keeper.quantity.setValue(5)
    tab.keeper.document.setText("PO-9")
    tab.keeper.part.setText("NOPE-1")  # no such part: refused, the form kept as typed
    qtbot.mouseClick(tab.keeper.apply, Qt.MouseButton.LeftButton)
    assert not tab.keeper.apply.isEnabled()  # booking on the floor worker: pressed once
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.ERROR and "NOPE-1" in message.text()
    assert tab.keeper.apply.isEnabled() and tab.keeper.document.text() == "PO-9"
    tab.keeper.part.setText("BAT-X1")
    qtbot.mouseClick(tab.keeper.apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert "王工" in tab.counter.unblocked.text()
    assert counter["order"].order_no in tab.counter.unblocked.text()


def test_a_badge_changes_who_receives_and_a_refused_charge_blocks(
    qtbot, db, counter, make_user
) -> None:
    make_user(Role.TECHNICIAN, username="li", display_name="李工", badge_code="T002")
    orders.propose_charge(
        counter["boss"],
        counter["order"].order_id,
        parts_cents=100,
        labour_cents=0,
        reason="过保",
        expected_version=order_version(counter["boss"], counter["order"].order_id),
    )
    tab = parts_tab(qtbot, counter["keeper"])
    scan(qtbot, tab, counter["order"].order_no)
    assert scan(qtbot, tab, "T002").outcome is Outcome.OK
    assert tab.counter.technician_label.text() == "李工"
    refused = scan(qtbot, tab, "SCR-X1")
    assert refused.outcome is Outcome.ERROR
    assert on_hand(db, counter["parts"]["SCR-X1"]) == 5
    assert scan(qtbot, tab, "NOPE-123").outcome is Outcome.ERROR


def test_slow_moving_and_defective_stock_show_in_their_sections(
    qtbot, qtmodeltester, db, clock, counter
) -> None:
    keeper, ids = counter["keeper"], counter["parts"]
    parts.issue_part(
        keeper, counter["order"].order_id, ids["SCR-X1"], 1, technician_id=counter["wang"].user_id
    )
    parts_moves.return_faulty(keeper, counter["order"].order_id, ids["SCR-X1"], 1, reason="花屏")
    clock.advance(days=100)
    parts.receive_stock(keeper, ids["SCR-Y9"], 2, document_no="PO-3")  # moved today
    tab = parts_tab(qtbot, keeper)

    slow = tab.slow_moving.model
    rows = {slow.row_object(n).part_no: slow.row_object(n) for n in range(slow.rowCount())}
    assert set(rows) == {"SCR-X1", "BAT-X1"}
    assert rows["SCR-X1"].quantity == 4 and rows["SCR-X1"].age_days == 100
    assert [slow.index(0, c).data() for c in range(4)] == ["BAT-X1", "BAT-X1", "1", "100"]
    defective = tab.defective.model
    assert defective.rowCount() == 1
    assert [defective.index(0, c).data() for c in range(4)] == ["SCR-X1", "SCR-X1", "1", "100"]
    assert "(1)" in tab.defective.heading.text()
    qtmodeltester.check(slow)
    qtmodeltester.check(defective)


def test_a_part_at_its_safety_stock_is_highlighted(qtbot, db, counter) -> None:
    with db.transaction() as session:
        session.get(Part, counter["parts"]["SCR-X1"]).safety_stock = 5  # 5 on hand: at it
        session.get(Part, counter["parts"]["BAT-X1"]).safety_stock = 0  # no safety stock
    tab = parts_tab(qtbot, counter["keeper"])
    model = tab.stock.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    on_hand_column = 3
    highlighted = {
        model.row_object(n).part_no
        for n in range(model.rowCount())
        if model.index(n, on_hand_column).data(Qt.ItemDataRole.BackgroundRole) is not None
    }
    assert highlighted == {"SCR-X1"}


def test_the_parts_master_round_trips_through_export_and_import(
    qtbot, db, counter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_user
) -> None:
    tab = parts_tab(qtbot, counter["keeper"])
    assert tab.master.isVisible()
    assert not may_edit_master(make_user(Role.TECHNICIAN, username="li", badge_code="T002"))
    exported = tmp_path / "master.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(exported), ""))
    qtbot.mouseClick(tab.master.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(exported.exists)
    line = tab.findChild(MessageLine, "scanMessage")
    qtbot.waitUntil(lambda: line.outcome is Outcome.OK)

    workbook = load_workbook(exported)
    sheet = workbook.active
    names = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(names) == {"SCR-X1", "BAT-X1", "SCR-Y9"}
    names["BAT-X1"].value = "电池 X1"
    sheet.append(("CAM-X1", "后摄像头", "X1", 12.5, 30, "B-02", 2, 4))
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)

    # a bad row: nothing applied, Apply disabled, the row named
    bad = tmp_path / "bad.xlsx"
    sheet.append(("CAM-Y9", "摄像头", "NO-SUCH", 1, 1, "", 0, 0))
    workbook.save(bad)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    qtbot.mouseClick(tab.master.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.master.dialog is not None and tab.master.dialog.isVisible())
    assert not tab.master.dialog.apply_button.isEnabled()
    assert "NO-SUCH" in tab.master.dialog.details.toPlainText()
    tab.master.dialog.reject()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(edited), ""))
    qtbot.mouseClick(tab.master.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.master.dialog is not None and tab.master.dialog.isVisible())
    dialog = tab.master.dialog
    assert dialog.apply_button.isEnabled()
    assert "1" in dialog.summary.text() and "3" in dialog.summary.text()
    with db.read() as session:
        assert session.scalar(select(Part).where(Part.part_no == "CAM-X1")) is None  # preview only
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    def imported() -> bool:
        with db.read() as session:
            return (
                session.scalar(select(PartMaster.name).where(PartMaster.part_no == "CAM-X1"))
                == "后摄像头"
            )

    qtbot.waitUntil(imported)
    with db.read() as session:
        assert (
            session.scalar(select(PartMaster.name).where(PartMaster.part_no == "BAT-X1"))
            == "电池 X1"
        )
        camera = session.scalar(select(Part).where(Part.part_no == "CAM-X1"))
        assert (camera.unit_cost_cents, camera.safety_stock, camera.on_hand) == (1250, 2, 0)
    qtbot.waitUntil(lambda: line.outcome is Outcome.OK and "1" in line.text())
