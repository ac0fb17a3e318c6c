"""allocation out-book

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 18:48:32.536582
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("previous_technician_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=255), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_allocations_by_id_users")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["repair_orders.id"], name=op.f("fk_allocations_order_id_repair_orders")
        ),
        sa.ForeignKeyConstraint(
            ["previous_technician_id"],
            ["users.id"],
            name=op.f("fk_allocations_previous_technician_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["technician_id"], ["users.id"], name=op.f("fk_allocations_technician_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index("ix_allocations_at", ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            "ix_allocations_technician_id_at", ["technician_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index("ix_allocations_technician_id_at")
        batch_op.drop_index(batch_op.f("ix_allocations_order_id"))
        batch_op.drop_index("ix_allocations_at")

    op.drop_table("allocations")
