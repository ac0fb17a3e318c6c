"""a network of service centers: every center's row in center 1, each center kept to its own rows

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 14:00:00

The existing center becomes center 1 (its name and address from its settings): every row of a
center's table gets ``center_id`` 1. The numbers and codes a center chooses (order, complaint
and shipment numbers, serials, usernames and badges, racks and slots, parts, staff codes,
departments, accountability months, notice keys, quality alarms) are unique within a center;
settings, number series and the orders' state counts are keyed by center too, and the state
count triggers count per center. On SQLite the rebuilt tables (``batch_alter_table``) lose their
triggers and expression indexes: they are created again here.

Row-level security, on PostgreSQL only (SQLite is one center). Three functions read who is
connected:

- ``rf_is_owner()``: the connected role owns the tables (or is a member of their owner): the
  migrations and the administrator's commands. It sees and writes every center's rows.
- ``rf_current_center()``: the center of the connected role (``center_roles``); the owner's is
  center 1 unless it is mapped; any other role has none (NULL): it sees nothing, writes nothing.
- ``rf_reads_all_centers()``: the owner; or a role of a headquarters center that asked for the
  network's view in its transaction (``SET LOCAL repairfloor.all_centers = 'on'``,
  ``app.centers.network_view``). Without asking, headquarters' stations see their own center's
  rows like any center, so its sign-in, settings and number series are its own.

Every center table gets ``ENABLE`` and ``FORCE ROW LEVEL SECURITY`` (the owner too goes through
the policies; it passes by ``rf_is_owner()``) and two policies: ``center_rows`` (any command: a
row of the connected role's center) and ``center_reads`` (SELECT: every row for headquarters).
Its ``center_id`` defaults to ``rf_current_center()``, so a service never names a center and
cannot name another one (the policy's WITH CHECK refuses it). Roles that could already read the
orders (the stations' role of a one-center server, README) become center 1's.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of app.centers.CENTER_TABLES as of this revision (a migration outlives the code).
CENTER_TABLES = (
    "units",
    "inbound_boxes",
    "repair_orders",
    "order_state_counts",
    "attachments",
    "photos",
    "charges",
    "repair_records",
    "serial_swaps",
    "allocations",
    "aging_runs",
    "shipments",
    "shipment_items",
    "customers",
    "users",
    "user_roles",
    "departments",
    "staff_members",
    "parts",
    "part_fits",
    "stock_moves",
    "part_waits",
    "purchase_requests",
    "racks",
    "rack_slots",
    "complaints",
    "complaint_orders",
    "follow_ups",
    "survey_answers",
    "care_tasks",
    "notices",
    "notice_consents",
    "accountability_sheets",
    "consequences",
    "quality_alarms",
    "corrective_actions",
    "settings",
    "counters",
    "audit_log",
)
# Unique keys that become unique within a center: table → (constraint, columns before).
UNIQUES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "units": (("uq_units_serial", ("serial",)),),
    "repair_orders": (("uq_repair_orders_order_no", ("order_no",)),),
    "complaints": (("uq_complaints_complaint_no", ("complaint_no",)),),
    "shipments": (("uq_shipments_shipment_no", ("shipment_no",)),),
    "users": (
        ("uq_users_username", ("username",)),
        ("uq_users_badge_code", ("badge_code",)),
    ),
    "racks": (("uq_racks_code", ("code",)),),
    "rack_slots": (("uq_rack_slots_code", ("code",)),),
    "parts": (("uq_parts_part_no", ("part_no",)),),
    "staff_members": (("uq_staff_members_code", ("code",)),),
    "departments": (("uq_departments_name", ("name",)),),
    "accountability_sheets": (("uq_accountability_sheets_month", ("month",)),),
    "notices": (("uq_notices_event_key", ("event_key",)),),
    "quality_alarms": (
        ("uq_quality_alarms_product_model_id", ("product_model_id", "sale_month", "fault_code")),
    ),
}
# Primary keys that take the center: table → columns before.
KEYS: dict[str, tuple[str, ...]] = {
    "settings": ("key",),
    "counters": ("name",),
    "order_state_counts": ("state",),
}
REBUILT = (*UNIQUES, *KEYS)
EXPRESSION_INDEXES = {
    "users": "CREATE INDEX IF NOT EXISTS ix_users_badge_code_upper ON users (upper(badge_code))",
    "parts": "CREATE INDEX IF NOT EXISTS ix_parts_part_no_upper ON parts (upper(part_no))",
}
AUDIT_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, "
    "'the audit log is append-only: UPDATE refused'); END",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, "
    "'the audit log is append-only: DELETE refused'); END",
}


def _count_sql(center: str | None, state: str, delta: int) -> str:
    if center is None:  # as 0010 made it
        return (
            f"INSERT INTO order_state_counts (state, orders) VALUES ({state}, {delta}) "
            f"ON CONFLICT (state) DO UPDATE SET orders = orders + {delta}"
        )
    return (
        f"INSERT INTO order_state_counts (state, center_id, orders) "
        f"VALUES ({state}, {center}, {delta}) "
        f"ON CONFLICT (state, center_id) DO UPDATE SET orders = orders + {delta}"
    )


def _sqlite_count_triggers(per_center: bool) -> dict[str, str]:
    new, old = ("NEW.center_id", "OLD.center_id") if per_center else (None, None)
    return {
        "order_state_count_insert": "AFTER INSERT ON repair_orders BEGIN "
        + _count_sql(new, "NEW.state", 1),
        "order_state_count_update": "AFTER UPDATE OF state ON repair_orders "
        "WHEN OLD.state IS NOT NEW.state BEGIN "
        + _count_sql(old, "OLD.state", -1)
        + "; "
        + _count_sql(new, "NEW.state", 1),
        "order_state_count_delete": "AFTER DELETE ON repair_orders BEGIN "
        + _count_sql(old, "OLD.state", -1),
    }


POSTGRES_COUNT = """
CREATE OR REPLACE FUNCTION order_state_count_add(center INTEGER, counted VARCHAR, delta INTEGER)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO order_state_counts (state, center_id, orders) VALUES (counted, center, delta)
    ON CONFLICT (state, center_id)
    DO UPDATE SET orders = order_state_counts.orders + EXCLUDED.orders
$$;
CREATE OR REPLACE FUNCTION order_state_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM order_state_count_add(NEW.center_id, NEW.state, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM order_state_count_add(OLD.center_id, OLD.state, -1);
    ELSIF OLD.state IS DISTINCT FROM NEW.state THEN
        IF OLD.state < NEW.state THEN
            PERFORM order_state_count_add(OLD.center_id, OLD.state, -1);
            PERFORM order_state_count_add(NEW.center_id, NEW.state, 1);
        ELSE
            PERFORM order_state_count_add(NEW.center_id, NEW.state, 1);
            PERFORM order_state_count_add(OLD.center_id, OLD.state, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP FUNCTION IF EXISTS order_state_count_add(VARCHAR, INTEGER);
"""
POSTGRES_COUNT_BEFORE = """
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
DROP FUNCTION IF EXISTS order_state_count_add(INTEGER, VARCHAR, INTEGER);
"""


# The definer's functions read center_roles and centers whatever the caller may read; their
# search_path is pinned to the schema they were created in.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION rf_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, c.relowner, 'USAGE')
    FROM pg_class c WHERE c.oid = 'centers'::regclass
$$;
CREATE OR REPLACE FUNCTION rf_center_of(role_name text) RETURNS integer LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
    SELECT r.center_id FROM center_roles r WHERE r.role_name = $1
$$;
CREATE OR REPLACE FUNCTION rf_headquarters_role(role_name text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM center_roles r JOIN centers c ON c.id = r.center_id
        WHERE r.role_name = $1 AND c.kind = 'headquarters'
    )
$$;
CREATE OR REPLACE FUNCTION rf_current_center() RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT COALESCE(rf_center_of(current_user), CASE WHEN rf_is_owner() THEN 1 END)
$$;
CREATE OR REPLACE FUNCTION rf_reads_all_centers() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT rf_is_owner() OR (
        COALESCE(current_setting('repairfloor.all_centers', true), '') = 'on'
        AND rf_headquarters_role(current_user)
    )
$$;
"""
DROP_FUNCTIONS = (
    "rf_reads_all_centers()",
    "rf_current_center()",
    "rf_headquarters_role(text)",
    "rf_center_of(text)",
    "rf_is_owner()",
)
OWN_ROWS = "center_id = (SELECT rf_current_center()) OR (SELECT rf_is_owner())"
ALL_ROWS = "(SELECT rf_reads_all_centers())"
# The roles already granted the orders (not the owner, nor a member of it): center 1's stations.
EXISTING_ROLES = """
INSERT INTO center_roles (role_name, center_id)
SELECT DISTINCT r.rolname, 1
FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
WHERE c.oid = 'repair_orders'::regclass AND a.privilege_type = 'SELECT'
  AND NOT r.rolsuper AND NOT pg_has_role(r.oid, c.relowner, 'USAGE')
ON CONFLICT (role_name) DO NOTHING
"""


def secure(table: str) -> None:
    """Row-level security on one center table (a later migration's new center table calls the
    same statements: tests/test_center_isolation.py checks every center table has them)."""
    op.execute(f"ALTER TABLE {table} ALTER COLUMN center_id SET DEFAULT rf_current_center()")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY center_rows ON {table} USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})")
    op.execute(f"CREATE POLICY center_reads ON {table} FOR SELECT USING ({ALL_ROWS})")


def _center_column() -> sa.Column:
    return sa.Column("center_id", sa.Integer(), nullable=False, server_default="1")


def _fk_name(table: str) -> str:
    return f"fk_{table}_center_id_centers"


def _first_center() -> None:
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.JSON))
    bind = op.get_bind()
    found = dict(
        bind.execute(
            sa.select(settings.c.key, settings.c.value).where(
                settings.c.key.in_(("center.name", "center.address"))
            )
        ).all()
    )
    name = found.get("center.name")
    address = found.get("center.address")
    centers = sa.table(
        "centers",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("address", sa.String),
        sa.column("kind", sa.String),
        sa.column("active", sa.Boolean),
    )
    op.execute(
        centers.insert().values(
            code="C1",
            name=name if isinstance(name, str) and name.strip() else "售后维修中心",
            address=address if isinstance(address, str) and address.strip() else None,
            kind="own_center",
            active=True,
        )
    )


def upgrade() -> None:
    op.create_table(
        "centers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("address", sa.String(length=512), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centers")),
        sa.UniqueConstraint("code", name=op.f("uq_centers_code")),
    )
    op.create_table(
        "center_roles",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_center_roles_center_id_centers")
        ),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_center_roles")),
    )
    op.create_index(op.f("ix_center_roles_center_id"), "center_roles", ["center_id"], unique=False)
    _first_center()
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgres()
    else:
        _upgrade_sqlite()


def _upgrade_postgres() -> None:
    for table in CENTER_TABLES:
        op.add_column(table, _center_column())
        op.create_foreign_key(_fk_name(table), table, "centers", ["center_id"], ["id"])
    for table, uniques in UNIQUES.items():
        for name, columns in uniques:
            op.drop_constraint(name, table, type_="unique")
            op.create_unique_constraint(name, table, [*columns, "center_id"])
    for table, columns in KEYS.items():
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, [*columns, "center_id"])
    op.execute(POSTGRES_COUNT)
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    op.execute(FUNCTIONS.format(schema=schema))
    for table in CENTER_TABLES:
        secure(table)
    op.execute(EXISTING_ROLES)


def _upgrade_sqlite() -> None:
    # Foreign keys are off while migrations run on SQLite (app/migrations/env.py): a column
    # with REFERENCES and a default can be added, and a table referenced by others rebuilt.
    for table in CENTER_TABLES:
        if table in REBUILT:
            continue
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN center_id INTEGER NOT NULL DEFAULT 1 "
            f"CONSTRAINT {_fk_name(table)} REFERENCES centers (id)"
        )
    for table in REBUILT:
        with _rebuilt(table) as batch:
            batch.add_column(_center_column())
            batch.create_foreign_key(_fk_name(table), "centers", ["center_id"], ["id"])
            for name, columns in UNIQUES.get(table, ()):
                batch.drop_constraint(name, type_="unique")
                batch.create_unique_constraint(name, [*columns, "center_id"])
            if table in KEYS:
                batch.create_primary_key(f"pk_{table}", [*KEYS[table], "center_id"])
    _sqlite_after_rebuild(per_center=True)


@contextmanager
def _rebuilt(table: str) -> Iterator[Any]:
    """The table rebuilt (SQLite). SQLAlchemy warns where the copy's key replaces the reflected
    one (the point) and of the expression indexes it cannot reflect (created again after)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Table '_alembic_tmp_.*primary_key", Warning)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression", Warning)
        with op.batch_alter_table(table, recreate="always") as batch:
            yield batch


def _sqlite_after_rebuild(*, per_center: bool) -> None:
    for statement in EXPRESSION_INDEXES.values():
        op.execute(statement)
    for name, body in _sqlite_count_triggers(per_center).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CENTER_TABLES:
            op.execute(f"DROP POLICY IF EXISTS center_reads ON {table}")
            op.execute(f"DROP POLICY IF EXISTS center_rows ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(POSTGRES_COUNT_BEFORE)
        for table, key in KEYS.items():
            op.drop_constraint(f"pk_{table}", table, type_="primary")
            op.create_primary_key(f"pk_{table}", table, list(key))
        for table, uniques in UNIQUES.items():
            for name, unique in uniques:
                op.drop_constraint(name, table, type_="unique")
                op.create_unique_constraint(name, table, list(unique))
        for table in CENTER_TABLES:
            op.drop_constraint(_fk_name(table), table, type_="foreignkey")
            op.drop_column(table, "center_id")
        for function in DROP_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    else:
        for table in CENTER_TABLES:
            with _rebuilt(table) as batch:
                batch.drop_column("center_id")
                for name, unique in UNIQUES.get(table, ()):
                    batch.drop_constraint(name, type_="unique")
                    batch.create_unique_constraint(name, list(unique))
                if table in KEYS:
                    batch.create_primary_key(f"pk_{table}", list(KEYS[table]))
        _sqlite_after_rebuild(per_center=False)
        for name, body in AUDIT_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} {body}")
    op.drop_index(op.f("ix_center_roles_center_id"), table_name="center_roles")
    op.drop_table("center_roles")
    op.drop_table("centers")
