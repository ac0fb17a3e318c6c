"""User names are NFKC and plain (no look-alike letters, bidi overrides or zero-width characters);
a password of only spaces is no password. Every refusal writes nothing."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from factories import audit_count
from sqlalchemy import func, select

from app import users
from app.admin import users as admin_users
from app.admin.first_run import check_admin
from app.errors import InvalidInput
from app.models import Role, User


def user_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


@pytest.mark.parametrize(
    "name",
    [
        "\u0430dmin",  # Cyrillic а: reads as admin
        "adm\u0456n",  # Ukrainian і
        "\u202enimda",  # right-to-left override
        "ad\u200bmin",  # zero-width space
        "ad\u200dmin",  # zero-width joiner
        "tech 1",
        "tech\x001",
        "a" * 65,
        "",
        "   ",
    ],
)
def test_a_user_name_that_reads_as_another_or_hides_characters_is_refused(db, admin, name) -> None:
    before = (user_count(db), audit_count(db))
    with pytest.raises(InvalidInput, match="user name"):
        users.create_user(admin, name, "secret-123", {Role.TECHNICIAN})
    assert (user_count(db), audit_count(db)) == before


def test_a_full_width_user_name_is_stored_and_signs_in_as_its_plain_form(db, clock, admin) -> None:
    users.create_user(admin, "ｔｅｃｈ１", PASSWORD, {Role.TECHNICIAN})
    with db.read() as session:
        assert session.scalar(select(User.username).where(User.username.like("tech%"))) == "tech1"
    actor = users.authenticate(db, "ｔｅｃｈ１", PASSWORD, station="t", clock=clock)
    assert actor.username == "tech1"


def test_chinese_and_plain_user_names_are_taken(db, admin) -> None:
    for name in ("张三", "li.wei", "wang_2", "tech-9"):
        users.create_user(admin, name, PASSWORD, {Role.TECHNICIAN})
    assert user_count(db) == 5


@pytest.mark.parametrize("password", [" " * 6, " " * 12, "\u3000" * 6, "secret\x00-1"])
def test_a_password_of_only_spaces_or_with_hidden_characters_is_refused(
    db, admin, make_user, password
) -> None:
    before = (user_count(db), audit_count(db))
    with pytest.raises(InvalidInput):
        users.create_user(admin, "tech1", password, {Role.TECHNICIAN})
    assert (user_count(db), audit_count(db)) == before
    tech = make_user(Role.TECHNICIAN, username="tech2")
    with pytest.raises(InvalidInput):
        admin_users.reset_password(
            admin,
            tech.user_id,
            password,
            expected_version=admin_users.user_version(admin, tech.user_id),
        )
    with pytest.raises(InvalidInput):
        users.change_password(tech, PASSWORD, password)
    with pytest.raises(InvalidInput):
        check_admin("admin", password, password)


def test_a_display_name_with_a_hidden_character_is_refused(db, admin, make_user) -> None:
    tech = make_user(Role.TECHNICIAN, username="tech1", display_name="王工")
    with pytest.raises(InvalidInput):
        admin_users.set_display_name(
            admin,
            tech.user_id,
            "王\u202e工",
            expected_version=admin_users.user_version(admin, tech.user_id),
        )
    admin_users.set_display_name(
        admin,
        tech.user_id,
        " 王\x0b工 ",
        expected_version=admin_users.user_version(admin, tech.user_id),
    )
    with db.read() as session:
        assert session.get(User, tech.user_id).display_name == "王 工"
