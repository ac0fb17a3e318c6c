"""the KPI dashboard's figures per center and day, kept as the data changes (``kpi_days``)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 17:00:00

``app.day_keeping`` keeps the table in the transaction of every change of an order, aging run,
stock move, follow-up or complaint (the ORM unit of work, not triggers: a day is the center's
calendar day in its time zone, which SQLite cannot compute). This migration fills it from the
history already there, in the time zone of the center's settings (``center.time_zone``,
Asia/Shanghai unless changed), by calling ``app.day_keeping.rebuild``: the rules of the figures
live once, in the application (a later change of them comes with a migration that rebuilds
again). A center table like the others:
on PostgreSQL it gets migration 0016's row-level security.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same policies as migration 0016's ``secure`` (its module name cannot be imported).
OWN_ROWS = "center_id = (SELECT rf_current_center()) OR (SELECT rf_is_owner())"
ALL_ROWS = "(SELECT rf_reads_all_centers())"
TABLE = "kpi_days"


def _zone() -> ZoneInfo:
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.JSON))
    value = (
        op.get_bind()
        .execute(sa.select(settings.c.value).where(settings.c.key == "center.time_zone"))
        .scalars()
        .first()
    )
    try:
        return ZoneInfo(value) if isinstance(value, str) and value else ZoneInfo("Asia/Shanghai")
    except (ValueError, KeyError):
        return ZoneInfo("Asia/Shanghai")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("figure", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("known", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_kpi_days_center_id_centers")
        ),
        sa.PrimaryKeyConstraint("figure", "day", "key", "center_id", name=op.f("pk_kpi_days")),
    )
    op.create_index(op.f("ix_kpi_days_day"), TABLE, ["day"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN center_id SET DEFAULT rf_current_center()")
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY center_rows ON {TABLE} USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})"
        )
        op.execute(f"CREATE POLICY center_reads ON {TABLE} FOR SELECT USING ({ALL_ROWS})")
    from app.day_keeping import rebuild

    rebuild(op.get_bind(), _zone())


def downgrade() -> None:
    op.drop_index(op.f("ix_kpi_days_day"), table_name=TABLE)
    op.drop_table(TABLE)
