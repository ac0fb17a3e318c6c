"""The audit log cannot be changed: the database itself refuses UPDATE and DELETE on it, whoever
connects (a trigger on SQLite and on PostgreSQL, added by a migration)."""

from __future__ import annotations

import pytest
from factories import audit_count
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.models import Role

ATTACKS = {
    "rewrite who did it": "UPDATE audit_log SET username = 'someone_else'",
    "rewrite one row": "UPDATE audit_log SET detail = 'nothing happened' WHERE id = :id",
    "delete one row": "DELETE FROM audit_log WHERE id = :id",
    "delete everything": "DELETE FROM audit_log",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_raw_sql_cannot_change_or_delete_audit_rows(db: Database, make_user, attack) -> None:
    make_user(Role.SUPERVISOR, username="boss")  # writes a "user created" audit row
    with db.read() as session:
        rows_before = session.execute(text("SELECT id, username, detail FROM audit_log")).all()
    assert rows_before
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(ATTACKS[attack]), {"id": rows_before[0].id})
    with db.read() as session:
        assert session.execute(text("SELECT id, username, detail FROM audit_log")).all() == (
            rows_before
        )


def test_new_audit_rows_are_still_written(db: Database, make_user) -> None:
    before = audit_count(db)
    make_user(Role.TECHNICIAN, username="tech")
    assert audit_count(db) == before + 1
