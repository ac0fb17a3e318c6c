"""A box's units whose appearance check is pending are listed, and "all intact" completes them
in one step: none is left for the dispatcher to find unallocatable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import add_customer, add_model, floor_staff, imei

from app.context import Context
from app.errors import Conflict
from app.models import ProductCategory, RepairOrder
from app.orders import transitions as orders
from app.receiving import Intake, open_box, receive_unit
from app.receiving.condition import ConditionCheckPending
from app.receiving.pending_checks import mark_all_intact, pending_checks

WAYBILL = "SF1234567890123"


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
    box_id = open_box(clerk, WAYBILL, sender_id=sender, declared_quantity=3)
    answers = [{"屏幕": "碎裂"}, {}, {"屏幕": "完好", "外壳": "完好"}]
    ids = [
        receive_unit(
            clerk, Intake(serial=imei(n), customer_id=sender, box_id=box_id, appearance=a)
        ).order_id
        for n, a in enumerate(answers, start=1)
    ]
    return {**staff, "box_id": box_id, "ids": ids}


def test_the_pending_units_of_a_box_are_listed_with_what_is_missing(box) -> None:
    pending = pending_checks(box["clerk"], box["box_id"])
    assert [(p.order_id, p.serial, p.missing) for p in pending] == [
        (box["ids"][0], imei(1), ["外壳"]),
        (box["ids"][1], imei(2), ["屏幕", "外壳"]),
    ]
    assert all(p.model_name == "星辰 X1" for p in pending)


def test_all_intact_completes_them_keeping_the_damage_recorded_and_they_can_be_allocated(
    db, box
) -> None:
    boss, tech = box["boss"], box["tech"]
    with pytest.raises(ConditionCheckPending) as refused:
        orders.allocate(boss, [box["ids"][1]], tech.user_id)
    assert refused.value.order_id == box["ids"][1]
    pending = pending_checks(box["clerk"], box["box_id"])
    done = mark_all_intact(box["clerk"], [(p.order_id, p.version) for p in pending])
    assert len(done) == 2 and pending_checks(box["clerk"], box["box_id"]) == []
    with db.read() as session:
        first = session.get(RepairOrder, box["ids"][0])
        assert first.appearance == {"屏幕": "碎裂", "外壳": "完好"}  # the damage stays
    assert len(orders.allocate(boss, box["ids"], tech.user_id)) == 3


def test_all_intact_over_a_newer_change_is_refused_and_changes_nothing(box) -> None:
    from app.receiving import record_condition

    clerk = box["clerk"]
    pending = pending_checks(clerk, box["box_id"])
    record_condition(
        clerk, pending[1].order_id, {"外壳": "裂纹"}, expected_version=pending[1].version
    )
    with pytest.raises(Conflict):
        mark_all_intact(clerk, [(p.order_id, p.version) for p in pending])
    still = pending_checks(clerk, box["box_id"])
    assert [p.missing for p in still] == [["外壳"], ["屏幕"]]  # all or nothing
