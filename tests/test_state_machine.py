"""The repair-order state machine: every legal step works and is audited; every illegal one is
refused with nothing written."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, audit_count, force_state, receive, snapshot
from sqlalchemy import select

from app import states
from app.errors import Conflict, IllegalTransition, InvalidInput, PermissionDenied
from app.models import AuditEntry, Handling, RepairState, Role
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.states import TRANSITIONS, Action

LEGAL = [
    (action, source, target)
    for action, transition in TRANSITIONS.items()
    for source in sorted(transition.sources)
    for target in sorted(transition.targets)
]
ILLEGAL = [
    (action, state)
    for action, transition in TRANSITIONS.items()
    for state in sorted(RepairState)
    if state not in transition.sources
]


@pytest.fixture
def order_id(db, admin) -> int:
    add_model(db)
    customer = add_customer(db, admin)
    return receive(admin, customer).order_id


def test_every_state_is_reachable_and_every_open_state_can_move_on() -> None:
    reachable = {RepairState.RECEIVED}
    for transition in TRANSITIONS.values():
        reachable |= transition.targets
    assert reachable == set(RepairState)
    for state in states.OPEN_STATES:
        assert states.legal_actions(state), f"{state} is a dead end"
    for state in states.TERMINAL_STATES:
        assert not states.legal_actions(state)


@pytest.mark.parametrize(("action", "source", "target"), LEGAL)
def test_every_legal_transition_moves_the_order_and_writes_an_audit_row(
    db, admin, order_id, action, source, target
) -> None:
    force_state(db, order_id, source)
    before = audit_count(db)
    order = orders.perform(admin, order_id, action, target=target)
    assert order.state is target
    assert snapshot(db, order_id)["state"] == target
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert audit_count(db) == before + 1
    assert entry.action == action.value and entry.order_id == order_id
    assert entry.username == "admin" and entry.station == "test-station"
    assert entry.before["state"] == source.value and entry.after["state"] == target.value


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_writes_nothing(db, admin, order_id, action, state):
    force_state(db, order_id, state)
    row_before, audit_before = snapshot(db, order_id), audit_count(db)
    target = next(iter(TRANSITIONS[action].targets))
    with pytest.raises(IllegalTransition) as refused:
        orders.perform(admin, order_id, action, target=target)
    assert "Cannot" in str(refused.value)
    assert snapshot(db, order_id) == row_before
    assert audit_count(db) == audit_before


def test_shipping_a_unit_that_has_not_passed_qc_is_refused_with_the_reason(db, admin, order_id):
    force_state(db, order_id, RepairState.IN_REPAIR)
    with pytest.raises(IllegalTransition, match="only from: QC passed, To return unrepaired"):
        orders.perform(admin, order_id, Action.SHIP)


def test_a_transition_to_a_target_it_cannot_reach_is_refused(db, admin, order_id):
    force_state(db, order_id, RepairState.SPECIAL_PENDING)
    with pytest.raises(IllegalTransition):
        orders.perform(admin, order_id, Action.APPROVE_SPECIAL, target=RepairState.SHIPPED)


def test_the_role_not_allowed_a_step_is_refused_in_the_service(db, make_user, order_id):
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    before = snapshot(db, order_id)
    with pytest.raises(PermissionDenied):
        orders.perform(clerk, order_id, Action.ALLOCATE)
    assert snapshot(db, order_id) == before


def test_special_handling_needs_a_supervisor_before_work_starts(db, make_user, order_id):
    technician = make_user(Role.TECHNICIAN, username="tech1")
    supervisor = make_user(Role.SUPERVISOR, username="boss")
    orders.request_special(technician, order_id, Handling.REFURBISH, "外壳严重磨损,客户要求翻新")
    with pytest.raises(PermissionDenied):
        orders.approve_special(technician, order_id)
    with pytest.raises(IllegalTransition):
        orders.allocate(supervisor, [order_id], technician.user_id)
    approved = orders.approve_special(supervisor, order_id)
    assert approved.state is RepairState.RECEIVED and approved.special_approved_at is not None
    orders.allocate(supervisor, [order_id], technician.user_id)
    assert orders.start_repair(technician, order_id).state is RepairState.IN_REPAIR


def test_an_approved_refund_ends_the_order(db, make_user, order_id):
    service = make_user(Role.CUSTOMER_SERVICE, username="cs")
    supervisor = make_user(Role.SUPERVISOR, username="boss")
    orders.request_special(service, order_id, Handling.REFUND, "客户要求退货")
    assert orders.approve_special(supervisor, order_id).state is RepairState.REFUNDED


@pytest.mark.parametrize(
    ("parts", "labour", "reason"),
    [
        (10**30, 0, "屏幕"),
        (35000, 2**62, "屏幕"),
        (-1, 5000, "屏幕"),
        (3.5, 0, "屏幕"),
        (100, 0, "屏\x00"),
    ],
)
def test_a_charge_the_floor_cannot_mean_is_refused_and_nothing_written(
    db, make_user, order_id, parts, labour, reason
):
    technician = make_user(Role.TECHNICIAN, username="tech1")
    supervisor = make_user(Role.SUPERVISOR, username="boss")
    orders.allocate(supervisor, [order_id], technician.user_id)
    orders.start_repair(technician, order_id)
    before = (audit_count(db), snapshot(db, order_id))
    with pytest.raises(InvalidInput):
        orders.propose_charge(
            technician,
            order_id,
            parts_cents=parts,
            labour_cents=labour,
            reason=reason,
            expected_version=order_version(technician, order_id),
        )
    assert (audit_count(db), snapshot(db, order_id)) == before


def test_a_refused_charge_leads_to_return_unrepaired(db, make_user, order_id):
    technician = make_user(Role.TECHNICIAN, username="tech1")
    supervisor = make_user(Role.SUPERVISOR, username="boss")
    service = make_user(Role.CUSTOMER_SERVICE, username="cs")
    orders.allocate(supervisor, [order_id], technician.user_id)
    orders.start_repair(technician, order_id)
    orders.propose_charge(
        technician,
        order_id,
        parts_cents=35000,
        labour_cents=5000,
        reason="屏幕人为损坏,不在保修范围",
        expected_version=order_version(technician, order_id),
    )
    order = orders.answer_charge(
        service,
        order_id,
        accepted=False,
        customer_name="张三",
        expected_version=order_version(service, order_id),
    )
    assert order.state is RepairState.RETURN_UNREPAIRED


def test_a_save_made_on_a_stale_copy_is_refused_with_who_changed_it(db, admin, make_user, order_id):
    stale_version = snapshot(db, order_id)["version"]
    service = make_user(Role.CUSTOMER_SERVICE, username="cs")
    orders.request_special(service, order_id, Handling.REFUND, "客户要求退货")
    before, audit_before = snapshot(db, order_id), audit_count(db)
    with pytest.raises(Conflict, match="changed by cs"):
        orders.perform(
            admin,
            order_id,
            Action.APPROVE_SPECIAL,
            target=RepairState.REFUNDED,
            expected_version=stale_version,
        )
    assert snapshot(db, order_id) == before and audit_count(db) == audit_before


def test_the_parts_keeper_may_put_an_order_on_waiting_for_parts_but_not_finish_it(
    db, make_user, order_id
):
    keeper = make_user(Role.PARTS_KEEPER, username="keeper")
    force_state(db, order_id, RepairState.IN_REPAIR)
    assert orders.wait_for_parts(keeper, order_id, "屏幕缺货").state is RepairState.WAITING_PARTS
    force_state(db, order_id, RepairState.IN_REPAIR)
    with pytest.raises(PermissionDenied):
        orders.finish_repair(
            keeper,
            order_id,
            diagnosis="-",
            repair_action="换屏",
            expected_version=order_version(keeper, order_id),
        )
