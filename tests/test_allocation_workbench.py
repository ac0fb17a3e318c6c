"""Allocation (badges, reassignment, workload, out-book) and the bench (knowledge base, swaps)."""

from __future__ import annotations

from datetime import date

import pytest
from factories import (
    add_customer,
    add_model,
    audit_count,
    bad_imei,
    force_state,
    imei,
    receive,
    snapshot,
)
from sqlalchemy import select

from app.allocation import dispatch as allocation
from app.allocation import workbench as bench
from app.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from app.models import (
    AuditEntry,
    Handling,
    ProductCategory,
    RepairOrder,
    RepairState,
    Role,
    SerialSwap,
    Unit,
    User,
)
from app.orders import transitions as orders
from app.orders.listing import order_version


@pytest.fixture
def floor(db, make_user):
    add_model(db)
    boss = make_user(Role.SUPERVISOR, username="boss")
    wang = make_user(Role.TECHNICIAN, username="wang", display_name="王工", badge_code="T001")
    li = make_user(Role.TECHNICIAN, username="li", display_name="李工", badge_code="T002")
    customer = add_customer(db, boss)
    ids = [receive(boss, customer, n).order_id for n in range(1, 5)]
    return {"boss": boss, "wang": wang, "li": li, "ids": ids}


def test_a_badge_scan_finds_its_technician(db, floor):
    assert allocation.technician_by_badge(floor["boss"], "T002").display_name == "李工"
    with pytest.raises(NotFound, match="T999"):
        allocation.technician_by_badge(floor["boss"], "T999")


def test_the_dispatchers_scan_names_a_technician_or_an_order_to_allocate(db, floor):
    with db.read() as session:
        order_no = session.get(RepairOrder, floor["ids"][0]).order_no
    badge = allocation.badge_or_label(floor["boss"], "t002")
    assert isinstance(badge, User) and badge.id == floor["li"].user_id
    label = allocation.badge_or_label(floor["boss"], f" {order_no.lower()} ")
    assert label == allocation.check_allocatable(floor["boss"], order_no)
    assert isinstance(label, allocation.QueueItem) and label.id == floor["ids"][0]
    with pytest.raises(NotFound, match="T999"):  # neither a badge nor an order
        allocation.badge_or_label(floor["boss"], "T999")
    orders.allocate(floor["boss"], [floor["ids"][0]], floor["wang"].user_id)
    with pytest.raises(IllegalTransition, match="not waiting for allocation"):
        allocation.badge_or_label(floor["boss"], order_no)


def test_several_orders_allocate_at_once_and_fill_the_out_book(db, floor, clock):
    orders.allocate(floor["boss"], floor["ids"][:3], floor["wang"].user_id)
    orders.allocate(floor["boss"], floor["ids"][3:], floor["li"].user_id)
    today = clock.now().date()
    lines = allocation.out_book(floor["boss"], today, today)
    assert {(line.technician, line.quantity) for line in lines} == {("王工", 3), ("李工", 1)}
    assert all(line.model == "星辰 X1" for line in lines)


def test_allocating_to_someone_who_is_not_a_technician_is_refused(db, floor):
    before = audit_count(db)
    with pytest.raises(InvalidInput, match="not an active technician"):
        orders.allocate(floor["boss"], floor["ids"], floor["boss"].user_id)
    assert audit_count(db) == before


def test_one_bad_order_in_a_batch_allocates_none(db, floor):
    orders.allocate(floor["boss"], [floor["ids"][0]], floor["wang"].user_id)
    with pytest.raises(IllegalTransition):
        orders.allocate(floor["boss"], floor["ids"][:2], floor["li"].user_id)
    assert snapshot(db, floor["ids"][1])["state"] == RepairState.RECEIVED


def test_reassignment_needs_a_reason_and_is_audited(db, floor):
    order_id = floor["ids"][0]
    orders.allocate(floor["boss"], [order_id], floor["wang"].user_id)
    with pytest.raises(InvalidInput, match="reason"):
        allocation.reassign(floor["boss"], [order_id], floor["li"].user_id, " ")
    allocation.reassign(floor["boss"], [order_id], floor["li"].user_id, "王工请假")
    assert snapshot(db, order_id)["technician_id"] == floor["li"].user_id
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "reassign" and entry.detail == "王工请假"
    with pytest.raises(PermissionDenied):
        allocation.reassign(floor["wang"], [order_id], floor["wang"].user_id, "我来修")


def test_an_order_not_on_a_bench_cannot_be_reassigned(db, floor):
    with pytest.raises(IllegalTransition, match="only orders on a bench"):
        allocation.reassign(floor["boss"], [floor["ids"][0]], floor["li"].user_id, "调整")


def test_workload_counts_open_and_overdue_orders_per_technician(db, floor, clock):
    orders.allocate(floor["boss"], floor["ids"][:3], floor["wang"].user_id)
    clock.advance(days=10)
    loads = {load.name: load for load in allocation.workload(floor["boss"], clock.now())}
    assert (loads["王工"].open_orders, loads["王工"].overdue_orders) == (3, 3)
    assert (loads["李工"].open_orders, loads["李工"].overdue_orders) == (0, 0)


@pytest.fixture
def on_bench(db, floor):
    order_id = floor["ids"][0]
    orders.allocate(floor["boss"], [order_id], floor["wang"].user_id)
    orders.start_repair(floor["wang"], order_id)
    return order_id


def test_the_bench_suggests_past_actions_for_the_same_model(db, floor, on_bench):
    for order_id in floor["ids"][1:3]:
        orders.allocate(floor["boss"], [order_id], floor["li"].user_id)
        orders.start_repair(floor["li"], order_id)
        bench.record_repair(
            floor["li"],
            order_id,
            fault_code="P01",
            cause="尾插氧化",
            action="更换尾插小板",
            expected_version=order_version(floor["li"], order_id),
        )
    bench.record_repair(
        floor["li"],
        floor["ids"][1],
        fault_code="B02",
        cause="电池老化",
        action="更换电池",
        expected_version=order_version(floor["li"], floor["ids"][1]),
    )
    suggested = bench.suggestions(floor["boss"], on_bench)
    assert suggested[0].action == "更换尾插小板" and suggested[0].times == 2
    assert {s.action for s in suggested} == {"更换尾插小板", "更换电池"}


def test_a_repair_record_needs_cause_and_action(db, floor, on_bench):
    with pytest.raises(InvalidInput):
        bench.record_repair(
            floor["wang"],
            on_bench,
            fault_code=None,
            cause="",
            action="换屏",
            expected_version=order_version(floor["wang"], on_bench),
        )


def test_a_serial_swap_moves_the_order_to_the_new_serial_and_keeps_both_in_history(
    db, floor, on_bench
):
    bench.swap_serial(
        floor["wang"],
        on_bench,
        imei(99),
        "主板更换",
        expected_version=order_version(floor["wang"], on_bench),
    )
    with db.read() as session:
        order = session.get(RepairOrder, on_bench)
        assert session.get(Unit, order.unit_id).serial == imei(99)
        swap = session.scalar(select(SerialSwap).where(SerialSwap.order_id == on_bench))
        assert session.get(Unit, swap.old_unit_id).serial == imei(1)


def test_a_swap_to_a_bad_or_busy_serial_is_refused(db, floor, on_bench):
    with pytest.raises(InvalidInput, match="check digit"):
        bench.swap_serial(
            floor["wang"],
            on_bench,
            bad_imei(99),
            "换板",
            expected_version=order_version(floor["wang"], on_bench),
        )
    with pytest.raises(Conflict, match="open repair order"):
        bench.swap_serial(
            floor["wang"],
            on_bench,
            imei(2),
            "换板",
            expected_version=order_version(floor["wang"], on_bench),
        )


def test_out_book_for_an_empty_range_is_empty(db, floor):
    assert allocation.out_book(floor["boss"], date(2020, 1, 1), date(2020, 1, 31)) == []


def test_the_queue_filters_by_warranty_repeat_age_and_model(db, floor, clock):
    from app.orders.listing import OrderFilter, count_orders

    queue = frozenset({RepairState.RECEIVED})
    assert count_orders(floor["boss"], OrderFilter(states=queue)) == 4
    assert count_orders(floor["boss"], OrderFilter(states=queue, in_warranty=True)) == 0
    assert count_orders(floor["boss"], OrderFilter(states=queue, repeat_only=True)) == 0
    assert count_orders(floor["boss"], OrderFilter(states=queue, received_before=clock.now())) == 0
    clock.advance(hours=1)
    assert count_orders(floor["boss"], OrderFilter(states=queue, received_before=clock.now())) == 4
    with db.read() as session:
        model_id = session.scalar(select(Unit.product_model_id))
    assert count_orders(floor["boss"], OrderFilter(states=queue, model_id=model_id)) == 4
    assert count_orders(floor["boss"], OrderFilter(states=queue, model_id=model_id + 1)) == 0


def test_a_scanned_label_in_the_queue_may_be_allocated(db, floor):
    with db.read() as session:
        order_no = session.get(RepairOrder, floor["ids"][0]).order_no
    item = allocation.check_allocatable(floor["boss"], f" {order_no.lower()} ")
    assert (item.id, item.order_no, item.model_name) == (floor["ids"][0], order_no, "星辰 X1")
    assert allocation.check_allocatable(floor["boss"], imei(2)).id == floor["ids"][1]


def test_a_scan_not_in_the_queue_is_refused_with_its_reason(db, floor):
    with pytest.raises(NotFound, match="RO000"):
        allocation.check_allocatable(floor["boss"], "RO000")
    orders.allocate(floor["boss"], [floor["ids"][0]], floor["wang"].user_id)
    with pytest.raises(IllegalTransition, match="not waiting for allocation"):
        allocation.check_allocatable(floor["boss"], imei(1))


def test_a_scan_of_special_handling_not_yet_approved_is_refused(db, floor):
    orders.request_special(floor["boss"], floor["ids"][1], Handling.REFURBISH, "外观翻新")
    with pytest.raises(IllegalTransition, match="approval"):
        allocation.check_allocatable(floor["boss"], imei(2))
    orders.approve_special(floor["boss"], floor["ids"][1])
    assert allocation.check_allocatable(floor["boss"], imei(2)).id == floor["ids"][1]


def test_a_scan_with_the_intake_check_incomplete_is_refused(db, floor):
    with db.transaction() as session:
        session.add(
            ProductCategory(
                code="phone", name="手机", appearance_checklist=["屏幕"], intake_gate=True
            )
        )
    force_state(db, floor["ids"][2], RepairState.RECEIVED, condition_checked_at=None)
    with pytest.raises(IllegalTransition, match="appearance check"):
        allocation.check_allocatable(floor["boss"], imei(3))


def test_the_pending_charge_is_what_customer_service_reads_out(db, floor, on_bench, make_user):
    assert bench.pending_charge(floor["boss"], on_bench) is None
    orders.propose_charge(
        floor["wang"],
        on_bench,
        parts_cents=12000,
        labour_cents=3000,
        reason="进水, 过保",
        expected_version=order_version(floor["wang"], on_bench),
    )
    charge = bench.pending_charge(floor["boss"], on_bench)
    assert (charge.total_cents, charge.reason, charge.proposed_by) == (15000, "进水, 过保", "王工")
    service = make_user(Role.CUSTOMER_SERVICE, username="kefu")
    orders.answer_charge(
        service,
        on_bench,
        accepted=True,
        customer_name="张三",
        expected_version=order_version(service, on_bench),
    )
    assert bench.pending_charge(floor["boss"], on_bench) is None


def test_the_model_filter_lists_active_models_by_name(db, floor):
    from app.orders.listing import model_choices

    add_model(db, "A9")
    assert [name for _id, name in model_choices(floor["boss"])] == ["星辰 A9", "星辰 X1"]
