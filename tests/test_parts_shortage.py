"""Shortage: an order waiting for a part shows waiting for parts with a purchase request; the
receipt serves the waits first waiting, first served, and lists the orders unblocked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from factories import add_customer, add_model, audit_count, force_state, receive, stock_row
from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.models import PartWait, PurchaseRequest, RepairOrder, RepairState, Role
from app.parts import issuing as parts
from app.parts import shortage as parts_shortage


@pytest.fixture
def keeper(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.PARTS_KEEPER, username="parts")


def add_part(db, part_no="SCR-X1", *, on_hand=0, safety_stock=0, reorder_quantity=0) -> int:
    with db.transaction() as session:
        part = stock_row(
            part_no=part_no,
            name="屏幕总成",
            on_hand=on_hand,
            safety_stock=safety_stock,
            reorder_quantity=reorder_quantity,
        )
        session.add(part)
        session.flush()
        return part.id


def open_orders(db, admin: Context, count: int) -> list[int]:
    add_model(db)
    customer = add_customer(db, admin)
    ids = [receive(admin, customer, number).order_id for number in range(1, count + 1)]
    for order_id in ids:
        # In warranty: parts leave with no charge (out of warranty: see the charge tests).
        force_state(db, order_id, RepairState.IN_REPAIR, in_warranty=True)
    return ids


def state_of(db, order_id: int) -> RepairState:
    with db.read() as session:
        return session.scalar(select(RepairOrder.state).where(RepairOrder.id == order_id))


def test_an_order_waiting_for_a_part_goes_to_waiting_for_parts_with_a_purchase_request(
    db, admin, keeper
) -> None:
    first, second = open_orders(db, admin, 2)
    part_id = add_part(db, reorder_quantity=5)
    before = audit_count(db)
    recorded = parts_shortage.wait_for_part(keeper, first, part_id, 1)
    assert recorded.state is RepairState.WAITING_PARTS and recorded.quantity_to_order == 5
    assert state_of(db, first) is RepairState.WAITING_PARTS
    assert audit_count(db) == before + 3  # the wait, the order's state, the purchase request
    parts_shortage.wait_for_part(keeper, second, part_id, 6)
    (request,) = parts_shortage.purchase_requests(keeper)
    assert request.quantity == 7 and request.part_no == "SCR-X1"
    assert len(request.orders_waiting) == 2
    assert request.orders_waiting[0] == receive_no(db, first)


def receive_no(db, order_id: int) -> str:
    with db.read() as session:
        return session.scalar(select(RepairOrder.order_no).where(RepairOrder.id == order_id))


def test_a_part_on_the_shelf_is_issued_not_waited_for(db, admin, keeper) -> None:
    (order_id,) = open_orders(db, admin, 1)
    part_id = add_part(db, on_hand=3)
    with pytest.raises(InvalidInput, match="issue it"):
        parts_shortage.wait_for_part(keeper, order_id, part_id, 1)
    assert state_of(db, order_id) is RepairState.IN_REPAIR


def test_a_receipt_unblocks_the_orders_first_waiting_first_served(
    db, admin, clock, keeper, make_user
) -> None:
    wang = make_user(Role.TECHNICIAN, username="wang", display_name="王工")
    first, second, third = open_orders(db, admin, 3)
    with db.transaction() as session:
        session.get(RepairOrder, first).technician_id = wang.user_id
    part_id = add_part(db)
    for order_id in (first, second, third):
        parts_shortage.wait_for_part(keeper, order_id, part_id, 1)
        clock.advance(timedelta(minutes=5))
    receipt = parts.receive_purchase(keeper, part_id, 2, document_no="PO-7")
    assert [u.order_id for u in receipt.unblocked] == [first, second]
    assert receipt.unblocked[0].technician_name == "王工"
    assert [state_of(db, o) for o in (first, second, third)] == [
        RepairState.IN_REPAIR,
        RepairState.IN_REPAIR,
        RepairState.WAITING_PARTS,
    ]
    # the request was closed by the receipt and raised again for the order still waiting
    (request,) = parts_shortage.purchase_requests(keeper)
    assert request.quantity == 1 and len(request.orders_waiting) == 1
    with db.read() as session:
        assert len(session.scalars(select(PurchaseRequest)).all()) == 2
    later = parts.receive_purchase(keeper, part_id, 1, document_no="PO-8")
    assert [u.order_id for u in later.unblocked] == [third]
    assert parts_shortage.purchase_requests(keeper) == []
    with db.read() as session:
        assert session.scalars(select(PartWait).where(PartWait.resolved_at.is_(None))).all() == []


def test_a_receipt_too_small_for_the_first_wait_unblocks_nobody(db, admin, keeper) -> None:
    first, second = open_orders(db, admin, 2)
    part_id = add_part(db)
    parts_shortage.wait_for_part(keeper, first, part_id, 3)
    parts_shortage.wait_for_part(keeper, second, part_id, 1)
    assert parts.receive_purchase(keeper, part_id, 2, document_no="PO-1").unblocked == []
    assert state_of(db, second) is RepairState.WAITING_PARTS


def test_parts_at_or_under_safety_stock_are_the_shortage(db, keeper) -> None:
    add_part(db, "OK", on_hand=10, safety_stock=5)
    add_part(db, "AT", on_hand=5, safety_stock=5, reorder_quantity=20)
    add_part(db, "LOW", on_hand=2, safety_stock=5)
    add_part(db, "NONE", on_hand=0, safety_stock=0)
    assert [p.part_no for p in parts_shortage.shortage_parts(keeper)] == ["LOW", "AT"]
    assert parts_shortage.request_purchases_for_shortage(keeper) == 2
    assert parts_shortage.request_purchases_for_shortage(keeper) == 0
    requests = {r.part_no: r.quantity for r in parts_shortage.purchase_requests(keeper)}
    assert requests == {"AT": 20, "LOW": 3}
