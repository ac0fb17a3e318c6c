"""index code lookups (any-case badge and part number) and the KPIs' time columns

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_users_badge_code_upper", "users", [sa.text("upper(badge_code)")])
    op.create_index("ix_parts_part_no_upper", "parts", [sa.text("upper(part_no)")])
    op.create_index(
        "ix_repair_orders_shipped_at_received_at", "repair_orders", ["shipped_at", "received_at"]
    )
    op.create_index(
        "ix_repair_orders_repaired_at_technician_id",
        "repair_orders",
        ["repaired_at", "technician_id", "allocated_at"],
    )
    op.create_index("ix_aging_runs_signed_at", "aging_runs", ["signed_at"])
    op.create_index("ix_complaints_received_at", "complaints", ["received_at"])
    op.create_index("ix_follow_ups_due_at", "follow_ups", ["due_at"])


def downgrade() -> None:
    op.drop_index("ix_follow_ups_due_at", table_name="follow_ups")
    op.drop_index("ix_complaints_received_at", table_name="complaints")
    op.drop_index("ix_aging_runs_signed_at", table_name="aging_runs")
    op.drop_index("ix_repair_orders_repaired_at_technician_id", table_name="repair_orders")
    op.drop_index("ix_repair_orders_shipped_at_received_at", table_name="repair_orders")
    op.drop_index("ix_parts_part_no_upper", table_name="parts")
    op.drop_index("ix_users_badge_code_upper", table_name="users")
