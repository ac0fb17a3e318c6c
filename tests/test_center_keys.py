"""A center's row refers only to its own center's rows, even in raw SQL (PostgreSQL): the
composite keys of migration 0022 (``app.center_keys``). SQLite is one center: skipped there."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from test_center_isolation import network, two_floors  # noqa: F401  (fixtures)

from app.center_keys import CROSS_CENTER, KEY_PREFIX, PEOPLE, present_names
from app.centers import CENTER_TABLES
from app.db import Database
from app.models import whole_schema


def _same_center_references() -> set[tuple[str, str, str]]:
    """From the models (not from the catalogue the migration reads): every reference from a
    center table to another center table's ``id``."""
    found = set()
    for table in whole_schema().tables.values():
        if table.name not in CENTER_TABLES:
            continue
        for key in table.foreign_keys:
            target = key.column.table.name
            if target in CENTER_TABLES and target != PEOPLE and key.column.name == "id":
                found.add((table.name, key.parent.name, target))
    return {ref for ref in found if ref[:2] not in CROSS_CENTER}


def test_every_reference_between_center_tables_has_its_center_key(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite is one center")
    with db.engine.connect() as connection:
        present = present_names(connection)
        keys = dict(
            connection.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conname LIKE 'fkc\\_%' AND convalidated"
                )
            ).all()
        )
    references = _same_center_references()
    assert len(references) > 30  # orders, customers, units, complaints, parts...
    expected = {f"{KEY_PREFIX}{table}_{column}"[:63] for table, column, _ in references}
    assert {name for name in present if name.startswith(KEY_PREFIX)} == expected
    for table, column, target in sorted(references):
        name = f"{KEY_PREFIX}{table}_{column}"[:63]
        assert name in present, (table, column)
        assert present[name] == table
        assert keys[name] == (
            f"FOREIGN KEY (center_id, {column}) REFERENCES {target}(center_id, id) DEFERRABLE"
        ), name


def test_a_station_cannot_point_its_rows_at_another_centers_rows(
    two_floors,  # noqa: F811 - the imported fixture
    network,  # noqa: F811
) -> None:
    """Before the keys, each of these statements passed: the row is A's, so its policy let it in,
    and a foreign key's check does not go through the policies."""
    a, b = network["A"], network["B"]
    order_a, order_b = two_floors["A"]["order"].order_id, two_floors["B"]["order"].order_id
    with b.db.engine.connect() as connection:  # what B's own station knows of its rows
        unit_b, customer_b = connection.execute(
            text("SELECT unit_id, customer_id FROM repair_orders WHERE id = :id"), {"id": order_b}
        ).one()
    with a.db.engine.connect() as connection:
        unit_a, customer_a = connection.execute(
            text("SELECT unit_id, customer_id FROM repair_orders WHERE id = :id"), {"id": order_a}
        ).one()
    assert (unit_a, customer_a) != (unit_b, customer_b)
    for column, value in (("customer_id", customer_b), ("unit_id", unit_b)):
        with a.db.engine.begin() as connection, pytest.raises(IntegrityError) as refused:
            connection.execute(
                text(f"UPDATE repair_orders SET {column} = :v WHERE id = :id"),
                {"v": value, "id": order_a},
            )
        assert f"{KEY_PREFIX}repair_orders_{column}" in str(refused.value)
    with a.db.engine.begin() as connection, pytest.raises(IntegrityError) as refused:
        connection.execute(
            text(
                "INSERT INTO shipment_items (shipment_id, order_id, added_at) "
                "SELECT id, :order, now() FROM shipments LIMIT 1"
            ),
            {"order": order_b},
        )
    assert f"{KEY_PREFIX}shipment_items_order_id" in str(refused.value)
    # its own rows still may: the same statement with A's own customer passes
    with a.db.engine.begin() as connection:
        changed = connection.execute(
            text("UPDATE repair_orders SET customer_id = :v WHERE id = :id"),
            {"v": customer_a, "id": order_a},
        )
        assert changed.rowcount == 1
