"""Badge then PIN at a shared station: the PIN's rules, who may set it, and its check counted,
locked out and audited like a password (app.signatures, app.passwords)."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from factories import audit_count
from sqlalchemy import select

from app import passwords, users
from app.admin import users as admin_users
from app.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.models import AuditEntry, Role, User


def last_audit(db) -> AuditEntry:
    with db.read() as session:
        return session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "１２３４５", "1111", "1234", "87654"])
def test_a_pin_is_4_to_8_digits_and_not_too_easy(db, make_user, pin: str) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    with pytest.raises(InvalidInput):
        users.set_pin(keeper, pin)


def test_the_pin_is_hashed_through_the_password_module_and_audited(db, make_user) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    users.set_pin(keeper, "2580")
    with db.read() as session:
        stored = session.scalar(select(User.pin_hash).where(User.id == keeper.user_id))
    assert stored is not None and "2580" not in stored
    assert passwords.verify_password("2580", stored)
    assert last_audit(db).action == "set_pin"


def test_only_the_administrator_sets_another_persons_pin_over_the_version_loaded(
    db, make_user, admin
) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    loaded = admin_users.user_version(admin, keeper.user_id)
    before = audit_count(db)
    with pytest.raises(PermissionDenied):
        admin_users.set_pin(clerk, keeper.user_id, "2580", expected_version=loaded)
    with pytest.raises(InvalidInput):
        admin_users.set_pin(admin, keeper.user_id, "1234", expected_version=loaded)
    with pytest.raises(Conflict, match="badge"):  # no badge: a PIN alone could never be used
        admin_users.set_pin(
            admin,
            clerk.user_id,
            "2580",
            expected_version=admin_users.user_version(admin, clerk.user_id),
        )
    assert audit_count(db) == before
    admin_users.set_pin(admin, keeper.user_id, "2580", expected_version=loaded)
    with pytest.raises(Conflict):  # a second save over the same loaded version
        admin_users.set_pin(admin, keeper.user_id, "3691", expected_version=loaded)
    entry = last_audit(db)
    assert (entry.action, entry.entity_id, entry.user_id) == (
        "set_pin",
        str(keeper.user_id),
        admin.user_id,
    )
    actor = users.sign_in_with_badge(db, "k001", "2580", station="库房", clock=keeper.clock)
    assert actor.username == "keeper"


def test_a_badge_then_its_pin_signs_in_and_is_audited(db, clock, make_user) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    users.set_pin(keeper, "2580")
    assert users.badge_holder(db, " k001\r") and not users.badge_holder(db, "keeper")
    actor = users.sign_in_any(db, "K001", "2580", station="库房", clock=clock)
    assert actor.username == "keeper" and actor.roles == {Role.PARTS_KEEPER}
    entry = last_audit(db)
    assert entry.action == "login" and entry.station == "库房"
    # The same field takes a user name with the password.
    assert (
        users.sign_in_any(db, "keeper", PASSWORD, station="库房", clock=clock).username == "keeper"
    )
    with pytest.raises(AuthenticationFailed):  # a badge never signs in with the password
        users.sign_in_any(db, "K001", PASSWORD, station="库房", clock=clock)


def test_wrong_pins_are_counted_and_lock_the_account_like_passwords(db, clock, make_user) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    users.set_pin(keeper, "2580")
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
            users.sign_in_with_badge(db, "K001", "0000", station="库房", clock=clock)
    entry = last_audit(db)
    assert entry.action == "login_failed" and "PIN" in (entry.detail or "")
    with pytest.raises(AuthenticationFailed):  # locked: the right PIN too
        users.sign_in_with_badge(db, "K001", "2580", station="库房", clock=clock)
    with pytest.raises(AuthenticationFailed):  # and the password, for the same account
        users.authenticate(db, "keeper", PASSWORD, station="库房", clock=clock)
    clock.advance(users.LOCKOUT)
    assert users.sign_in_with_badge(db, "K001", "2580", station="库房", clock=clock)


def test_without_a_pin_a_badge_signs_in_with_nothing(db, clock, make_user) -> None:
    make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    for guess in ("no such user", "", "2580", PASSWORD):
        with pytest.raises(AuthenticationFailed):
            users.sign_in_with_badge(db, "K001", guess, station="库房", clock=clock)
    with pytest.raises(AuthenticationFailed):  # an unknown badge: the same answer
        users.sign_in_with_badge(db, "NOPE", "2580", station="库房", clock=clock)
