"""order counts per state, kept by triggers: the ledgers' counts read a dozen rows, not every order

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 11:00:00

A trigger on ``repair_orders`` adds or takes one from its state's row of ``order_state_counts``
on every insert, change of state and delete, in the same transaction (a rollback undoes both).
The table starts from one count of the orders already there. On PostgreSQL one change of state
updates its two rows in a fixed order (by state), so two stations moving orders in opposite
directions wait for each other instead of deadlocking. On SQLite a later migration that rebuilds
``repair_orders`` (``batch_alter_table``) drops its triggers: it must create them again
(``create_triggers``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_ADD = (
    "INSERT INTO order_state_counts (state, orders) VALUES ({state}, {delta}) "
    "ON CONFLICT (state) DO UPDATE SET orders = orders + {delta}"
)
SQLITE_TRIGGERS = {
    "order_state_count_insert": (
        "AFTER INSERT ON repair_orders BEGIN " + SQLITE_ADD.format(state="NEW.state", delta=1)
    ),
    "order_state_count_update": (
        "AFTER UPDATE OF state ON repair_orders WHEN OLD.state IS NOT NEW.state BEGIN "
        + SQLITE_ADD.format(state="OLD.state", delta=-1)
        + "; "
        + SQLITE_ADD.format(state="NEW.state", delta=1)
    ),
    "order_state_count_delete": (
        "AFTER DELETE ON repair_orders BEGIN " + SQLITE_ADD.format(state="OLD.state", delta=-1)
    ),
}

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION order_state_count_add(counted VARCHAR, delta INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO order_state_counts (state, orders) VALUES (counted, delta)
    ON CONFLICT (state) DO UPDATE SET orders = order_state_counts.orders + EXCLUDED.orders
$$;
CREATE OR REPLACE FUNCTION order_state_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM order_state_count_add(NEW.state, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM order_state_count_add(OLD.state, -1);
    ELSIF OLD.state IS DISTINCT FROM NEW.state THEN
        IF OLD.state < NEW.state THEN
            PERFORM order_state_count_add(OLD.state, -1);
            PERFORM order_state_count_add(NEW.state, 1);
        ELSE
            PERFORM order_state_count_add(NEW.state, 1);
            PERFORM order_state_count_add(OLD.state, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
"""


def create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(
            "CREATE TRIGGER order_state_count AFTER INSERT OR UPDATE OF state OR DELETE "
            "ON repair_orders FOR EACH ROW EXECUTE FUNCTION order_state_count()"
        )
        return
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}; END")


def upgrade() -> None:
    op.create_table(
        "order_state_counts",
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_order_state_counts")),
    )
    op.execute(
        "INSERT INTO order_state_counts (state, orders) "
        "SELECT state, COUNT(*) FROM repair_orders GROUP BY state"
    )
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS order_state_count ON repair_orders")
        op.execute("DROP FUNCTION IF EXISTS order_state_count()")
        op.execute("DROP FUNCTION IF EXISTS order_state_count_add(VARCHAR, INTEGER)")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("order_state_counts")
