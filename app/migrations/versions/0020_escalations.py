"""escalated complaints: a station's request to headquarters and headquarters' reply

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 17:00:00

Two center tables with migration 0016's row-level security on PostgreSQL. ``escalations`` is the
escalating station's row (its center and headquarters' network view read it, no other center);
``escalation_replies`` is headquarters' row (taken, answered), which the station it answers
(``station_id``) may also read: one more SELECT policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = app.models.base.UTCDateTime(timezone=True)
# The same policies as migration 0016's ``secure`` (its module name cannot be imported).
OWN_ROWS = "center_id = (SELECT rf_current_center()) OR (SELECT rf_is_owner())"
ALL_ROWS = "(SELECT rf_reads_all_centers())"
ANSWERED_STATION = "station_id = (SELECT rf_current_center())"


def _secure(table: str) -> None:
    op.execute(f"ALTER TABLE {table} ALTER COLUMN center_id SET DEFAULT rf_current_center()")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY center_rows ON {table} USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})")
    op.execute(f"CREATE POLICY center_reads ON {table} FOR SELECT USING ({ALL_ROWS})")


def _center(table: str) -> list[Any]:
    return [
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("center_id", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f(f"fk_{table}_center_id_centers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "complaint_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reason", sa.String(length=1024), nullable=False),
        sa.Column("escalated_at", Moment, nullable=False),
        sa.Column("escalated_by_id", sa.Integer(), nullable=False),
        *_center("escalations"),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_escalations_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["escalated_by_id"], ["users.id"], name=op.f("fk_escalations_escalated_by_id_users")
        ),
    )
    op.create_index(op.f("ix_escalations_complaint_id"), "escalations", ["complaint_id"])
    op.create_index(op.f("ix_escalations_escalated_at"), "escalations", ["escalated_at"])
    op.create_table(
        "escalation_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", Moment, nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=1024), nullable=True),
        sa.Column("answered_at", Moment, nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        *_center("escalation_replies"),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_replies_escalation_id_escalations"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["centers.id"], name=op.f("fk_escalation_replies_station_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"], ["users.id"], name=op.f("fk_escalation_replies_taken_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_escalation_replies_answered_by_id_users"),
        ),
        sa.UniqueConstraint("escalation_id", name=op.f("uq_escalation_replies_escalation_id")),
    )
    op.create_index(op.f("ix_escalation_replies_station_id"), "escalation_replies", ["station_id"])
    op.create_index(
        op.f("ix_escalation_replies_answered_at"), "escalation_replies", ["answered_at"]
    )
    if op.get_bind().dialect.name == "postgresql":
        _secure("escalations")
        _secure("escalation_replies")
        op.execute(
            "CREATE POLICY answered_station_reads ON escalation_replies FOR SELECT "
            f"USING ({ANSWERED_STATION})"
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_escalation_replies_answered_at"), table_name="escalation_replies")
    op.drop_index(op.f("ix_escalation_replies_station_id"), table_name="escalation_replies")
    op.drop_table("escalation_replies")
    op.drop_index(op.f("ix_escalations_escalated_at"), table_name="escalations")
    op.drop_index(op.f("ix_escalations_complaint_id"), table_name="escalations")
    op.drop_table("escalations")
