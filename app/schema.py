"""Schema management: Alembic migrations shipped inside the package; the app upgrades on start.

Start-up only reads ``alembic_version`` and compares it with :data:`HEAD_REVISION`; Alembic
itself (a few hundred milliseconds to import) loads only when there is something to upgrade.
A test keeps HEAD_REVISION equal to the newest migration.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from app.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0026"


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    config.attributes["engine"] = db.engine
    return config


def head_revision() -> str:
    """The newest migration shipped, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(db: Database) -> bool:
    return current_revision(db) == HEAD_REVISION


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database to ``revision`` (creates every table on an empty database)."""
    if revision == "head" and is_current(db):
        return
    from alembic import command

    command.upgrade(alembic_config(db), revision)
