"""Alembic environment: runs on the engine the application hands over (no alembic.ini needed)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine

from app.models import UTCDateTime, whole_schema

config = context.config
target_metadata = whole_schema()


def render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import the application's column types: they outlive them.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("Migrations need the application's engine or a sqlalchemy.url.")
        engine = create_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # SQLite's own procedure for schema changes: foreign keys off outside the transaction (a
        # rebuilt table is referenced by others), checked before the commit, on again after.
        driver: Any = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            _migrate(connection, sqlite)
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")


def _migrate(connection: Connection, sqlite: bool) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,  # ALTER on SQLite via copy
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"a migration broke foreign keys: {broken[:5]}")


if context.is_offline_mode():
    raise SystemExit("RepairFloor migrations run online only")
run_migrations_online()
