"""a phone's digits read backwards, indexed: a caller's last digits found without reading every customer

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 21:30:00

``customers.phone_tail`` is ``phone_digits`` reversed; "尾号 5678" is then a prefix of it, a range
on its index, where the search read the customer table's digits index to its end (linear in the
customers: 100 ms p99 at 1,000,000 orders). Filled from ``phone_digits``: by ``reverse()`` on
PostgreSQL, in batches on SQLite (which has no such function).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of customers would trip its foreign keys (see 0015).
    op.add_column("customers", sa.Column("phone_tail", sa.String(length=20), nullable=True))
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute(
            "UPDATE customers SET phone_tail = reverse(phone_digits) WHERE phone_digits IS NOT NULL"
        )
    else:
        customers = sa.table(
            "customers", sa.column("id"), sa.column("phone_digits"), sa.column("phone_tail")
        )
        last = 0
        while True:
            rows = connection.execute(
                sa.select(customers.c.id, customers.c.phone_digits)
                .where(customers.c.id > last, customers.c.phone_digits.is_not(None))
                .order_by(customers.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            connection.execute(
                customers.update()
                .where(customers.c.id == sa.bindparam("row_id"))
                .values(phone_tail=sa.bindparam("tail")),
                [{"row_id": row.id, "tail": row.phone_digits[::-1]} for row in rows],
            )
            last = rows[-1].id
    op.create_index(op.f("ix_customers_phone_tail"), "customers", ["phone_tail"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_customers_phone_tail"), table_name="customers")
    op.drop_column("customers", "phone_tail")
