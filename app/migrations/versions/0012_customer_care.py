"""customer care: staff and the department tree, penalty rules and accountability sheets,
satisfaction surveys and apology calls, the notice outbox, the complaint's handler clock

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base
from app.complaints.care_seeds import NOTICE_TEMPLATE_SEED, PENALTY_COLUMNS, PENALTY_SEED

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = app.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("template_code", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_templates")),
        sa.UniqueConstraint("event", name=op.f("uq_notice_templates_event")),
    )
    op.create_table(
        "penalty_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("superiors", sa.String(length=8), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("fixed_cents", sa.Integer(), nullable=True),
        sa.Column("percent_bp", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("per_item", sa.Boolean(), nullable=False),
        sa.Column("cancels_commission", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_rules")),
        sa.UniqueConstraint("code", name=op.f("uq_penalty_rules_code")),
    )
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_members")),
        sa.UniqueConstraint("code", name=op.f("uq_staff_members_code")),
    )
    op.create_table(
        "accountability_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("approved_at", Moment, nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_accountability_sheets_approved_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_sheets")),
        sa.UniqueConstraint("month", name=op.f("uq_accountability_sheets_month")),
    )
    op.create_table(
        "notice_consents",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("consented_at", Moment, nullable=True),
        sa.Column("opted_out_at", Moment, nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_notice_consents_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_notice_consents_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_notice_consents")),
    )
    op.create_table(
        "notices",
        sa.Column("id", BigId, nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("event_key", sa.String(length=96), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("template_code", sa.String(length=64), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Moment, nullable=True),
        sa.Column("last_error", sa.String(length=512), nullable=True),
        sa.Column("provider_ref", sa.String(length=128), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("sent_at", Moment, nullable=True),
        sa.Column("delivered_at", Moment, nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_notices_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("event_key", name=op.f("uq_notices_event_key")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            "ix_notices_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "consequences",
        sa.Column("id", BigId, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("complaint_id", BigId, nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("rule_code", sa.String(length=32), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("cancels_commission", sa.Boolean(), nullable=False),
        sa.Column("corrects_id", BigId, nullable=True),
        sa.Column("note", sa.String(length=512), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_consequences_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["consequences.id"],
            name=op.f("fk_consequences_corrects_id_consequences"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_consequences_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"], name=op.f("fk_consequences_staff_id_staff_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consequences")),
    )
    with op.batch_alter_table("consequences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consequences_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index("ix_consequences_month", ["month"], unique=False)

    op.create_table(
        "care_tasks",
        sa.Column("id", BigId, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", BigId, nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("due_at", Moment, nullable=False),
        sa.Column("done_at", Moment, nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_care_tasks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_care_tasks_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_ups.id"], name=op.f("fk_care_tasks_follow_up_id_follow_ups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_tasks")),
    )
    with op.batch_alter_table("care_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_tasks_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index("ix_care_tasks_done_at_due_at", ["done_at", "due_at"], unique=False)

    op.create_table(
        "survey_answers",
        sa.Column("id", BigId, nullable=False),
        sa.Column("follow_up_id", BigId, nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("fully_satisfied", sa.Boolean(), nullable=False),
        sa.Column("at", Moment, nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_survey_answers_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_survey_answers_follow_up_id_follow_ups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("follow_up_id", name=op.f("uq_survey_answers_follow_up_id")),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answers_at"), ["at"], unique=False)

    # Added without a batch (no copy of the complaints table): SQLite takes a nullable column
    # with its REFERENCES clause in ALTER TABLE ADD COLUMN (Alembic refuses to write that one),
    # PostgreSQL adds the named constraint.
    for name in ("responsible_staff_id", "handler_staff_id"):
        constraint = f"fk_complaints_{name}_staff_members"
        if op.get_bind().dialect.name == "sqlite":
            op.execute(
                f"ALTER TABLE complaints ADD COLUMN {name} INTEGER "
                f"CONSTRAINT {constraint} REFERENCES staff_members (id)"
            )
        else:
            op.add_column("complaints", sa.Column(name, sa.Integer(), nullable=True))
            op.create_foreign_key(constraint, "complaints", "staff_members", [name], ["id"])
    for name in ("items_below_standard", "service_amount_cents", "refund_amount_cents"):
        op.add_column("complaints", sa.Column(name, sa.Integer(), nullable=True))
    for name in ("handler_due", "handler_assigned_at"):
        op.add_column("complaints", sa.Column(name, Moment, nullable=True))

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("head", sa.String(length=32), nullable=True))

    # The handbook's penalty rules and the notice templates (app/complaints/care_seeds.py),
    # written with the table definitions of this revision.
    rules = sa.table("penalty_rules", *(sa.column(name) for name in (*PENALTY_COLUMNS, "active")))
    op.bulk_insert(
        rules,
        [{**dict(zip(PENALTY_COLUMNS, row, strict=True)), "active": True} for row in PENALTY_SEED],
    )
    templates = sa.table(
        "notice_templates", sa.column("event"), sa.column("text"), sa.column("active")
    )
    op.bulk_insert(
        templates, [{"event": e, "text": t, "active": True} for e, t in NOTICE_TEMPLATE_SEED]
    )


def downgrade() -> None:
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("head")
        batch_op.drop_column("parent")

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_handler_staff_id_staff_members"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_responsible_staff_id_staff_members"), type_="foreignkey"
        )
        batch_op.drop_column("handler_assigned_at")
        batch_op.drop_column("handler_due")
        batch_op.drop_column("handler_staff_id")
        batch_op.drop_column("refund_amount_cents")
        batch_op.drop_column("service_amount_cents")
        batch_op.drop_column("items_below_standard")
        batch_op.drop_column("responsible_staff_id")

    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answers_at"))

    op.drop_table("survey_answers")
    with op.batch_alter_table("care_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_care_tasks_done_at_due_at")
        batch_op.drop_index(batch_op.f("ix_care_tasks_customer_id"))

    op.drop_table("care_tasks")
    with op.batch_alter_table("consequences", schema=None) as batch_op:
        batch_op.drop_index("ix_consequences_month")
        batch_op.drop_index(batch_op.f("ix_consequences_complaint_id"))

    op.drop_table("consequences")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_notices_customer_id"))
        batch_op.drop_index(batch_op.f("ix_notices_created_at"))

    op.drop_table("notices")
    op.drop_table("notice_consents")
    op.drop_table("accountability_sheets")
    op.drop_table("staff_members")
    op.drop_table("penalty_rules")
    op.drop_table("notice_templates")
