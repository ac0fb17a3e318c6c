"""row-level security: a center's stations see and write their own center's rows only

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 14:20:00

PostgreSQL only (SQLite is one center). Three functions read who is connected:

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

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of app.centers.CENTER_TABLES as of this revision.
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

# The definer's functions read center_roles and centers whatever the caller may read; their
# search_path is pinned to the schema they were created in.
FUNCTIONS = """
CREATE FUNCTION rf_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, c.relowner, 'USAGE')
    FROM pg_class c WHERE c.oid = 'centers'::regclass
$$;
CREATE FUNCTION rf_center_of(role_name text) RETURNS integer LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
    SELECT r.center_id FROM center_roles r WHERE r.role_name = $1
$$;
CREATE FUNCTION rf_headquarters_role(role_name text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM center_roles r JOIN centers c ON c.id = r.center_id
        WHERE r.role_name = $1 AND c.kind = 'headquarters'
    )
$$;
CREATE FUNCTION rf_current_center() RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT COALESCE(rf_center_of(current_user), CASE WHEN rf_is_owner() THEN 1 END)
$$;
CREATE FUNCTION rf_reads_all_centers() RETURNS boolean LANGUAGE sql STABLE AS $$
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    op.execute(FUNCTIONS.format(schema=schema))
    for table in CENTER_TABLES:
        secure(table)
    op.execute(EXISTING_ROLES)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in CENTER_TABLES:
        op.execute(f"DROP POLICY IF EXISTS center_reads ON {table}")
        op.execute(f"DROP POLICY IF EXISTS center_rows ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN center_id SET DEFAULT 1")
    for function in DROP_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
