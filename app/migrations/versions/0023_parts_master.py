"""the network's parts master: part number, name, prices and fits kept once, by headquarters

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 20:30:00

Until now every center kept its own parts list (``parts``: number, name, prices, the models it
fits, and its stock). The name, prices and fits are the network's facts: they move to a shared
catalogue kept by headquarters, ``part_masters`` (one row per part number in the network) and
``part_master_fits``; ``parts`` stays each center's table (row-level security as since 0016) and
keeps only the center's stock of a master part: which part (its number, the key of the master),
bin, safety stock, reorder quantity, balances, active, and a ``version`` for edits of those.

How the master is made from the centers' lists: one master row per distinct part number,
normalised as every scan is (NFKC, zero-width characters removed, trimmed, upper case — a frozen
copy of ``formats.clean_scan``'s folding); each stock row's number is rewritten to it. Where
centers disagree on the name or a price, the row of a headquarters center wins, else the row of
the lowest center id. The master part is active if any center's row is. Its fits are the union
of the centers' fits (a model one center knew a part fits is a fact for all). Two rows of one
center whose numbers are the same once normalised cannot become one stock row without merging
their ledgers: the migration stops and names them (merge them by hand, then migrate).

PostgreSQL: the master tables get no row-level security (like every shared catalogue); the
stations' roles already mapped in ``center_roles`` are granted SELECT on them here, headquarters'
roles also INSERT, UPDATE, DELETE (``app.admin.network.role_statements`` grants the same to a
role granted later). ``rf_transfer_parts`` is replaced: it matches the two centers' stock rows by
master part and creates the receiving center's stock row of it when there is none (the master
already holds the name, prices and fits, so nothing is copied); the cost of the moves is the
master's standard cost. Its role checks are unchanged. SQLite: the rebuilt ``parts`` table loses
its expression index ``ix_parts_part_no_upper``; it is created again.

Downgrade: each stock row takes the master's name, prices and fits back (per center), the master
tables are dropped and 0019's function restored; on PostgreSQL the restored ``part_fits``
gets its row-level security and its center key again (``app.center_keys``, migration 0022).
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same policies as migration 0016's ``secure`` (its module name cannot be imported).
OWN_ROWS = "center_id = (SELECT rf_current_center()) OR (SELECT rf_is_owner())"
ALL_ROWS = "(SELECT rf_reads_all_centers())"
UPPER_INDEX = "CREATE INDEX IF NOT EXISTS ix_parts_part_no_upper ON parts (upper(part_no))"
PART_FK = "fk_parts_part_no_part_masters"
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
SIGNATURE = (
    "rf_transfer_parts(integer, integer, text, integer, integer, text, text, timestamptz, text)"
)

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
    cost integer;
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
    SELECT unit_cost_cents INTO cost FROM part_masters WHERE part_no = source.part_no;
    -- The receiving center's stock row of the master part, made when it never stocked it.
    INSERT INTO parts (part_no, safety_stock, reorder_quantity, on_hand, defective_on_hand,
                       active, version, center_id)
    VALUES (source.part_no, 0, 0, 0, 0, true, 1, receiver)
    ON CONFLICT (part_no, center_id) DO NOTHING;
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
    VALUES (source.id, 'transfer_out', 'good', -quantity, sent_balance, cost,
            note, moved_at, by_user, by_station, sender, receiver)
    RETURNING id INTO out_id;
    document := 'TR' || out_id;
    UPDATE stock_moves SET document_no = document WHERE id = out_id;
    INSERT INTO stock_moves (part_id, kind, stock, quantity, balance_after, unit_cost_cents,
                             document_no, reason, at, by_id, station, center_id, peer_center_id)
    VALUES (target.id, 'transfer_in', 'good', quantity, received_balance,
            cost, document, note, moved_at, by_user, by_station, receiver,
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

# Frozen copy of migration 0019's function, restored by the downgrade.
TRANSFER_0019 = """
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

GRANTS = """
DO $$
DECLARE
    mapped record;
BEGIN
    FOR mapped IN
        SELECT r.role_name, c.kind FROM center_roles r JOIN centers c ON c.id = r.center_id
        WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.role_name)
    LOOP
        EXECUTE format('GRANT SELECT ON part_masters, part_master_fits TO %I', mapped.role_name);
        IF mapped.kind = 'headquarters' THEN
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON part_masters, part_master_fits TO %I',
                           mapped.role_name);
        END IF;
    END LOOP;
END $$;
"""


def normalised(part_no: str) -> str:
    """A part number as a scan of its label reads (frozen copy of ``formats.clean_scan``'s
    folding, without its refusals: a stored number is kept, not refused)."""
    return unicodedata.normalize("NFKC", part_no).translate(ZERO_WIDTH).strip().upper()


@contextmanager
def _rebuilt(table: str) -> Iterator[Any]:
    """The table rebuilt (SQLite), without the warning for the expression index it cannot
    reflect (created again after)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", Warning)
        with op.batch_alter_table(table, recreate="always") as batch:
            yield batch


def _masters(bind: sa.Connection) -> tuple[list[dict[str, Any]], dict[int, tuple[str, str]]]:
    """One master row per normalised part number; each stock row's id → (its number, its
    master's number)."""
    rows = bind.execute(
        sa.text(
            "SELECT p.id, p.center_id, p.part_no, p.name, p.unit_cost_cents, p.sale_price_cents,"
            " p.active, c.kind FROM parts p JOIN centers c ON c.id = p.center_id"
        )
    ).all()
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(normalised(row.part_no), []).append(row)
    clashes = [
        f"center {center}: " + ", ".join(sorted(r.part_no for r in group if r.center_id == center))
        for group in groups.values()
        for center in sorted({r.center_id for r in group})
        if sum(r.center_id == center for r in group) > 1
    ]
    if clashes:
        raise RuntimeError(
            "these part numbers of one center are the same part once normalised; merge their "
            "stock by hand, then migrate: " + "; ".join(clashes)
        )
    masters = []
    for part_no, group in sorted(groups.items()):
        first = min(group, key=lambda r: (r.kind != "headquarters", r.center_id))
        masters.append(
            {
                "part_no": part_no,
                "name": first.name,
                "unit_cost_cents": first.unit_cost_cents,
                "sale_price_cents": first.sale_price_cents,
                "active": any(bool(r.active) for r in group),
                "version": 1,
            }
        )
    return masters, {row.id: (row.part_no, normalised(row.part_no)) for row in rows}


def upgrade() -> None:
    bind = op.get_bind()
    masters_table = op.create_table(
        "part_masters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_no", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("unit_cost_cents", sa.Integer(), nullable=False),
        sa.Column("sale_price_cents", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_masters")),
        sa.UniqueConstraint("part_no", name=op.f("uq_part_masters_part_no")),
    )
    fits_table = op.create_table(
        "part_master_fits",
        sa.Column("part_master_id", sa.Integer(), nullable=False),
        sa.Column("product_model_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_master_id"],
            ["part_masters.id"],
            name=op.f("fk_part_master_fits_part_master_id_part_masters"),
        ),
        sa.ForeignKeyConstraint(
            ["product_model_id"],
            ["product_models.id"],
            name=op.f("fk_part_master_fits_product_model_id_product_models"),
        ),
        sa.PrimaryKeyConstraint(
            "part_master_id", "product_model_id", name=op.f("pk_part_master_fits")
        ),
    )
    masters, number_of = _masters(bind)
    if masters:
        op.bulk_insert(masters_table, masters)
    master_id: dict[str, int] = {
        part_no: id_
        for part_no, id_ in bind.execute(sa.text("SELECT part_no, id FROM part_masters"))
    }
    fits = {
        (master_id[number_of[part_id][1]], model_id)
        for part_id, model_id in bind.execute(
            sa.text("SELECT part_id, product_model_id FROM part_fits")
        )
    }
    if fits:
        op.bulk_insert(
            fits_table,
            [{"part_master_id": m, "product_model_id": p} for m, p in sorted(fits)],
        )
    renamed = [
        {"stock_id": part_id, "number": number}
        for part_id, (stored, number) in number_of.items()
        if stored != number
    ]
    if renamed:
        bind.execute(sa.text("UPDATE parts SET part_no = :number WHERE id = :stock_id"), renamed)
    op.drop_table("part_fits")
    if bind.dialect.name == "postgresql":
        for column in ("name", "unit_cost_cents", "sale_price_cents"):
            op.drop_column("parts", column)
        op.add_column(
            "parts", sa.Column("version", sa.Integer(), server_default="1", nullable=False)
        )
        op.create_foreign_key(PART_FK, "parts", "part_masters", ["part_no"], ["part_no"])
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute(TRANSFER.format(schema=schema))
        op.execute(GRANTS)
    else:
        with _rebuilt("parts") as batch:
            for column in ("name", "unit_cost_cents", "sale_price_cents"):
                batch.drop_column(column)
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
            batch.create_foreign_key(PART_FK, "part_masters", ["part_no"], ["part_no"])
        op.execute(UPPER_INDEX)


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    name = sa.Column("name", sa.String(length=128), nullable=False, server_default="")
    cost = sa.Column("unit_cost_cents", sa.Integer(), nullable=False, server_default="0")
    price = sa.Column("sale_price_cents", sa.Integer(), nullable=False, server_default="0")
    if postgres:
        op.drop_constraint(PART_FK, "parts", type_="foreignkey")
        op.drop_column("parts", "version")
        for column in (name, cost, price):
            op.add_column("parts", column)
    else:
        with _rebuilt("parts") as batch:
            batch.drop_constraint(PART_FK, type_="foreignkey")
            batch.drop_column("version")
            for column in (name, cost, price):
                batch.add_column(column)
        op.execute(UPPER_INDEX)
    for moved in ("name", "unit_cost_cents", "sale_price_cents"):
        op.execute(
            f"UPDATE parts SET {moved} = (SELECT m.{moved} FROM part_masters m "
            f"WHERE m.part_no = parts.part_no)"
        )
    if postgres:
        for moved in ("name", "unit_cost_cents", "sale_price_cents"):
            op.alter_column("parts", moved, server_default=None)
    center = (
        [sa.Column("center_id", sa.Integer(), nullable=False, server_default="1")]
        if not postgres
        else [
            sa.Column(
                "center_id",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("rf_current_center()"),
            )
        ]
    )
    op.create_table(
        "part_fits",
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("product_model_id", sa.Integer(), nullable=False),
        *center,
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name="fk_part_fits_part_id_parts"),
        sa.ForeignKeyConstraint(
            ["product_model_id"],
            ["product_models.id"],
            name="fk_part_fits_product_model_id_product_models",
        ),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name="fk_part_fits_center_id_centers"
        ),
        sa.PrimaryKeyConstraint("part_id", "product_model_id", name="pk_part_fits"),
    )
    op.execute(
        "INSERT INTO part_fits (part_id, product_model_id, center_id) "
        "SELECT p.id, f.product_model_id, p.center_id FROM parts p "
        "JOIN part_masters m ON m.part_no = p.part_no "
        "JOIN part_master_fits f ON f.part_master_id = m.id"
    )
    op.drop_table("part_master_fits")
    op.drop_table("part_masters")
    if postgres:
        op.execute("ALTER TABLE part_fits ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE part_fits FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY center_rows ON part_fits USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})"
        )
        op.execute(f"CREATE POLICY center_reads ON part_fits FOR SELECT USING ({ALL_ROWS})")
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute(TRANSFER_0019.format(schema=schema))
        from app.center_keys import add_center_keys  # as migration 0022 does

        add_center_keys(bind)
