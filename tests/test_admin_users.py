"""User management: disable (never delete), reset password → change at next sign-in, roles,
badges, unlocking a locked account; every change audited and refused to a supervisor."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from sqlalchemy import select

from app.admin import users as admin_users
from app.allocation.dispatch import technician_by_badge
from app.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.models import AuditEntry, Role, User
from app.users import (
    MAX_FAILED_LOGINS,
    authenticate,
    change_password,
    must_change_password,
)


def _audit(db, action):
    with db.read() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_disabled_user_cannot_sign_in_but_stays_in_the_database(db, admin, make_user, clock):
    tech = make_user(Role.TECHNICIAN, username="tech")
    admin_users.disable_user(
        admin, tech.user_id, expected_version=admin_users.user_version(admin, tech.user_id)
    )
    with pytest.raises(AuthenticationFailed, match="disabled"):
        authenticate(db, "tech", PASSWORD, station="s", clock=clock)
    with db.read() as session:
        assert session.get(User, tech.user_id).active is False
    (entry,) = _audit(db, "disable_user")
    assert entry.before == {"active": True} and entry.after == {"active": False}
    admin_users.enable_user(
        admin, tech.user_id, expected_version=admin_users.user_version(admin, tech.user_id)
    )
    assert authenticate(db, "tech", PASSWORD, station="s", clock=clock).username == "tech"


def test_an_admin_cannot_disable_themselves(admin):
    with pytest.raises(Conflict):
        admin_users.disable_user(
            admin, admin.user_id, expected_version=admin_users.user_version(admin, admin.user_id)
        )


def test_a_reset_password_must_be_changed_at_next_sign_in(db, admin, make_user, clock):
    tech = make_user(Role.TECHNICIAN, username="tech")
    temporary = admin_users.reset_password(
        admin, tech.user_id, expected_version=admin_users.user_version(admin, tech.user_id)
    )
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "tech", PASSWORD, station="s", clock=clock)
    actor = authenticate(db, "tech", temporary, station="s", clock=clock)
    assert must_change_password(db, actor.user_id)
    change_password(tech, temporary, "new-secret-1")
    assert not must_change_password(db, actor.user_id)
    assert _audit(db, "reset_password")[0].after == {"must_change_password": True}


def test_a_locked_account_is_unlocked_by_the_admin(db, admin, make_user, clock):
    make_user(Role.QC_TESTER, username="qc")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            authenticate(db, "qc", "wrong", station="s", clock=clock)
    with pytest.raises(AuthenticationFailed, match="locked"):
        authenticate(db, "qc", PASSWORD, station="s", clock=clock)
    assert any("locked" in (e.detail or "") for e in _audit(db, "login_failed"))
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.username == "qc"))
    admin_users.unlock_user(
        admin, user_id, expected_version=admin_users.user_version(admin, user_id)
    )
    assert authenticate(db, "qc", PASSWORD, station="s", clock=clock).username == "qc"
    assert _audit(db, "unlock_user")[0].after["locked_until"] is None


def test_a_badge_is_stored_as_its_scan_reads_and_found_in_any_form(db, admin, make_user):
    tech = make_user(Role.TECHNICIAN, username="tech")
    other = make_user(Role.TECHNICIAN, username="tech2")
    admin_users.set_badge_code(
        admin,
        tech.user_id,
        " ｂ－００１ ",
        expected_version=admin_users.user_version(admin, tech.user_id),
    )
    with db.read() as session:
        assert session.get(User, tech.user_id).badge_code == "B-001"
    with pytest.raises(Conflict, match="taken"):
        admin_users.set_badge_code(
            admin,
            other.user_id,
            "b-001",
            expected_version=admin_users.user_version(admin, other.user_id),
        )
    assert technician_by_badge(admin, "b-001\t").id == tech.user_id
    with pytest.raises(InvalidInput):
        admin_users.set_badge_code(
            admin,
            other.user_id,
            "B-00²",
            expected_version=admin_users.user_version(admin, other.user_id),
        )


def test_roles_and_badges_are_changed_and_audited(db, admin, make_user):
    tech = make_user(Role.TECHNICIAN, username="tech")
    other = make_user(Role.TECHNICIAN, username="tech2", badge_code="B-002")
    admin_users.set_roles(
        admin,
        tech.user_id,
        {Role.TECHNICIAN, Role.QC_TESTER},
        expected_version=admin_users.user_version(admin, tech.user_id),
    )
    admin_users.set_badge_code(
        admin, tech.user_id, "B-001", expected_version=admin_users.user_version(admin, tech.user_id)
    )
    with pytest.raises(Conflict, match="taken"):
        admin_users.set_badge_code(
            admin,
            other.user_id,
            "B-001",
            expected_version=admin_users.user_version(admin, other.user_id),
        )
    with db.read() as session:
        user = session.get(User, tech.user_id)
        assert user.roles == {Role.TECHNICIAN, Role.QC_TESTER} and user.badge_code == "B-001"
    (entry,) = _audit(db, "change_roles")
    assert entry.before == {"roles": ["technician"]}
    assert entry.after == {"roles": ["qc_tester", "technician"]}


def test_a_supervisor_may_not_manage_users(supervisor, make_user):
    tech = make_user(Role.TECHNICIAN, username="tech")
    with pytest.raises(PermissionDenied):
        admin_users.reset_password(
            supervisor,
            tech.user_id,
            expected_version=admin_users.user_version(supervisor, tech.user_id),
        )
    with pytest.raises(PermissionDenied):
        admin_users.disable_user(
            supervisor,
            tech.user_id,
            expected_version=admin_users.user_version(supervisor, tech.user_id),
        )
