"""The parts ledger: receipts and issues keep the balance, refuse what the rules refuse, and never
sell the same unit twice, even when two counters issue at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from factories import add_customer, add_model, audit_count, force_state, receive, stock_row
from sqlalchemy import func, select

from app.audit import entries_for_order
from app.context import Context
from app.errors import Conflict, DomainError, IllegalTransition, InvalidInput, PermissionDenied
from app.models import MoveKind, Part, RepairState, Role, StockMove
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.parts import issuing as parts


@pytest.fixture
def keeper(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.PARTS_KEEPER, username="parts")


@pytest.fixture
def technician_id(make_user: Callable[..., Context]) -> int:
    return make_user(Role.TECHNICIAN, username="tech1", badge_code="T001").user_id


def _add_part(db, part_no: str = "SCR-X1", *, on_hand: int = 0, safety_stock: int = 0) -> int:
    with db.transaction() as session:
        part = stock_row(
            part_no=part_no,
            name="屏幕总成",
            unit_cost_cents=12000,
            safety_stock=safety_stock,
            on_hand=on_hand,
        )
        session.add(part)
        session.flush()
        return part.id


def _open_orders(db, admin: Context, count: int = 1, *, in_warranty: bool = True) -> list[int]:
    add_model(db)
    customer = add_customer(db, admin)
    ids = [receive(admin, customer, number).order_id for number in range(1, count + 1)]
    for order_id in ids:
        # In warranty: parts leave with no charge (out of warranty: see the charge tests).
        force_state(db, order_id, RepairState.IN_REPAIR, in_warranty=in_warranty)
    return ids


def _move_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(StockMove)) or 0


def _on_hand(db, part_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(Part.on_hand).where(Part.id == part_id)) or 0


def test_receiving_stock_raises_the_balance_and_records_it_on_the_move(db, keeper) -> None:
    part_id = _add_part(db)
    move_id = parts.receive_stock(keeper, part_id, 5, document_no="PO-001")
    parts.receive_stock(keeper, part_id, 3, document_no="PO-002", unit_cost_cents=11500)
    with db.read() as session:
        first = session.get(StockMove, move_id)
        moves = session.scalars(select(StockMove).order_by(StockMove.id)).all()
    assert first is not None and first.kind is MoveKind.RECEIPT and first.balance_after == 5
    assert [m.balance_after for m in moves] == [5, 8]
    assert [m.unit_cost_cents for m in moves] == [12000, 11500]
    assert _on_hand(db, part_id) == 8 == parts.balance_from_moves(db, part_id)


def test_a_receipt_needs_a_document_number_and_a_positive_quantity(db, keeper) -> None:
    part_id = _add_part(db)
    with pytest.raises(InvalidInput):
        parts.receive_stock(keeper, part_id, 5, document_no="  ")
    for quantity in (0, -2):
        with pytest.raises(InvalidInput):
            parts.receive_stock(keeper, part_id, quantity, document_no="PO-1")
    assert _move_count(db) == 0 and _on_hand(db, part_id) == 0


def test_issuing_a_part_to_an_open_order_takes_it_off_the_shelf(
    db, admin, keeper, technician_id
) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db)
    parts.receive_stock(keeper, part_id, 4, document_no="PO-001")
    move_id = parts.issue_part(keeper, order_id, part_id, 3, technician_id=technician_id)
    with db.read() as session:
        move = session.get(StockMove, move_id)
    assert move is not None
    assert (move.kind, move.quantity, move.balance_after) == (MoveKind.ISSUE, -3, 1)
    assert (move.order_id, move.technician_id) == (order_id, technician_id)
    assert _on_hand(db, part_id) == 1


def test_issuing_more_than_on_hand_is_refused_and_writes_nothing(
    db, admin, keeper, technician_id
) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db)
    parts.receive_stock(keeper, part_id, 2, document_no="PO-001")
    moves, audits = _move_count(db), audit_count(db)
    with pytest.raises(Conflict, match="2 left"):
        parts.issue_part(keeper, order_id, part_id, 3, technician_id=technician_id)
    assert (_move_count(db), audit_count(db)) == (moves, audits)
    assert _on_hand(db, part_id) == 2


def test_issuing_needs_the_parts_keepers_permission(db, admin, make_user, technician_id) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db, on_hand=5)
    technician = make_user(Role.TECHNICIAN, username="tech2")
    with pytest.raises(PermissionDenied):
        parts.issue_part(technician, order_id, part_id, 1, technician_id=technician_id)
    with pytest.raises(PermissionDenied):
        parts.receive_stock(technician, part_id, 1, document_no="PO-1")


def test_a_zero_or_negative_quantity_is_refused(db, admin, keeper, technician_id) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db, on_hand=5)
    for quantity in (0, -1):
        with pytest.raises(InvalidInput):
            parts.issue_part(keeper, order_id, part_id, quantity, technician_id=technician_id)
    assert _on_hand(db, part_id) == 5


@pytest.mark.parametrize("state", [RepairState.SHIPPED, RepairState.REFUNDED])
def test_parts_go_only_to_open_orders(db, admin, keeper, technician_id, state) -> None:
    (order_id,) = _open_orders(db, admin)
    force_state(db, order_id, state)
    part_id = _add_part(db, on_hand=5)
    with pytest.raises(IllegalTransition):
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)
    assert _on_hand(db, part_id) == 5 and _move_count(db) == 0


def test_parts_go_only_to_a_technician(db, admin, keeper) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db, on_hand=5)
    with pytest.raises(InvalidInput, match="technician"):
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=keeper.user_id)


def test_a_charged_order_gets_parts_only_after_the_customer_accepts(
    db, admin, keeper, technician_id
) -> None:
    (order_id,) = _open_orders(db, admin, in_warranty=False)
    part_id = _add_part(db, on_hand=5)
    orders.propose_charge(
        admin,
        order_id,
        parts_cents=30000,
        labour_cents=5000,
        reason="过保换屏",
        expected_version=order_version(admin, order_id),
    )
    with pytest.raises(IllegalTransition, match="Awaiting the customer"):
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)
    orders.answer_charge(
        admin,
        order_id,
        accepted=True,
        customer_name="张三",
        expected_version=order_version(admin, order_id),
    )
    parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)
    assert _on_hand(db, part_id) == 4


def test_a_refused_charge_gets_no_parts(db, admin, keeper, technician_id) -> None:
    (order_id,) = _open_orders(db, admin, in_warranty=False)
    part_id = _add_part(db, on_hand=5)
    orders.propose_charge(
        admin,
        order_id,
        parts_cents=30000,
        labour_cents=0,
        reason="过保换屏",
        expected_version=order_version(admin, order_id),
    )
    orders.answer_charge(
        admin,
        order_id,
        accepted=False,
        customer_name="张三",
        expected_version=order_version(admin, order_id),
    )
    with pytest.raises(IllegalTransition):
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)


def test_every_move_is_audited_against_its_order(db, admin, keeper, technician_id) -> None:
    (order_id,) = _open_orders(db, admin)
    part_id = _add_part(db)
    before = audit_count(db)
    parts.receive_stock(keeper, part_id, 2, document_no="PO-001")
    parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician_id)
    assert audit_count(db) == before + 2
    (issue,) = [e for e in entries_for_order(db, order_id) if e.action == "issue_part"]
    assert issue.username == "parts" and issue.after == {
        "quantity": 1,
        "balance_after": 1,
        "to": "tech1",
    }


def test_the_balance_always_equals_the_sum_of_the_moves(db, admin, keeper, technician_id) -> None:
    order_ids = _open_orders(db, admin, count=3)
    part_id = _add_part(db)
    parts.receive_stock(keeper, part_id, 10, document_no="PO-001")
    for order_id in order_ids:
        parts.issue_part(keeper, order_id, part_id, 2, technician_id=technician_id)
    parts.receive_stock(keeper, part_id, 1, document_no="PO-002")
    with pytest.raises(DomainError):
        parts.issue_part(keeper, order_ids[0], part_id, 99, technician_id=technician_id)
    assert _on_hand(db, part_id) == parts.balance_from_moves(db, part_id) == 5


def test_parts_below_safety_stock_are_listed_emptiest_first(db) -> None:
    _add_part(db, "OK", on_hand=10, safety_stock=5)
    _add_part(db, "AT", on_hand=5, safety_stock=5)
    _add_part(db, "LOW", on_hand=2, safety_stock=5)
    _add_part(db, "EMPTY", on_hand=0, safety_stock=3)
    _add_part(db, "NO-SAFETY", on_hand=0, safety_stock=0)
    assert [p.part_no for p in parts.parts_below_safety_stock(db)] == ["EMPTY", "LOW"]


def test_two_counters_issuing_the_last_units_never_oversell(
    db, admin, make_user, technician_id
) -> None:
    stations, on_hand = 8, 3
    order_ids = _open_orders(db, admin, count=stations)
    part_id = _add_part(db)
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    parts.receive_stock(keeper, part_id, on_hand, document_no="PO-001")
    counters = [
        Context(db, keeper.actor, f"parts-counter-{n}", keeper.clock) for n in range(stations)
    ]
    start = threading.Barrier(stations)
    outcomes: list[str] = []
    lock = threading.Lock()

    def issue(ctx: Context, order_id: int) -> None:
        start.wait()
        try:
            parts.issue_part(ctx, order_id, part_id, 1, technician_id=technician_id)
            outcome = "issued"
        except Conflict:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [
        threading.Thread(target=issue, args=(ctx, order_id))
        for ctx, order_id in zip(counters, order_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["issued"] * on_hand + ["refused"] * (stations - on_hand)
    assert _on_hand(db, part_id) == 0 == parts.balance_from_moves(db, part_id)
    with db.read() as session:
        balances = session.scalars(select(StockMove.balance_after)).all()
    assert min(balances) >= 0


def test_eight_counters_draining_a_shelf_round_after_round_issue_exactly_the_stock(
    db, admin, make_user, technician_id
) -> None:
    """Real parallel connections, many rounds: each counter issues until refused; in the end
    exactly the initial stock was issued and no balance ever went below zero."""
    stations, rounds, per_round = 8, 6, 5
    order_ids = _open_orders(db, admin, count=stations)
    part_id = _add_part(db)
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    counters = [
        Context(db, keeper.actor, f"parts-counter-{n}", keeper.clock) for n in range(stations)
    ]
    issued_total = 0
    for round_number in range(rounds):
        parts.receive_stock(keeper, part_id, per_round, document_no=f"PO-{round_number}")
        issued, errors = _drain_round(counters, order_ids, part_id, technician_id)
        assert errors == [] and len(issued) == stations
        assert sum(issued) == per_round
        issued_total += sum(issued)
        assert _on_hand(db, part_id) == 0 == parts.balance_from_moves(db, part_id)
    assert issued_total == rounds * per_round
    with db.read() as session:
        issues = session.scalar(
            select(func.count()).select_from(StockMove).where(StockMove.kind == MoveKind.ISSUE)
        )
        balances = session.scalars(select(StockMove.balance_after)).all()
    assert issues == rounds * per_round and min(balances) >= 0


def _drain_round(
    counters: list[Context], order_ids: list[int], part_id: int, technician_id: int
) -> tuple[list[int], list[BaseException]]:
    """Every counter issues one part at a time, all at once, until it is refused."""
    start = threading.Barrier(len(counters))
    issued: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def drain(ctx: Context, order_id: int) -> None:
        start.wait()
        count = 0
        try:
            while True:
                try:
                    parts.issue_part(ctx, order_id, part_id, 1, technician_id=technician_id)
                except Conflict:
                    break
                count += 1
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)
        with lock:
            issued.append(count)

    threads = [
        threading.Thread(target=drain, args=(ctx, order_id))
        for ctx, order_id in zip(counters, order_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return issued, errors
