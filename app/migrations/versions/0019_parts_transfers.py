"""parts transferred between centers: a move out at one center and a move in at the other

Revision ID: 0019
Revises: 0017
Create Date: 2026-11-30 17:00:00

The parts list stays each center's (``parts``: its stock, bins and safety stock on the row, as
since 0016); the network's shared key of a part is its **part number**: a transfer moves stock
from the sending center's row of that number to the receiving center's row of the same number
(made from the sender's row — name, prices, the models it fits — when the receiving center has
never stocked it). Splitting a shared parts master from per-center stock rows is left for a later
migration: every reader of the parts counter would change with it.

``stock_moves.peer_center_id``: the other center of a transfer; the two moves share their
document number (``TR`` and the id of the move out). An existing database has no transfers: its
parts and moves stay center 1's, as 0016 left them, with no peer.

PostgreSQL: ``rf_transfer_parts`` does the whole transfer in the caller's transaction — a
center's role may not write another center's rows (0016's policies), not even headquarters'.
It is ``SECURITY DEFINER`` (it runs as the tables' owner, who passes the policies) and checks
who called it first: the owner, a headquarters role, or the sending center's own role (a center
gives its own stock, never takes another's). Both parts rows are locked in id order, the move
out is a guarded ``UPDATE ... WHERE on_hand >= quantity`` (never negative, whoever else takes
the last units at the same moment), then the move in, both ledger rows and both audit rows, each
in its center. Its errors: ``42501`` refused, ``22023`` a bad request, ``RF404`` no such part at
the sending center (or retired at the receiving one), ``RF409`` not enough stock (the detail is
what is left). SQLite is one center per file: a transfer is refused there
(``app.parts.transfer``).

Downgrade: the transfers' moves become stocktake adjustments (their kinds are unknown before),
their document number and peer kept in the reason, so every balance stays the sum of its moves.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_stock_moves_peer_center_id_centers"

TRANSFER = """
CREATE OR REPLACE FUNCTION rf_transfer_parts(
    sender integer, receiver integer, wanted text, quantity integer,
    by_user integer, by_username text, by_station text, moved_at timestamptz, note text
) RETURNS TABLE (document text, sent_balance integer, received_balance integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
DECLARE
    caller text := COALESCE(NULLIF(current_setting('role'), 'none'), session_user);
    source parts%ROWTYPE;
    target parts%ROWTYPE;
    made integer;
    left_over integer;
    out_id bigint;
BEGIN
    IF NOT (
        pg_has_role(caller, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'parts'::regclass),
                    'USAGE')
        OR rf_headquarters_role(caller)
        OR rf_center_of(caller) IS NOT DISTINCT FROM sender
    ) THEN
        RAISE EXCEPTION 'only headquarters or the sending center may transfer its parts'
            USING ERRCODE = '42501';
    END IF;
    IF quantity IS NULL OR quantity <= 0 OR sender IS NULL OR receiver IS NULL
        OR sender = receiver
        OR NOT EXISTS (SELECT 1 FROM centers WHERE id = receiver AND active)
    THEN
        RAISE EXCEPTION 'a transfer is a positive quantity to another active center'
            USING ERRCODE = '22023';
    END IF;
    SELECT * INTO source FROM parts
    WHERE center_id = sender AND part_no = wanted AND active;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no part % at center %', wanted, sender USING ERRCODE = 'RF404';
    END IF;
    INSERT INTO parts (part_no, name, unit_cost_cents, sale_price_cents, safety_stock,
                       reorder_quantity, on_hand, defective_on_hand, active, center_id)
    VALUES (source.part_no, source.name, source.unit_cost_cents, source.sale_price_cents,
            0, 0, 0, 0, true, receiver)
    ON CONFLICT (part_no, center_id) DO NOTHING
    RETURNING id INTO made;
    IF made IS NOT NULL THEN
        INSERT INTO part_fits (part_id, product_model_id, center_id)
        SELECT made, f.product_model_id, receiver FROM part_fits f WHERE f.part_id = source.id;
    END IF;
    -- Both rows locked in id order: transfers both ways at once never deadlock.
    PERFORM 1 FROM parts
    WHERE (center_id = sender OR center_id = receiver) AND part_no = wanted
    ORDER BY id FOR UPDATE;
    SELECT * INTO target FROM parts WHERE center_id = receiver AND part_no = wanted;
    IF NOT target.active THEN
        RAISE EXCEPTION 'part % is retired at center %', wanted, receiver USING ERRCODE = 'RF404';
    END IF;
    UPDATE parts SET on_hand = on_hand - quantity
    WHERE id = source.id AND on_hand >= quantity
    RETURNING on_hand INTO sent_balance;
    IF NOT FOUND THEN
        SELECT on_hand INTO left_over FROM parts WHERE id = source.id;
        RAISE EXCEPTION 'not enough % at center %', wanted, sender
            USING ERRCODE = 'RF409', DETAIL = left_over::text;
    END IF;
    UPDATE parts SET on_hand = on_hand + quantity WHERE id = target.id
    RETURNING on_hand INTO received_balance;
    INSERT INTO stock_moves (part_id, kind, stock, quantity, balance_after, unit_cost_cents,
                             reason, at, by_id, station, center_id, peer_center_id)
    VALUES (source.id, 'transfer_out', 'good', -quantity, sent_balance, source.unit_cost_cents,
            note, moved_at, by_user, by_station, sender, receiver)
    RETURNING id INTO out_id;
    document := 'TR' || out_id;
    UPDATE stock_moves SET document_no = document WHERE id = out_id;
    INSERT INTO stock_moves (part_id, kind, stock, quantity, balance_after, unit_cost_cents,
                             document_no, reason, at, by_id, station, center_id, peer_center_id)
    VALUES (target.id, 'transfer_in', 'good', quantity, received_balance,
            source.unit_cost_cents, document, note, moved_at, by_user, by_station, receiver,
            sender);
    INSERT INTO audit_log (at, user_id, username, station, action, entity, entity_id, after,
                           detail, center_id)
    VALUES
        (moved_at, by_user, by_username, by_station, 'transfer_out', 'part', wanted,
         json_build_object('quantity', quantity, 'balance_after', sent_balance,
                           'document_no', document,
                           'to', (SELECT code FROM centers WHERE id = receiver)),
         note, sender),
        (moved_at, by_user, by_username, by_station, 'transfer_in', 'part', wanted,
         json_build_object('quantity', quantity, 'balance_after', received_balance,
                           'document_no', document,
                           'from', (SELECT code FROM centers WHERE id = sender)),
         note, receiver);
    RETURN NEXT;
END $$;
"""
SIGNATURE = (
    "rf_transfer_parts(integer, integer, text, integer, integer, text, text, timestamptz, text)"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.add_column("stock_moves", sa.Column("peer_center_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "stock_moves", "centers", ["peer_center_id"], ["id"])
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute(TRANSFER.format(schema=schema))
    else:  # foreign keys are off while migrations run on SQLite (app/migrations/env.py)
        op.execute(
            f"ALTER TABLE stock_moves ADD COLUMN peer_center_id INTEGER "
            f"CONSTRAINT {FK} REFERENCES centers (id)"
        )


def downgrade() -> None:
    bind = op.get_bind()
    moves = sa.table(
        "stock_moves",
        sa.column("kind", sa.String),
        sa.column("reason", sa.String),
        sa.column("document_no", sa.String),
        sa.column("peer_center_id", sa.Integer),
    )
    transferred = moves.c.kind.in_(("transfer_out", "transfer_in"))
    reason = sa.func.substr(
        sa.literal("transfer ")
        + sa.func.coalesce(moves.c.document_no, "")
        + sa.literal(" center ")
        + sa.cast(moves.c.peer_center_id, sa.String)
        + sa.literal(": ")
        + sa.func.coalesce(moves.c.reason, ""),
        1,
        255,
    )
    op.execute(moves.update().where(transferred).values(kind="adjustment", reason=reason))
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
        op.drop_constraint(FK, "stock_moves", type_="foreignkey")
        op.drop_column("stock_moves", "peer_center_id")
    else:
        with warnings.catch_warnings():  # the users' and parts' expression indexes: untouched
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", Warning)
            with op.batch_alter_table("stock_moves", recreate="always") as batch:
                batch.drop_column("peer_center_id")
