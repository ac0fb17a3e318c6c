"""Sign-in, passwords and permissions, enforced in the services."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSWORD, TEST_SCRYPT_COST
from factories import audit_count
from sqlalchemy import select

from app import passwords, users
from app.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.models import AuditEntry, Role, User
from app.permissions import ROLE_PERMISSIONS, Permission


def test_passwords_are_stored_as_slow_salted_hashes() -> None:
    first, second = users.hash_password("secret-123"), users.hash_password("secret-123")
    assert first != second and first.startswith("scrypt$") and "secret" not in first
    assert users.verify_password("secret-123", first)
    assert not users.verify_password("secret-124", first)
    assert not users.verify_password("secret-123", "md5$garbage")


def test_tests_hash_cheaply_while_the_application_keeps_the_production_cost(monkeypatch) -> None:
    # The OWASP setting for scrypt: N = 2^17, r = 8, p = 1 (about 128 MiB: maxmem allows it).
    assert passwords.PRODUCTION_SCRYPT_COST == passwords.ScryptCost(n=2**17, r=8, p=1)
    assert passwords.PRODUCTION_SCRYPT_COST.maxmem > 128 * 2**17 * 8
    cheap = users.hash_password("secret-123")
    assert cheap.startswith(f"scrypt${TEST_SCRYPT_COST.n}${TEST_SCRYPT_COST.r}$")
    monkeypatch.setattr(passwords, "scrypt_cost", passwords.PRODUCTION_SCRYPT_COST)
    strong = users.hash_password("secret-123")
    assert strong.startswith("scrypt$131072$8$1$")
    # A stored hash carries its own cost: each verifies whatever cost new hashes are made with.
    for cost in (passwords.PRODUCTION_SCRYPT_COST, TEST_SCRYPT_COST):
        monkeypatch.setattr(passwords, "scrypt_cost", cost)
        assert users.verify_password("secret-123", cheap)
        assert users.verify_password("secret-123", strong)
        assert not users.verify_password("secret-124", strong)
    # Outside the test suite (no conftest), new hashes have the production cost.
    made = subprocess.run(
        [sys.executable, "-c", "from app.users import hash_password; print(hash_password('x'))"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert made.startswith("scrypt$131072$8$1$")


def test_a_forged_stored_cost_is_refused_unread() -> None:
    assert not users.verify_password("x", "scrypt$1073741824$8$1$AAAA$AAAA")
    assert not users.verify_password("x", "scrypt$1000$8$1$AAAA$AAAA")  # N not a power of 2


def test_the_right_password_signs_in_with_the_users_roles(db, clock, make_user) -> None:
    make_user(Role.QC_TESTER, username="qc")
    actor = users.authenticate(db, "qc", PASSWORD, station="QC-1", clock=clock)
    assert actor.username == "qc" and actor.roles == {Role.QC_TESTER}
    assert actor.can(Permission.QC) and not actor.can(Permission.SHIP)


def test_a_wrong_password_is_refused_and_the_failure_is_audited(db, clock, make_user) -> None:
    make_user(Role.QC_TESTER, username="qc")
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(db, "qc", "not-the-password", station="QC-1", clock=clock)
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "login_failed" and entry.station == "QC-1"


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(db, clock) -> None:
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(db, "nobody", "whatever", station="s", clock=clock)


def test_five_wrong_passwords_lock_the_account_for_a_while(db, clock, make_user) -> None:
    make_user(Role.TECHNICIAN, username="tech1")
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(db, "tech1", "wrong", station="s", clock=clock)
    # The right password of a locked account gets the one answer of every refusal.
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(db, "tech1", PASSWORD, station="s", clock=clock)
    clock.advance(users.LOCKOUT)
    assert users.authenticate(db, "tech1", PASSWORD, station="s", clock=clock).username == "tech1"


def test_a_disabled_account_cannot_sign_in(db, clock, make_user) -> None:
    make_user(Role.TECHNICIAN, username="tech1")
    with db.transaction() as session:
        session.scalar(select(User).where(User.username == "tech1")).active = False
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(db, "tech1", PASSWORD, station="s", clock=clock)


def test_only_user_managers_create_users_and_nothing_is_written_otherwise(db, make_user) -> None:
    supervisor = make_user(Role.SUPERVISOR, username="boss")
    before = audit_count(db)
    with pytest.raises(PermissionDenied):
        users.create_user(supervisor, "newbie", "secret-1", {Role.TECHNICIAN})
    assert audit_count(db) == before
    with db.read() as session:
        assert session.scalar(select(User).where(User.username == "newbie")) is None


def test_user_names_are_unique_and_passwords_long_enough(db, admin) -> None:
    with pytest.raises(Conflict):
        users.create_user(admin, "admin", "secret-1", {Role.TECHNICIAN})
    with pytest.raises(InvalidInput):
        users.create_user(admin, "short", "123", {Role.TECHNICIAN})
    with pytest.raises(InvalidInput):
        users.create_user(admin, "no roles", "secret-1", set())


def test_a_user_changes_a_reset_password(db, clock, admin) -> None:
    users.create_user(admin, "parts", "initial-1", {Role.PARTS_KEEPER}, must_change_password=True)
    actor = users.authenticate(db, "parts", "initial-1", station="s", clock=clock)
    assert users.must_change_password(db, actor.user_id)
    ctx = admin.as_actor(actor)
    with pytest.raises(AuthenticationFailed):
        users.change_password(ctx, "wrong-old", "brand-new-1")
    users.change_password(ctx, "initial-1", "brand-new-1")
    assert not users.must_change_password(db, actor.user_id)
    assert users.authenticate(db, "parts", "brand-new-1", station="s", clock=clock)


def test_ensure_admin_creates_the_first_admin_once(db, system_ctx) -> None:
    assert users.ensure_admin(system_ctx, "root", "secret-1")
    assert not users.ensure_admin(system_ctx, "root", "another-1")
    assert users.actor_for_username(db, None).username == "root"


def test_every_role_has_permissions_and_only_admin_manages_users() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(ROLE_PERMISSIONS[role] for role in Role)
    managers = {
        role for role, granted in ROLE_PERMISSIONS.items() if Permission.MANAGE_USERS in granted
    }
    assert managers == {Role.ADMIN}
