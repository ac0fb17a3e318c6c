"""a center's rows refer only to its own center's rows: composite foreign keys (PostgreSQL)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 21:00:00

Every reference from one center table to another gets a twin key over ``(center_id, column)``
to ``(center_id, id)`` (``app.center_keys``: a foreign key's check does not go through row-level
security, so without it a station could save a row that points at another center's customer,
order or user). Existing rows that break it (none should) leave that key checking new rows only,
with a warning. SQLite is one center: nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from app.center_keys import add_center_keys

    add_center_keys(op.get_bind())


def downgrade() -> None:
    from app.center_keys import drop_center_keys

    drop_center_keys(op.get_bind())
