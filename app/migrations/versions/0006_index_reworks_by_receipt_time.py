"""index reworks by receipt time

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 19:51:06.784344
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_repair_orders_is_rework_received_at", ["is_rework", "received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_orders_is_rework_received_at")
