"""First run without Qt: the answers of the wizard become a working database and an admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app import schema, settings, users
from app.admin import first_run
from app.clock import ManualClock
from app.config import DATA_DIR_ENV_VAR
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.demo import MIN_ORDERS
from app.errors import AuthenticationFailed, InvalidInput
from app.models import RepairOrder


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


def answers(**changes: object) -> first_run.FirstRunAnswers:
    values: dict[str, object] = {
        "database_url": first_run.local_database_url(),
        "admin_username": "zhang",
        "admin_password": "secret-123",
        "center_name": "深圳华强北维修中心",
        "center_address": "深圳市福田区华强北路1号",
        "center_phone": "0755-88886666",
        "letterhead": "深圳华强北维修中心\n售后服务部",
        "station": "前台1号",
    }
    values.update(changes)
    return first_run.FirstRunAnswers(**values)  # type: ignore[arg-type]


def test_this_pc_only_puts_the_database_in_the_data_dir(data_dir: Path) -> None:
    assert first_run.local_database_url() == f"sqlite:///{data_dir / 'repairfloor.db'}"
    assert first_run.needs_first_run(first_run.local_database_url())


def test_first_run_creates_the_database_the_admin_and_the_center(
    data_dir: Path, clock: ManualClock
) -> None:
    result = first_run.set_up(answers(), clock)

    assert result.admin_created
    assert result.schema_revision == schema.HEAD_REVISION
    assert not first_run.needs_first_run(result.database_url)
    db = Database(result.database_url)
    try:
        actor = users.authenticate(db, "zhang", "secret-123", station="前台1号", clock=clock)
        assert actor.username == "zhang"
        with db.read() as session:
            assert settings.get(session, settings.CENTER_NAME) == "深圳华强北维修中心"
            assert settings.get(session, settings.CENTER_PHONE) == "0755-88886666"
            assert settings.get(session, settings.CENTER_ADDRESS) == "深圳市福田区华强北路1号"
            assert settings.get(session, settings.LETTERHEAD_LINES).startswith("深圳华强北")
    finally:
        db.dispose()


def test_running_the_setup_again_keeps_the_first_password(
    data_dir: Path, clock: ManualClock
) -> None:
    first_run.set_up(answers(), clock)
    again = first_run.set_up(answers(admin_password="another-pw"), clock)

    assert not again.admin_created
    db = Database(again.database_url)
    try:
        users.authenticate(db, "zhang", "secret-123", station="s", clock=clock)
        with pytest.raises(AuthenticationFailed):
            users.authenticate(db, "zhang", "another-pw", station="s", clock=clock)
    finally:
        db.dispose()


def test_demo_data_is_loaded_when_asked(data_dir: Path, clock: ManualClock) -> None:
    result = first_run.set_up(answers(load_demo=True, demo_orders=MIN_ORDERS), clock)

    assert result.demo_summary
    db = Database(result.database_url)
    try:
        with db.read() as session:
            assert len(session.scalars(select(RepairOrder.id)).all()) >= MIN_ORDERS
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("username", "password", "repeated", "refusal"),
    [
        ("", "secret-123", "secret-123", "user name"),
        ("zhang", "1234567", "1234567", "at least 8"),
        ("zhang", "secret-123", "secret-124", "differ"),
    ],
)
def test_an_admin_nobody_could_sign_in_with_is_refused(
    username: str, password: str, repeated: str, refusal: str
) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        first_run.check_admin(username, password, repeated)


def test_a_short_password_leaves_no_database_half_set_up(
    data_dir: Path, clock: ManualClock
) -> None:
    with pytest.raises(InvalidInput):
        first_run.set_up(answers(admin_password="123"), clock)
    # The schema may exist, but nobody: the next start shows the wizard again.
    assert first_run.needs_first_run(first_run.local_database_url())


def test_a_server_address_gets_the_shipped_driver() -> None:
    assert first_run.server_url(" postgresql://rf:pw@db.center/repairfloor ") == (
        "postgresql+psycopg://rf:pw@db.center/repairfloor"
    )


@pytest.mark.parametrize("typed", ["", "not a url", "sqlite:///x.db", "postgresql://"])
def test_what_is_not_a_postgresql_address_is_refused_in_words(typed: str) -> None:
    check = first_run.check_server(typed)

    assert not check.ok
    assert "postgresql://user:password@host/db" in check.message()


def test_an_unreachable_server_is_said_so() -> None:
    check = first_run.check_server(
        "postgresql://rf:secret@127.0.0.1:1/repairfloor?connect_timeout=3"
    )

    assert not check.ok
    assert "cannot be reached" in check.message()
    assert "secret" not in check.message()


def test_a_database_with_users_needs_no_first_run(database_url: str, admin: object) -> None:
    assert not first_run.needs_first_run(database_url)


def test_an_empty_database_needs_a_first_run(database_url: str) -> None:
    assert first_run.needs_first_run(database_url)


def test_start_up_looks_at_the_schema_and_the_users_on_one_connection(
    database_url: str, tmp_path: Path
) -> None:
    """``look``: what the window's start needs before the sign-in (the schema's revision, whether
    anybody could sign in), read on the database the window goes on with."""
    db = Database(database_url)
    try:
        assert first_run.look(db) == first_run.Look(schema.HEAD_REVISION, has_users=False)
        system = Context(db, SYSTEM_ACTOR, "t", ManualClock())
        users.ensure_admin(system, "zhang", "secret-123")
        assert first_run.look(db) == first_run.Look(schema.HEAD_REVISION, has_users=True)
    finally:
        db.dispose()
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert first_run.look(empty) == first_run.Look(None, has_users=False)
    finally:
        empty.dispose()
    assert first_run.no_database_yet(f"sqlite:///{tmp_path / 'none.db'}")
    assert not first_run.no_database_yet("postgresql+psycopg://rf@server/floor")
