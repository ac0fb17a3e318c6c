"""Gates that hold: each attack of the adversarial pass, replayed through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import PASSWORD
from factories import (
    add_customer,
    add_model,
    audit_count,
    receive,
    repair_and_ship,
    snapshot,
    stock_row,
)
from PIL import Image
from sqlalchemy import select

from app.audit import entries_for_order
from app.context import Context
from app.db import Database
from app.errors import IllegalTransition, PermissionDenied
from app.models import Carrier, Part, RepairOrder, Role
from app.orders import charges
from app.orders import transitions as orders
from app.orders.charges import PartsCharge
from app.orders.listing import order_version
from app.parts import issuing as parts
from app.receiving.condition import record_condition
from app.receiving.photos import attach_photo


@pytest.fixture
def floor(db: Database, make_user: Callable[..., Context]) -> dict[str, Any]:
    add_model(db)
    people = {
        "boss": make_user(Role.SUPERVISOR, username="boss", display_name="陈主管"),
        "clerk": make_user(Role.RECEIVING_CLERK, username="clerk"),
        "tech": make_user(Role.TECHNICIAN, username="tech", display_name="王工"),
        "li": make_user(Role.TECHNICIAN, username="li", display_name="李工"),
        "keeper": make_user(Role.PARTS_KEEPER, username="parts"),
        "service": make_user(Role.CUSTOMER_SERVICE, username="kefu"),
        "qc": make_user(Role.QC_TESTER, username="qc"),
        "ship": make_user(Role.SHIPPING_CLERK, username="ship"),
    }
    people["customer"] = add_customer(db, people["clerk"])
    with db.transaction() as session:
        part = stock_row(part_no="SCR-X1", name="屏幕总成", unit_cost_cents=12000, on_hand=5)
        session.add(part)
        session.flush()
        people["part"] = part.id
    return people


def _on_bench(floor: dict[str, Any], number: int = 1, *, in_warranty: bool) -> int:
    clerk = floor["clerk"]
    purchase = (clerk.now() - timedelta(days=30)).date() if in_warranty else None
    received = receive(clerk, floor["customer"], number, purchase_date=purchase)
    assert received.in_warranty is in_warranty
    orders.allocate(floor["boss"], [received.order_id], floor["tech"].user_id)
    orders.start_repair(floor["tech"], received.order_id)
    return received.order_id


def _version(floor: dict[str, Any], order_id: int) -> int:
    return order_version(floor["tech"], order_id)


# Out-of-warranty parts
def test_out_of_warranty_no_part_leaves_the_counter_without_a_charge(db, floor) -> None:
    """The attack: a part issued for an out-of-warranty order with no charge proposed at all,
    while the counter showed "收费:已确认"."""
    order_id = _on_bench(floor, in_warranty=False)
    check = parts.check_issue(floor["keeper"], order_id, floor["part"])
    assert check.charge is PartsCharge.NOT_PROPOSED and not check.charge_allows_issue
    with pytest.raises(IllegalTransition, match="no charge proposed"):
        parts.issue_part(
            floor["keeper"], order_id, floor["part"], 1, technician_id=floor["tech"].user_id
        )
    with db.read() as session:
        assert session.get_one(Part, floor["part"]).on_hand == 5


def test_out_of_warranty_a_part_leaves_once_the_customer_accepts_the_charge(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=False)
    orders.propose_charge(
        floor["tech"],
        order_id,
        parts_cents=30000,
        labour_cents=5000,
        reason="过保换屏",
        expected_version=_version(floor, order_id),
    )
    check = parts.check_issue(floor["keeper"], order_id, floor["part"])
    assert check.charge is PartsCharge.AWAITING_CUSTOMER and not check.charge_allows_issue
    orders.answer_charge(
        floor["service"],
        order_id,
        accepted=True,
        customer_name="张三",
        expected_version=_version(floor, order_id),
    )
    assert parts.check_issue(floor["keeper"], order_id, floor["part"]).charge is (
        PartsCharge.CONFIRMED
    )
    parts.issue_part(
        floor["keeper"], order_id, floor["part"], 1, technician_id=floor["tech"].user_id
    )


def test_a_supervisors_waiver_with_a_reason_lets_the_part_go_and_is_audited(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=False)
    for not_a_supervisor in (floor["tech"], floor["keeper"], floor["service"]):
        with pytest.raises(PermissionDenied):
            charges.waive_charge(
                not_a_supervisor,
                order_id,
                reason="免收",
                expected_version=_version(floor, order_id),
            )
    with pytest.raises(Exception, match="why the charge is waived"):
        charges.waive_charge(
            floor["boss"], order_id, reason="  ", expected_version=_version(floor, order_id)
        )
    charges.waive_charge(
        floor["boss"],
        order_id,
        reason="上次维修返修,免收",
        expected_version=_version(floor, order_id),
    )
    assert parts.check_issue(floor["keeper"], order_id, floor["part"]).charge is PartsCharge.WAIVED
    parts.issue_part(
        floor["keeper"], order_id, floor["part"], 1, technician_id=floor["tech"].user_id
    )
    (waiver,) = [e for e in entries_for_order(db, order_id) if e.action == "waive_charge"]
    assert (waiver.username, waiver.detail) == ("boss", "上次维修返修,免收")


def test_in_warranty_the_counter_says_free_not_confirmed(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=True)
    check = parts.check_issue(floor["keeper"], order_id, floor["part"])
    assert check.charge is PartsCharge.FREE and check.charge_allows_issue


# In-warranty charges
def test_a_technician_cannot_charge_an_in_warranty_repair(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=True)
    before, audit_before = snapshot(db, order_id), audit_count(db)
    with pytest.raises(PermissionDenied, match="in warranty"):
        orders.propose_charge(
            floor["tech"],
            order_id,
            parts_cents=30000,
            labour_cents=0,
            reason="人为损坏",
            expected_version=_version(floor, order_id),
        )
    assert snapshot(db, order_id) == before and audit_count(db) == audit_before


def test_a_supervisor_may_charge_an_in_warranty_repair_with_a_reason(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=True)
    with pytest.raises(Exception, match="Say why"):
        orders.propose_charge(
            floor["boss"],
            order_id,
            parts_cents=30000,
            labour_cents=0,
            reason=" ",
            expected_version=_version(floor, order_id),
        )
    orders.propose_charge(
        floor["boss"],
        order_id,
        parts_cents=30000,
        labour_cents=0,
        reason="进水,人为损坏不在保修范围",
        expected_version=_version(floor, order_id),
    )
    (proposal,) = [e for e in entries_for_order(db, order_id) if e.action == "propose_charge"]
    assert proposal.username == "boss" and "进水" in (proposal.detail or "")


# Finishing someone else's order
def test_a_technician_cannot_finish_or_start_an_order_allocated_to_another(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=True)
    before = snapshot(db, order_id)
    with pytest.raises(PermissionDenied, match="another technician"):
        orders.finish_repair(
            floor["li"],
            order_id,
            diagnosis="-",
            repair_action="更换屏幕",
            expected_version=_version(floor, order_id),
        )
    assert snapshot(db, order_id) == before
    received = receive(floor["clerk"], floor["customer"], 2)
    orders.allocate(floor["boss"], [received.order_id], floor["tech"].user_id)
    with pytest.raises(PermissionDenied, match="another technician"):
        orders.start_repair(floor["li"], received.order_id)


def test_a_supervisor_may_finish_a_technicians_order_and_the_audit_says_so(db, floor) -> None:
    order_id = _on_bench(floor, in_warranty=True)
    orders.finish_repair(
        floor["boss"],
        order_id,
        diagnosis="-",
        repair_action="更换屏幕",
        expected_version=_version(floor, order_id),
    )
    (finish,) = [e for e in entries_for_order(db, order_id) if e.action == "finish_repair"]
    assert finish.username == "boss" and "王工" in (finish.detail or "")


# Edits of a shipped order
@pytest.fixture
def shipped(db, floor, clock) -> int:
    staff = {"boss": floor["boss"], "tech": floor["tech"], "qc": floor["qc"]}
    staff["ship"] = floor["ship"]
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    order_id = receive(floor["clerk"], floor["customer"], 3).order_id
    repair_and_ship(staff, clock, order_id, PASSWORD)
    with db.read() as session:
        assert session.scalar(select(RepairOrder.state).where(RepairOrder.id == order_id)) == (
            "shipped"
        )
    return order_id


def test_the_condition_and_other_edits_of_a_shipped_order_are_refused(
    db, floor, shipped, tmp_path
) -> None:
    before, audit_before = snapshot(db, shipped), audit_count(db)
    version = _version(floor, shipped)
    with pytest.raises(IllegalTransition, match="no longer be changed"):
        record_condition(floor["clerk"], shipped, {}, notes="后补", expected_version=version)
    with pytest.raises(IllegalTransition, match="no longer be changed"):
        charges.waive_charge(floor["boss"], shipped, reason="免收", expected_version=version)
    photo = tmp_path / "after.png"
    Image.new("RGB", (8, 8)).save(photo)
    with pytest.raises(IllegalTransition, match="no longer be changed"):
        attach_photo(floor["clerk"], shipped, photo)
    assert snapshot(db, shipped) == before and audit_count(db) == audit_before
