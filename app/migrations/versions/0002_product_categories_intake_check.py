"""product categories and intake condition check

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 18:43:24.571751
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("appearance_checklist", sa.JSON(), nullable=False),
        sa.Column("accessory_checklist", sa.JSON(), nullable=False),
        sa.Column("intake_gate", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_product_categories_code")),
    )
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("condition_checked_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.drop_column("condition_checked_at")

    op.drop_table("product_categories")
