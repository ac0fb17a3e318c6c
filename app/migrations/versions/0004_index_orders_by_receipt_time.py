"""index orders by receipt time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 19:04:37.248706
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.create_index("ix_repair_orders_received_at", ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_orders_received_at")
