"""Schema management: Alembic migrations shipped inside the package; the app upgrades on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    config.attributes["engine"] = db.engine
    return config


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database to ``revision`` (creates every table on an empty database)."""
    command.upgrade(alembic_config(db), revision)
