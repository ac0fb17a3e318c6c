"""A center's row may refer only to rows of its own center: composite foreign keys on PostgreSQL.

Row-level security hides another center's rows from a station, but a foreign key's check does not
go through the policies: without more, a station of A could save an order whose ``customer_id``
is one of B's customers (the row is A's, so its policy lets it in). It would learn that B's row
exists (saved, or refused as missing), and B could no longer delete its customer. So every
reference from one center table to another gets a twin over ``(center_id, <column>)`` pointing at
``(center_id, id)`` of the referred table: the referred row must be of the referring row's center.
The single-column keys stay (the models' relationships and ``ON DELETE`` rules are theirs). The
twins are checked at each statement, but ``DEFERRABLE``: a move of a person to another center
(the person and their roles, done by the tables' owner) checks them at its commit.

Found in the database's catalogue, not listed by hand: every single-column foreign key from a
table under row-level security with ``center_id`` to another such table keyed by ``id``, except
the references that cross centers on purpose (``CROSS_CENTER``, and who signed: ``PEOPLE``). A migration that adds center
tables calls :func:`add_center_keys` again (it adds only what is missing);
``tests/test_center_keys.py`` fails on a reference without its twin. SQLite is one center:
nothing to do there.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

# References that name another center's row by design.
CROSS_CENTER = frozenset(
    {
        # headquarters' answer (its own row) to a station's escalation
        ("escalation_replies", "escalation_id"),
    }
)
# Who did it: a person may sign at a center not their own (headquarters' people transfer parts
# between two stations and answer escalations; a transfer's move and audit row at each center
# carry the one person who made it). A person's id says nothing of another center's business,
# and accounts are disabled, never deleted: references to ``users`` keep their plain key.
PEOPLE = "users"
UNIQUE_PREFIX = "uqc_"
KEY_PREFIX = "fkc_"

_LINKS = text(
    """
    SELECT src.relname, srccol.attname, dst.relname
    FROM pg_constraint fk
    JOIN pg_class src ON src.oid = fk.conrelid
    JOIN pg_class dst ON dst.oid = fk.confrelid
    JOIN pg_namespace ns ON ns.oid = src.relnamespace
    JOIN pg_attribute srccol ON srccol.attrelid = fk.conrelid AND srccol.attnum = fk.conkey[1]
    JOIN pg_attribute dstcol ON dstcol.attrelid = fk.confrelid AND dstcol.attnum = fk.confkey[1]
    WHERE fk.contype = 'f' AND cardinality(fk.conkey) = 1 AND dstcol.attname = 'id'
      AND ns.nspname = current_schema()
      AND src.relrowsecurity AND dst.relrowsecurity
      AND EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = src.oid AND a.attname = 'center_id' AND NOT a.attisdropped)
      AND EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = dst.oid AND a.attname = 'center_id' AND NOT a.attisdropped)
    ORDER BY 1, 2
    """
)
_NAMES = text(
    "SELECT conname, conrelid::regclass::text FROM pg_constraint c "
    "JOIN pg_namespace ns ON ns.oid = c.connamespace "
    "WHERE ns.nspname = current_schema() AND (conname LIKE 'uqc\\_%' OR conname LIKE 'fkc\\_%')"
)


@dataclass(frozen=True)
class Link:
    table: str
    column: str
    target: str

    @property
    def key_name(self) -> str:
        return f"{KEY_PREFIX}{self.table}_{self.column}"[:63]


def center_links(connection: Connection) -> list[Link]:
    """Every same-center reference between center tables (PostgreSQL)."""
    return [
        Link(table, column, target)
        for table, column, target in connection.execute(_LINKS)
        if (table, column) not in CROSS_CENTER and target != PEOPLE
    ]


def present_names(connection: Connection) -> dict[str, str]:
    """The composite keys and their unique twins already there: name → table."""
    return {name: table for name, table in connection.execute(_NAMES)}


def drop_center_keys(connection: Connection) -> None:
    """Drop every composite key, then the unique constraints they point at (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return
    present = present_names(connection)
    for prefix in (KEY_PREFIX, UNIQUE_PREFIX):
        for name, table in sorted(present.items()):
            if name.startswith(prefix):
                connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def add_center_keys(connection: Connection) -> list[str]:
    """Add the missing composite keys; returns the constraints added. A key that existing rows
    break is added ``NOT VALID`` (new rows are checked, old ones left for the administrator) with
    a warning, so an upgrade never stops on old data. PostgreSQL only; SQLite: nothing."""
    if connection.dialect.name != "postgresql":
        return []
    present = present_names(connection)
    added: list[str] = []
    links = center_links(connection)
    for target in sorted({link.target for link in links}):
        name = f"{UNIQUE_PREFIX}{target}"[:63]
        if name not in present:
            connection.exec_driver_sql(
                f"ALTER TABLE {target} ADD CONSTRAINT {name} UNIQUE (center_id, id)"
            )
            added.append(name)
    for link in links:
        if link.key_name in present:
            continue
        connection.exec_driver_sql(
            f"ALTER TABLE {link.table} ADD CONSTRAINT {link.key_name} "
            f"FOREIGN KEY (center_id, {link.column}) REFERENCES {link.target} (center_id, id) "
            "DEFERRABLE NOT VALID"
        )
        added.append(link.key_name)
        _validate(connection, link)
    return added


def _validate(connection: Connection, link: Link) -> None:
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql(f"ALTER TABLE {link.table} VALIDATE CONSTRAINT {link.key_name}")
    except DBAPIError:  # rows of one center that already refer to another's: keep them
        savepoint.rollback()
        warnings.warn(
            f"{link.table}.{link.column}: rows refer to another center's {link.target}; "
            f"{link.key_name} checks new rows only",
            stacklevel=2,
        )
    else:
        savepoint.commit()
