"""Every move kind of the parts ledger: the balance moves as the floor expects, is always the sum
of the moves, never goes negative, and a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from factories import add_customer, add_model, audit_count, force_state, receive, stock_row
from sqlalchemy import func, select

from app.context import Context
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import MoveKind, Part, RepairState, Role, StockKind, StockMove
from app.parts import issuing as parts
from app.parts import moves as parts_moves
from app.parts.views import (
    Ledger,
    LedgerFilter,
    count_moves,
    defective_stock,
    ledger_page,
    slow_moving,
)


@pytest.fixture
def keeper(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.PARTS_KEEPER, username="parts", display_name="周库管")


@pytest.fixture
def technician_id(make_user: Callable[..., Context]) -> int:
    return make_user(Role.TECHNICIAN, username="tech1", badge_code="T001").user_id


def add_part(db, part_no: str = "SCR-X1", *, on_hand: int = 0, fits: list[int] | None = None):
    with db.transaction() as session:
        part = stock_row(
            part_no=part_no,
            name="屏幕总成",
            unit_cost_cents=12000,
            sale_price_cents=18000,
            on_hand=on_hand,
            fits=list(fits or []),
        )
        session.add(part)
        session.flush()
        return part.id


def open_orders(db, admin: Context, count: int = 1) -> list[int]:
    add_model(db)
    customer = add_customer(db, admin)
    ids = [receive(admin, customer, number).order_id for number in range(1, count + 1)]
    for order_id in ids:
        # In warranty: parts leave with no charge (out of warranty: see the charge tests).
        force_state(db, order_id, RepairState.IN_REPAIR, in_warranty=True)
    return ids


def stock(db, part_id: int) -> tuple[int, int]:
    with db.read() as session:
        part = session.get(Part, part_id)
        assert part is not None
        return part.on_hand, part.defective_on_hand


def move_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(StockMove)) or 0


def assert_balances_are_the_sum_of_moves(db, part_id: int) -> None:
    good, defective = stock(db, part_id)
    assert good == parts.balance_from_moves(db, part_id, StockKind.GOOD) >= 0
    assert defective == parts.balance_from_moves(db, part_id, StockKind.DEFECTIVE) >= 0
    with db.read() as session:
        for kind in (StockKind.GOOD, StockKind.DEFECTIVE):
            moves = session.scalars(
                select(StockMove)
                .where(StockMove.part_id == part_id, StockMove.stock == kind)
                .order_by(StockMove.id)
            ).all()
            running = 0
            for move in moves:
                running += move.quantity
                assert move.balance_after == running >= 0


@pytest.fixture
def issued(db, admin, keeper, technician_id) -> dict:
    """Ten screens on the shelf, three issued to an order in repair."""
    (order_id,) = open_orders(db, admin)
    part_id = add_part(db)
    parts.receive_stock(keeper, part_id, 10, document_no="PO-001")
    parts.issue_part(keeper, order_id, part_id, 3, technician_id=technician_id)
    return {"order_id": order_id, "part_id": part_id}


def test_an_unused_part_goes_back_to_good_stock_against_its_order(db, keeper, issued) -> None:
    move_id = parts_moves.return_unused(keeper, issued["order_id"], issued["part_id"], 2)
    with db.read() as session:
        move = session.get(StockMove, move_id)
    assert move is not None and (move.kind, move.quantity, move.balance_after) == (
        MoveKind.RETURN_UNUSED,
        2,
        9,
    )
    assert move.order_id == issued["order_id"] and move.technician_id is not None
    assert stock(db, issued["part_id"]) == (9, 0)
    assert_balances_are_the_sum_of_moves(db, issued["part_id"])


def test_no_more_comes_back_than_was_issued_to_the_order(db, keeper, issued) -> None:
    parts_moves.return_unused(keeper, issued["order_id"], issued["part_id"], 2)
    before = (move_count(db), audit_count(db))
    with pytest.raises(Conflict, match="1 of SCR-X1"):
        parts_moves.return_unused(keeper, issued["order_id"], issued["part_id"], 2)
    with pytest.raises(Conflict):
        parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 2, reason="坏")
    assert (move_count(db), audit_count(db)) == before
    assert stock(db, issued["part_id"]) == (9, 0)


def test_a_faulty_part_goes_to_defective_stock(db, keeper, issued) -> None:
    with pytest.raises(InvalidInput):
        parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason=" ")
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason="触摸失灵")
    assert stock(db, issued["part_id"]) == (7, 1)
    assert_balances_are_the_sum_of_moves(db, issued["part_id"])


@pytest.mark.parametrize("kind", [StockKind.GOOD, StockKind.DEFECTIVE])
def test_scrap_takes_from_good_or_defective_stock(db, keeper, issued, kind) -> None:
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason="碎屏")
    parts_moves.scrap(keeper, issued["part_id"], 1, stock=kind, reason="无法修复")
    expected = (6, 1) if kind is StockKind.GOOD else (7, 0)
    assert stock(db, issued["part_id"]) == expected
    with pytest.raises(Conflict):
        parts_moves.scrap(keeper, issued["part_id"], 50, stock=kind, reason="清理")
    with pytest.raises(InvalidInput):
        parts_moves.scrap(keeper, issued["part_id"], 1, stock=kind, reason="")
    assert stock(db, issued["part_id"]) == expected
    assert_balances_are_the_sum_of_moves(db, issued["part_id"])


def test_a_counter_sale_is_kept_apart_from_repair_consumption(db, keeper, issued) -> None:
    with pytest.raises(InvalidInput):
        parts_moves.sell(keeper, issued["part_id"], 1, document_no="")
    sale_id = parts_moves.sell(keeper, issued["part_id"], 2, document_no="XS-0001")
    with db.read() as session:
        sale = session.get(StockMove, sale_id)
    assert sale is not None and sale.order_id is None and sale.unit_cost_cents == 18000
    assert stock(db, issued["part_id"]) == (5, 0)
    repair = ledger_page(keeper, LedgerFilter(ledger=Ledger.REPAIR))
    sales = ledger_page(keeper, LedgerFilter(ledger=Ledger.SALE))
    assert [row.kind for row in repair] == [MoveKind.ISSUE]
    assert [(row.kind, row.document_no) for row in sales] == [(MoveKind.SALE, "XS-0001")]
    assert count_moves(keeper) == 3 and count_moves(keeper, LedgerFilter(ledger=Ledger.OTHER)) == 1
    with pytest.raises(Conflict):
        parts_moves.sell(keeper, issued["part_id"], 6, document_no="XS-0002")
    assert_balances_are_the_sum_of_moves(db, issued["part_id"])


def test_a_stocktake_adjustment_is_signed_and_needs_a_reason(db, keeper, issued) -> None:
    with pytest.raises(InvalidInput):
        parts_moves.adjust_stock(keeper, issued["part_id"], -1, reason="")
    with pytest.raises(InvalidInput):
        parts_moves.adjust_stock(keeper, issued["part_id"], 0, reason="盘点")
    parts_moves.adjust_stock(keeper, issued["part_id"], -2, reason="盘亏")
    parts_moves.adjust_stock(keeper, issued["part_id"], 1, reason="盘盈")
    assert stock(db, issued["part_id"]) == (6, 0)
    with pytest.raises(Conflict):  # the count can never take the balance below zero
        parts_moves.adjust_stock(keeper, issued["part_id"], -7, reason="盘亏")
    assert parts_moves.count_stock(keeper, issued["part_id"], 6, reason="盘点") is None
    parts_moves.count_stock(keeper, issued["part_id"], 4, reason="月度盘点")
    assert stock(db, issued["part_id"]) == (4, 0)
    assert_balances_are_the_sum_of_moves(db, issued["part_id"])


def test_a_supplier_return_batches_defective_stock_under_one_document(
    db, admin, keeper, technician_id, issued
) -> None:
    other = add_part(db, "BAT-X1")
    parts.receive_stock(keeper, other, 4, document_no="PO-002")
    parts.issue_part(keeper, issued["order_id"], other, 2, technician_id=technician_id)
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 2, reason="坏")
    parts_moves.return_faulty(keeper, issued["order_id"], other, 2, reason="鼓包")
    before = (move_count(db), audit_count(db))
    with pytest.raises(Conflict):  # one line too many: nothing of the batch is written
        parts_moves.supplier_return(
            keeper, [(issued["part_id"], 2), (other, 3)], document_no="RMA-01"
        )
    assert (move_count(db), audit_count(db)) == before
    ids = parts_moves.supplier_return(
        keeper, [(issued["part_id"], 2), (other, 1)], document_no="RMA-01", reason="批量退回"
    )
    with db.read() as session:
        moves = [session.get(StockMove, move_id) for move_id in ids]
    assert {(m.kind, m.stock, m.document_no) for m in moves if m} == {
        (MoveKind.SUPPLIER_RETURN, StockKind.DEFECTIVE, "RMA-01")
    }
    assert stock(db, issued["part_id"]) == (7, 0) and stock(db, other) == (2, 1)
    assert audit_count(db) == before[1] + 1
    for part_id in (issued["part_id"], other):
        assert_balances_are_the_sum_of_moves(db, part_id)


def test_every_move_kind_keeps_the_balance_the_sum_of_the_moves(
    db, keeper, technician_id, issued
) -> None:
    order_id, part_id = issued["order_id"], issued["part_id"]
    parts_moves.return_unused(keeper, order_id, part_id, 1)
    parts_moves.return_faulty(keeper, order_id, part_id, 1, reason="坏")
    parts_moves.scrap(keeper, part_id, 1, stock=StockKind.GOOD, reason="摔坏")
    parts_moves.sell(keeper, part_id, 1, document_no="XS-1")
    parts_moves.adjust_stock(keeper, part_id, 2, reason="盘盈")
    parts_moves.supplier_return(keeper, [(part_id, 1)], document_no="RMA-1")
    with db.read() as session:
        kinds = set(session.scalars(select(StockMove.kind)))
    transfers = {MoveKind.TRANSFER_OUT, MoveKind.TRANSFER_IN}  # tests/test_parts_transfer.py
    assert kinds == set(MoveKind) - transfers
    assert stock(db, part_id) == (8, 0)
    assert_balances_are_the_sum_of_moves(db, part_id)


def test_only_the_parts_keeper_moves_stock(db, make_user, issued) -> None:
    technician = make_user(Role.TECHNICIAN, username="tech9")
    calls = [
        lambda: parts_moves.return_unused(technician, issued["order_id"], issued["part_id"], 1),
        lambda: parts_moves.sell(technician, issued["part_id"], 1, document_no="XS"),
        lambda: parts_moves.adjust_stock(technician, issued["part_id"], 1, reason="x"),
        lambda: parts_moves.scrap(
            technician, issued["part_id"], 1, stock=StockKind.GOOD, reason="x"
        ),
        lambda: parts_moves.supplier_return(technician, [(issued["part_id"], 1)], document_no="R"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_a_part_not_listed_for_the_model_needs_an_override_reason(
    db, admin, keeper, technician_id
) -> None:
    (order_id,) = open_orders(db, admin)
    other_model = add_model(db, "Y9", tac="35999999")
    part_id = add_part(db, "SCR-Y9", on_hand=0, fits=[other_model])
    parts.receive_stock(keeper, part_id, 2, document_no="PO-1")
    check = parts.check_issue(keeper, order_id, part_id)
    assert not check.fits_model and check.charge_allows_issue and check.enough_on_hand
    before = (move_count(db), audit_count(db))
    with pytest.raises(parts.PartDoesNotFit):
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)
    assert (move_count(db), audit_count(db)) == before
    move_id = parts.issue_part(
        keeper, order_id, part_id, 1, technician_id=technician_id, fit_override_reason="同款屏"
    )
    with db.read() as session:
        move = session.get(StockMove, move_id)
    assert move is not None and move.reason == "fit override: 同款屏"
    assert move.technician_id == technician_id


def test_slow_moving_and_defective_stock_show_their_age(db, clock, keeper, issued) -> None:
    idle = add_part(db, "IDLE-1")
    parts.receive_stock(keeper, idle, 5, document_no="PO-9")
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason="坏")
    clock.advance(timedelta(days=100))
    parts_moves.sell(keeper, issued["part_id"], 1, document_no="XS-9")
    slow = slow_moving(keeper, days=90)
    assert [(row.part_no, row.quantity, row.age_days) for row in slow] == [("IDLE-1", 5, 100)]
    (faulty,) = defective_stock(keeper)
    assert (faulty.part_no, faulty.quantity, faulty.age_days) == ("SCR-X1", 1, 100)


def test_a_parts_age_is_that_of_its_last_move_of_the_same_stock(db, clock, keeper, issued) -> None:
    """A move of defective stock does not make good stock younger, nor the other way round; a
    part in stock that never moved comes first, with no age."""
    never = add_part(db, "NEVER-1", on_hand=3)
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason="坏")
    clock.advance(timedelta(days=100))  # good stock of SCR-X1 last moved 100 days ago
    parts_moves.return_faulty(keeper, issued["order_id"], issued["part_id"], 1, reason="裂")
    slow = slow_moving(keeper, days=90)
    assert [(row.part_no, row.age_days) for row in slow] == [("NEVER-1", None), ("SCR-X1", 100)]
    assert slow[0].part_id == never and slow[0].last_move_at is None
    (faulty,) = defective_stock(keeper)
    assert (faulty.part_no, faulty.quantity, faulty.age_days) == ("SCR-X1", 2, 0)
