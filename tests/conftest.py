"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
``REPAIRFLOOR_TEST_DB`` names one), a clock that moves only when told, and signed-in people."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest
from sqlalchemy import text

from app import schema
from app.clock import ManualClock
from app.context import SYSTEM_ACTOR, Actor, Context
from app.db import Database
from app.models import Base, Role
from app.users import actor_for_username, create_user

TEST_DB_ENV_VAR = "REPAIRFLOOR_TEST_DB"
PASSWORD = "secret-123"


def pytest_report_header(config: pytest.Config) -> str:
    return f"RepairFloor test database: {os.environ.get(TEST_DB_ENV_VAR) or 'SQLite files'}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str | None]:
    url = os.environ.get(TEST_DB_ENV_VAR)
    if url:
        db = Database(url)
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        schema.upgrade(db)
        db.dispose()
    yield url


def _empty_postgres(url: str) -> Database:
    db = Database(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db


@pytest.fixture
def database_url(tmp_path: Path, _sqlite_template: Path, _postgres_url: str | None) -> str:
    """A URL of an empty, fully migrated database of its own for this test."""
    if _postgres_url:
        _empty_postgres(_postgres_url).dispose()
        return _postgres_url
    path = tmp_path / "repairfloor.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def system_ctx(db: Database, clock: ManualClock) -> Context:
    return Context(db, SYSTEM_ACTOR, "test-station", clock)


@pytest.fixture
def make_user(system_ctx: Context) -> Callable[..., Context]:
    """``make_user(Role.TECHNICIAN, username="tech1")`` → a Context signed in as that new user."""

    def make(*roles: Role, username: str | None = None, **kwargs: object) -> Context:
        name = username or "_".join(r.value for r in roles) or "nobody"
        create_user(system_ctx, name, PASSWORD, roles, **kwargs)  # type: ignore[arg-type]
        actor: Actor = actor_for_username(system_ctx.db, name)
        return system_ctx.as_actor(actor)

    return make


@pytest.fixture
def admin(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def supervisor(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.SUPERVISOR, username="supervisor")
