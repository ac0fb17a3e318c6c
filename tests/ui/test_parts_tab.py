"""The parts counter: scan an order, then part barcodes; the ledger and the balance update."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, force_state, receive
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from app import orders, parts
from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Part, PartFit, RepairOrder, RepairState, Role
from ui.application import build_main_window, create_application
from ui.parts import PartsTab
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
    force_state(db, order.order_id, RepairState.IN_REPAIR)
    with db.transaction() as session:
        session.get(RepairOrder, order.order_id).technician_id = wang.user_id
        for number, fits in (("SCR-X1", model_id), ("BAT-X1", model_id), ("SCR-Y9", other_model)):
            session.add(Part(part_no=number, name=number, fits=[PartFit(product_model_id=fits)]))
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
    tab = window.findChild(PartsTab, "partsTab")
    assert tab is not None
    window.show_tab("partsTab")
    return tab


def scan(qtbot, tab: PartsTab, code: str) -> MessageLine:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
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
    assert on_hand(db, counter["parts"]["SCR-Y9"]) == 1

    tab.counter.quantity.setValue(2)
    short = scan(qtbot, tab, "BAT-X1")
    assert short.outcome is Outcome.WARNING and tab.counter.wait_button.isVisible()
    qtbot.mouseClick(tab.counter.wait_button, Qt.MouseButton.LeftButton)
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
    qtbot.mouseClick(tab.keeper.apply, Qt.MouseButton.LeftButton)
    assert "王工" in tab.counter.unblocked.text()
    assert counter["order"].order_no in tab.counter.unblocked.text()


def test_a_badge_changes_who_receives_and_a_refused_charge_blocks(
    qtbot, db, counter, make_user
) -> None:
    make_user(Role.TECHNICIAN, username="li", display_name="李工", badge_code="T002")
    orders.propose_charge(
        counter["boss"], counter["order"].order_id, parts_cents=100, labour_cents=0, reason="过保"
    )
    tab = parts_tab(qtbot, counter["keeper"])
    scan(qtbot, tab, counter["order"].order_no)
    assert scan(qtbot, tab, "T002").outcome is Outcome.OK
    assert tab.counter.technician_label.text() == "李工"
    refused = scan(qtbot, tab, "SCR-X1")
    assert refused.outcome is Outcome.ERROR
    assert on_hand(db, counter["parts"]["SCR-X1"]) == 5
    assert scan(qtbot, tab, "NOPE-123").outcome is Outcome.ERROR
