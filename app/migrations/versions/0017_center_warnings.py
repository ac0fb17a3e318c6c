"""headquarters' warnings: two valid complaints against a center in a month, and the decision

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 15:00:00

A center table like the others (``center_id``: the deciding center, headquarters); on PostgreSQL
it gets migration 0016's row-level security.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = app.models.base.UTCDateTime(timezone=True)
# The same policies as migration 0016's ``secure`` (its module name cannot be imported).
OWN_ROWS = "center_id = (SELECT rf_current_center()) OR (SELECT rf_is_owner())"
ALL_ROWS = "(SELECT rf_reads_all_centers())"


def upgrade() -> None:
    op.create_table(
        "center_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("valid_complaints", sa.Integer(), nullable=False),
        sa.Column("raised_at", Moment, nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("penalty_cents", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=512), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", Moment, nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("center_id", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["centers.id"], name=op.f("fk_center_warnings_station_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_center_warnings_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_center_warnings_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_center_warnings_approved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_warnings")),
        sa.UniqueConstraint(
            "station_id", "month", "center_id", name=op.f("uq_center_warnings_station_id")
        ),
    )
    op.create_index(
        op.f("ix_center_warnings_station_id"), "center_warnings", ["station_id"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        table = "center_warnings"
        op.execute(f"ALTER TABLE {table} ALTER COLUMN center_id SET DEFAULT rf_current_center()")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY center_rows ON {table} USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})"
        )
        op.execute(f"CREATE POLICY center_reads ON {table} FOR SELECT USING ({ALL_ROWS})")


def downgrade() -> None:
    op.drop_index(op.f("ix_center_warnings_station_id"), table_name="center_warnings")
    op.drop_table("center_warnings")
