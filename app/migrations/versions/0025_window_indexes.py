"""indexes for the lists a floor tab reads when shown: each reads its window, not all history

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 05:00:00

Measured on 1,000,000 orders, each list walked the whole of a history table to show a window:
- ``stock_moves(part_id, stock, at)``: a part's last move of good (or defective) stock is one
  look-up per part (the parts tab's slow-moving and defective stock grouped every move: 1.4 s);
- ``aging_runs(order_id, id)`` (in place of ``(order_id)``): whether an order has a finished run
  before this one is a look-up, so the first-pass yield reads the runs signed in its weeks (it
  grouped every run by order: 1.1 s per query);
- ``shipments(status, shipped_at)``, ``shipments(status, created_at)``: today's shipped units
  and the packing table's open shipments are ranges (they read every shipment: 240 and 130 ms);
- ``complaints(settled_at)``: the customers under watch are those settled in the last months, a
  range (it read every complaint).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = (
    ("ix_stock_moves_part_id_stock_at", "stock_moves", ["part_id", "stock", "at"]),
    ("ix_aging_runs_order_id_id", "aging_runs", ["order_id", "id"]),
    ("ix_shipments_status_shipped_at", "shipments", ["status", "shipped_at"]),
    ("ix_shipments_status_created_at", "shipments", ["status", "created_at"]),
    ("ix_complaints_settled_at", "complaints", ["settled_at"]),
)


def upgrade() -> None:
    for name, table, columns in NEW:
        op.create_index(op.f(name), table, columns, unique=False)
    # (order_id, id) serves every look-up by order the single-column index served.
    op.drop_index(op.f("ix_aging_runs_order_id"), table_name="aging_runs")


def downgrade() -> None:
    op.create_index(op.f("ix_aging_runs_order_id"), "aging_runs", ["order_id"], unique=False)
    for name, table, _columns in reversed(NEW):
        op.drop_index(op.f(name), table_name=table)
