"""The network of service centers: which tables belong to a center and which the network shares.

Every table of the schema is in exactly one list (``tests/test_centers.py`` fails on a table in
none, so a new table is decided here when it is added):

- ``CENTER_TABLES``: rows of one center, each with ``center_id`` (a center's orders, units,
  customers, people, stock, racks, settings, number series, audit rows...). On PostgreSQL
  row-level security shows a center's stations only their own center's rows (migration 0016).
  Numbers and codes a center chooses are unique within the center: two centers each have their
  own RO… series, and one never learns of the other's rows through a refused duplicate.
- ``SHARED_CATALOGUES``: the network's catalogues, kept by headquarters and read by every center.
- ``NETWORK_TABLES``: the centers and the database role of each; only the tables' owner (the
  administrator's ``repairfloor center`` commands) writes them.

On SQLite the product is one center: every row is center 1.
"""

from __future__ import annotations

from sqlalchemy import Insert, insert, text
from sqlalchemy.orm import Session

from app.models import Center, CenterKind

# Center 1 of a database made before the network (its name from the center's settings).
FIRST_CENTER_CODE = "C1"
FIRST_CENTER_NAME = "售后维修中心"

CENTER_TABLES = frozenset(
    {
        # repair orders and what hangs on them
        "units",
        "inbound_boxes",
        "repair_orders",
        "order_state_counts",
        "kpi_days",
        "attachments",
        "photos",
        "charges",
        "repair_records",
        "serial_swaps",
        "allocations",
        "aging_runs",
        "shipments",
        "shipment_items",
        # the center's customers, people and their accounts
        "customers",
        "users",
        "user_roles",
        "departments",
        "staff_members",
        # stock: each center its own stock rows of the network's master parts, and its ledger
        "parts",
        "stock_moves",
        "part_waits",
        "purchase_requests",
        # the center's equipment
        "racks",
        "rack_slots",
        # complaints, follow-ups and customer care
        "complaints",
        "complaint_orders",
        "follow_ups",
        "survey_answers",
        "care_tasks",
        "notices",
        "notice_consents",
        "accountability_sheets",
        "consequences",
        # quality
        "quality_alarms",
        "corrective_actions",
        # headquarters' decisions on its stations (the deciding center's rows)
        "center_warnings",
        # escalated complaints: the station's request, headquarters' reply (its own row, read by
        # the station it answers)
        "escalations",
        "escalation_replies",
        # the center's settings, number series and audit log
        "settings",
        "counters",
        "audit_log",
    }
)

SHARED_CATALOGUES = frozenset(
    {
        "product_categories",
        "product_models",
        "part_masters",  # the parts master: number, name, prices (each center's stock: parts)
        "part_master_fits",  # which models a master part fits
        "fault_codes",
        "carriers",
        "calendar_days",
        "sales_records",  # the maker's sales register: warranty for every center
        "penalty_rules",  # the handbook's rules, the same for every station
        "notice_templates",  # the provider's approved texts
    }
)

NETWORK_TABLES = frozenset({"centers", "center_roles"})


def first_center() -> Insert:
    """The row of center 1 as migration 0016 writes it into an empty database."""
    return insert(Center).values(
        code=FIRST_CENTER_CODE, name=FIRST_CENTER_NAME, kind=CenterKind.OWN_CENTER
    )


def network_view(session: Session) -> None:
    """Let this transaction read every center's rows, if the connected role is headquarters'
    (PostgreSQL; for any other role it changes nothing). Headquarters' dashboard asks for it;
    without it, headquarters' stations see their own center like any station. SQLite: one
    center, nothing to do."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL repairfloor.all_centers = 'on'"))
