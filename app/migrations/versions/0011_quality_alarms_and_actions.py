"""field quality: early-warning alarms, root causes and corrective actions

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "quality_alarms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_model_id", sa.Integer(), nullable=False),
        sa.Column("sale_month", sa.Date(), nullable=False),
        sa.Column("fault_code", sa.String(length=32), nullable=False),
        sa.Column("months_in_service", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("first_detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_tested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "acknowledged",
                "closed",
                name="alarmstatus",
                native_enum=False,
                length=32,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledge_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["users.id"],
            name=op.f("fk_quality_alarms_acknowledged_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_quality_alarms_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_model_id"],
            ["product_models.id"],
            name=op.f("fk_quality_alarms_product_model_id_product_models"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_alarms")),
        sa.UniqueConstraint(
            "product_model_id",
            "sale_month",
            "fault_code",
            name=op.f("uq_quality_alarms_product_model_id"),
        ),
    )
    with op.batch_alter_table("quality_alarms", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quality_alarms_status_first_detected_at",
            ["status", "first_detected_at"],
            unique=False,
        )
    op.create_table(
        "corrective_actions",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "valid_complaint",
                "rework",
                "qc_fail",
                "alarm",
                name="causesubject",
                native_enum=False,
                length=32,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", BIG_ID, nullable=False),
        sa.Column(
            "cause",
            sa.Enum(
                "workmanship",
                "part_quality",
                "design",
                "diagnosis",
                "attitude",
                "delay",
                "parts_supply",
                "pricing",
                "other",
                name="rootcause",
                native_enum=False,
                length=32,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "verified",
                name="actionstatus",
                native_enum=False,
                length=32,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verify_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_corrective_actions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["users.id"],
            name=op.f("fk_corrective_actions_verified_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
        sa.UniqueConstraint("subject", "subject_id", name=op.f("uq_corrective_actions_subject")),
    )
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.create_index("ix_corrective_actions_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_corrective_actions_status_due_date", ["status", "due_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_corrective_actions_status_due_date")
        batch_op.drop_index("ix_corrective_actions_created_at")
    op.drop_table("corrective_actions")
    with op.batch_alter_table("quality_alarms", schema=None) as batch_op:
        batch_op.drop_index("ix_quality_alarms_status_first_detected_at")
    op.drop_table("quality_alarms")
