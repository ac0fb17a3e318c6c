"""The one password check (app/signatures.py): one answer for every refusal, failures counted in
their own transaction, the scrypt cost raised on sign-in, the dummy hash made once, no hash
computed inside a write transaction; and the administrator's minimum password length."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from conftest import PASSWORD, TEST_SCRYPT_COST
from sqlalchemy import select

from app import passwords, settings, signatures, users
from app.admin import users as admin_users
from app.db import Database
from app.errors import AuthenticationFailed, InvalidInput
from app.models import AuditEntry, Role, User


def refusal(call) -> str:
    with pytest.raises(AuthenticationFailed) as refused:
        call()
    return str(refused.value)


def sign_in(db, clock, username, password):
    return users.authenticate(db, username, password, station="s", clock=clock)


def test_every_sign_in_refusal_reads_the_same(db, clock, admin, make_user) -> None:
    make_user(Role.TECHNICIAN, username="tech1")
    gone = make_user(Role.TECHNICIAN, username="gone")
    admin_users.disable_user(
        admin, gone.user_id, expected_version=admin_users.user_version(admin, gone.user_id)
    )
    make_user(Role.TECHNICIAN, username="locked")
    for _ in range(signatures.MAX_FAILED_LOGINS):
        refusal(lambda: sign_in(db, clock, "locked", "guess"))
    answers = {
        refusal(lambda: sign_in(db, clock, "tech1", "guess")),
        refusal(lambda: sign_in(db, clock, "nobody", PASSWORD)),
        refusal(lambda: sign_in(db, clock, "gone", PASSWORD)),
        refusal(lambda: sign_in(db, clock, "locked", PASSWORD)),
    }
    assert len(answers) == 1


def test_a_cheaper_stored_hash_is_replaced_at_sign_in(db, clock, make_user, monkeypatch) -> None:
    tech = make_user(Role.TECHNICIAN, username="tech1")
    monkeypatch.setattr(passwords, "scrypt_cost", passwords.ScryptCost(n=2, r=1, p=1))
    weak = passwords.hash_password(PASSWORD)
    monkeypatch.setattr(passwords, "scrypt_cost", TEST_SCRYPT_COST)
    with db.transaction() as session:
        session.get(User, tech.user_id).password_hash = weak
    assert passwords.needs_rehash(weak)
    sign_in(db, clock, "tech1", PASSWORD)
    with db.read() as session:
        stored = session.get(User, tech.user_id).password_hash
    assert stored.startswith(f"scrypt${TEST_SCRYPT_COST.n}$") and not passwords.needs_rehash(stored)
    assert sign_in(db, clock, "tech1", PASSWORD).user_id == tech.user_id


def test_the_dummy_hash_for_unknown_names_is_made_once(db, clock, monkeypatch) -> None:
    passwords.dummy_hash()  # made (once per cost) before
    made = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda pw: made.append(pw) or real(pw))
    verified = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(
        passwords, "verify_password", lambda pw, h: verified.append(h) or real_verify(pw, h)
    )
    for name in ("nobody", "ghost", "nobody"):
        refusal(lambda: sign_in(db, clock, name, PASSWORD))  # noqa: B023
    assert made == [] and len(verified) == 3 and len(set(verified)) == 1  # checked, not made


def test_no_password_hash_is_computed_inside_a_write_transaction(
    db, clock, admin, make_user, monkeypatch
) -> None:
    open_writes = []
    seen = []
    real_transaction = Database.transaction

    @contextmanager
    def counted(self):
        open_writes.append(1)
        try:
            with real_transaction(self) as session:
                yield session
        finally:
            open_writes.pop()

    real_scrypt = passwords._scrypt

    def scrypt(*args, **kwargs):
        seen.append(len(open_writes))
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(Database, "transaction", counted)
    monkeypatch.setattr(passwords, "_scrypt", scrypt)
    tech = make_user(Role.TECHNICIAN, username="tech1")
    sign_in(db, clock, "tech1", PASSWORD)
    refusal(lambda: sign_in(db, clock, "tech1", "guess"))
    users.change_password(tech, PASSWORD, "another-pass-1")
    admin_users.reset_password(
        admin, tech.user_id, expected_version=admin_users.user_version(admin, tech.user_id)
    )
    assert len(seen) >= 5 and set(seen) == {0}


def test_a_wrong_current_password_of_a_password_change_is_counted(db, clock, make_user) -> None:
    tech = make_user(Role.TECHNICIAN, username="tech1")
    for _ in range(signatures.MAX_FAILED_LOGINS):
        refusal(lambda: users.change_password(tech, "guess", "another-pass-1"))
    refusal(lambda: users.change_password(tech, PASSWORD, "another-pass-1"))
    refusal(lambda: sign_in(db, clock, "tech1", PASSWORD))
    with db.read() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("signature_refused") == signatures.MAX_FAILED_LOGINS + 1


def test_the_administrator_sets_the_minimum_password_length(db, admin, make_user) -> None:
    with pytest.raises(InvalidInput, match="at least 8"):
        users.create_user(admin, "tech1", "seven77", {Role.TECHNICIAN})
    settings.put(
        admin,
        settings.PASSWORD_MIN_LENGTH,
        12,
        expected_version=settings.setting_version(admin, settings.PASSWORD_MIN_LENGTH),
    )
    with pytest.raises(InvalidInput, match="at least 12"):
        users.create_user(admin, "tech1", "eleven-char", {Role.TECHNICIAN})
    users.create_user(admin, "tech1", "twelve-chars", {Role.TECHNICIAN})
    with db.read() as session:
        tech_id = session.scalar(select(User.id).where(User.username == "tech1"))
    assert (
        len(
            admin_users.reset_password(
                admin, tech_id, expected_version=admin_users.user_version(admin, tech_id)
            )
        )
        >= 12
    )
    with pytest.raises(InvalidInput):
        settings.put(
            admin,
            settings.PASSWORD_MIN_LENGTH,
            3,
            expected_version=settings.setting_version(admin, settings.PASSWORD_MIN_LENGTH),
        )
