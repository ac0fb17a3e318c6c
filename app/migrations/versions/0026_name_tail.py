"""a customer's name read backwards, indexed: a given name found without reading every customer

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 10:00:00

``customers.name_tail`` is ``name`` reversed; a name's end (the given name the floor types,
"文兰" of "李文兰") is then a prefix of it, a range on its index. Until now a name that did not
start with the text was looked for by reading the name index to its end: linear in the customers
(search p99 7.9 ms at 100,000 orders, 14.4 ms at 1,000,000). Filled from ``name``: by
``reverse()`` on PostgreSQL, in batches on SQLite (which has no such function), as 0024 did for
the phone's digits.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of customers would trip its foreign keys (see 0015).
    op.add_column("customers", sa.Column("name_tail", sa.String(length=128), nullable=True))
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("UPDATE customers SET name_tail = reverse(name) WHERE name IS NOT NULL")
    else:
        customers = sa.table(
            "customers", sa.column("id"), sa.column("name"), sa.column("name_tail")
        )
        last = 0
        while True:
            rows = connection.execute(
                sa.select(customers.c.id, customers.c.name)
                .where(customers.c.id > last, customers.c.name.is_not(None))
                .order_by(customers.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            connection.execute(
                customers.update()
                .where(customers.c.id == sa.bindparam("row_id"))
                .values(name_tail=sa.bindparam("tail")),
                [{"row_id": row.id, "tail": row.name[::-1]} for row in rows],
            )
            last = rows[-1].id
    op.create_index(op.f("ix_customers_name_tail"), "customers", ["name_tail"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_customers_name_tail"), table_name="customers")
    op.drop_column("customers", "name_tail")
