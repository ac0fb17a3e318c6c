"""What the backup tests share: a fingerprint of a whole database (row counts and a SHA-256 of
every table), crafted backups made from a scratch copy of the live database, and the clean-up of
the databases a PostgreSQL restore keeps."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.admin import backup
from app.db import Database

Fingerprint = dict[str, tuple[int, str]]


def fingerprint(db: Database, *, without: frozenset[str] = frozenset()) -> Fingerprint:
    """Every table's row count and SHA-256 of its rows in key order."""
    result: Fingerprint = {}
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for name in sorted(inspector.get_table_names()):
            if name in without:
                continue
            keys = inspector.get_pk_constraint(name)["constrained_columns"] or [
                c["name"] for c in inspector.get_columns(name)
            ]
            order = ", ".join(f'"{key}"' for key in keys)
            rows = connection.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}')).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            result[name] = (len(rows), digest)
    return result


def server_engine(db: Database):
    return create_engine(db.url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def databases_like(db: Database, suffix: str) -> list[str]:
    engine = server_engine(db)
    with engine.connect() as connection:
        names = connection.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
            {"pattern": f"{db.url.database}\\_{suffix}%"},
        ).scalars()
        found = sorted(names)
    engine.dispose()
    return found


def drop_databases(db: Database, names: list[str]) -> None:
    engine = server_engine(db)
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def scratch_copy(db: Database, tmp_path: Path) -> Database:
    """A copy of ``db`` that a test may spoil (a file copy, or CREATE DATABASE ... TEMPLATE)."""
    db.dispose()
    if db.is_sqlite:
        path = tmp_path / f"scratch-{uuid.uuid4().hex[:6]}.db"
        source = sqlite3.connect(str(db.url.database))
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        target.close()
        source.close()
        return Database(f"sqlite:///{path}")
    name = f"{db.url.database}_scratch_{uuid.uuid4().hex[:6]}"
    engine = server_engine(db)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{db.url.database}"'))
    engine.dispose()
    return Database(db.url.set(database=name).render_as_string(hide_password=False))


def crafted_backup(
    db: Database, tmp_path: Path, name: str, *statements: str, spoil: Callable | None = None
) -> Path:
    """A well-formed backup (its manifest true to its content) of a spoiled copy of ``db``."""
    copy = scratch_copy(db, tmp_path)
    try:
        with copy.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        if spoil is not None:
            spoil(copy)
        return backup.backup(copy, tmp_path / name)
    finally:
        copy.dispose()
        if not copy.is_sqlite:
            drop_databases(db, [str(copy.url.database)])


def sqlite_backup_of_an_empty_station(tmp_path: Path) -> Path:
    from app import schema

    other = Database(f"sqlite:///{tmp_path / 'one-pc.db'}")
    schema.upgrade(other)
    path = backup.backup(other, tmp_path / "one-pc.rfbackup")
    other.dispose()
    return path


def kept_copies(db: Database) -> list[str]:
    """The pre-restore copies a PostgreSQL restore kept of ``db``."""
    return databases_like(db, "before\\_restore")


def database_url_of(db: Database, name: str) -> str:
    return make_url(db.url).set(database=name).render_as_string(hide_password=False)


def copy_file(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
