"""index queues by due time

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 19:34:34.943718
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_repair_orders_state_due_at_id", ["state", "due_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("repair_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_orders_state_due_at_id")
