"""Permissions are live: a person disabled, or whose roles changed, while signed in writes
nothing more (the account is re-read inside each write's transaction), and the station can tell
it must sign in again."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, audit_count, receive, snapshot

from app.admin import users as admin_users
from app.context import still_signed_in
from app.errors import SignedOut
from app.models import Handling, RepairState, Role
from app.orders import transitions as orders


@pytest.fixture
def order_id(db, admin) -> int:
    add_model(db)
    return receive(admin, add_customer(db, admin), 1).order_id


def test_a_supervisor_disabled_mid_session_cannot_approve(db, admin, make_user, order_id):
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    boss = make_user(Role.SUPERVISOR, username="boss")
    orders.request_special(clerk, order_id, Handling.REFUND, "客户要求退货")
    admin_users.disable_user(
        admin, boss.user_id, expected_version=admin_users.user_version(admin, boss.user_id)
    )  # while boss is signed in at their station
    before = (snapshot(db, order_id), audit_count(db))
    with pytest.raises(SignedOut):
        orders.approve_special(boss, order_id)
    assert (snapshot(db, order_id), audit_count(db)) == before
    assert snapshot(db, order_id)["state"] == RepairState.SPECIAL_PENDING
    with db.read() as session:
        assert not still_signed_in(session, boss.actor)


def test_a_technician_whose_role_was_removed_cannot_start_a_repair(db, admin, make_user, order_id):
    tech = make_user(Role.TECHNICIAN, username="tech1")
    orders.allocate(admin, [order_id], tech.user_id)
    admin_users.set_roles(
        admin,
        tech.user_id,
        {Role.RECEIVING_CLERK},
        expected_version=admin_users.user_version(admin, tech.user_id),
    )
    before = (snapshot(db, order_id), audit_count(db))
    with pytest.raises(SignedOut):
        orders.start_repair(tech, order_id)
    assert (snapshot(db, order_id), audit_count(db)) == before
    # Given the roles back that the session signed in with, the same session works again.
    admin_users.set_roles(
        admin,
        tech.user_id,
        {Role.TECHNICIAN},
        expected_version=admin_users.user_version(admin, tech.user_id),
    )
    assert orders.start_repair(tech, order_id).state is RepairState.IN_REPAIR


def test_an_unchanged_account_keeps_working(db, admin, make_user, order_id):
    tech = make_user(Role.TECHNICIAN, username="tech1")
    orders.allocate(admin, [order_id], tech.user_id)
    admin_users.set_display_name(
        admin, tech.user_id, "王工", expected_version=admin_users.user_version(admin, tech.user_id)
    )  # not a permission change
    assert orders.start_repair(tech, order_id).state is RepairState.IN_REPAIR
    with db.read() as session:
        assert still_signed_in(session, tech.actor)
