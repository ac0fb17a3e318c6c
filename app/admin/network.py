"""The network's administration: centers, and the PostgreSQL role each center's stations connect
as (``repairfloor center ...``). Run as the tables' owner: nobody else writes ``centers`` or
``center_roles`` (app/centers.py, NETWORK_TABLES).

A center's role may read and write its own center's rows (row-level security, migration 0016)
and read the shared catalogues; a headquarters role also reads every center's rows and writes the
shared catalogues. Nobody but the owner changes or deletes an audit row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError

from app.centers import CENTER_TABLES, NETWORK_TABLES, SHARED_CATALOGUES
from app.db import Database
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.models import Center, CenterKind, CenterRole

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")
APPEND_ONLY = "audit_log"


@dataclass(frozen=True)
class CenterRow:
    id: int
    code: str
    name: str
    kind: CenterKind
    address: str | None
    roles: tuple[str, ...]


def add_center(
    db: Database, code: str, name: str, kind: CenterKind, address: str | None = None
) -> int:
    """A new center of the network; its id."""
    code, name = code.strip(), name.strip()
    if not CODE.fullmatch(code):
        raise InvalidInput(N_("A center code is 1 to 16 letters, digits, '-' or '_'."))
    if not name:
        raise InvalidInput(N_("A center needs a name."))
    try:
        with db.transaction() as session:
            center = Center(code=code, name=name, kind=kind, address=address or None)
            session.add(center)
            session.flush()
            return center.id
    except Conflict:
        raise Conflict(N_("There is already a center {code}."), code=code) from None


def list_centers(db: Database) -> list[CenterRow]:
    with db.read() as session:
        roles: dict[int, list[str]] = {}
        for role in session.scalars(select(CenterRole).order_by(CenterRole.role_name)):
            roles.setdefault(role.center_id, []).append(role.role_name)
        return [
            CenterRow(c.id, c.code, c.name, c.kind, c.address, tuple(roles.get(c.id, ())))
            for c in session.scalars(select(Center).order_by(Center.id))
        ]


def role_statements(db: Database, role: str, kind: CenterKind) -> list[str]:
    """The GRANTs of a center's role: everything it had is revoked first, so the statements are
    the whole of what it may do (run again after an upgrade that adds tables)."""
    if not ROLE_NAME.fullmatch(role):
        raise InvalidInput(
            N_("A database role name is lower-case letters, digits and '_' (at most 63).")
        )
    with db.read() as session:
        database, schema = session.execute(
            text("SELECT current_database(), current_schema()")
        ).one()
    own = sorted(CENTER_TABLES - {APPEND_ONLY})
    shared = sorted(SHARED_CATALOGUES)
    statements = [
        f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {role}',
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(own)} TO {role}",
        f"GRANT SELECT, INSERT ON {APPEND_ONLY} TO {role}",
        f"GRANT SELECT ON {', '.join([*shared, *sorted(NETWORK_TABLES), 'alembic_version'])} "
        f"TO {role}",
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}',
    ]
    if kind is CenterKind.HEADQUARTERS:
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(shared)} TO {role}")
    return statements


def grant_role(
    db: Database, center_code: str, role: str, *, password: str | None = None, run: bool = True
) -> list[str]:
    """Map ``role`` to the center (its stations connect as it) and grant what a role of that
    center may do; with ``password``, create the role first (LOGIN). Returns the statements
    (``run=False``: only returns them, for an administrator who runs them in psql)."""
    if db.is_sqlite:
        raise InvalidInput(N_("Database roles are a PostgreSQL server's: SQLite is one center."))
    with db.read() as session:
        center = session.scalar(select(Center).where(Center.code == center_code.strip()))
    if center is None:
        raise NotFound(N_("There is no center {code}."), code=center_code)
    statements = role_statements(db, role, center.kind)
    shown = list(statements)
    if password is not None:
        create = f"CREATE ROLE {role} LOGIN PASSWORD "
        statements.insert(0, create + _literal(password))
        shown.insert(0, create + "'********'")
    mapping = (
        pg_insert(CenterRole)
        .values(role_name=role, center_id=center.id)
        .on_conflict_do_update(index_elements=[CenterRole.role_name], set_={"center_id": center.id})
    )
    shown.append(f"INSERT INTO center_roles VALUES ('{role}', {center.id})")
    if not run:
        return shown
    try:
        with db.engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
            connection.execute(mapping)
    except DBAPIError as error:
        raise Conflict(
            N_("The role {role} could not be granted: {reason}"), role=role, reason=str(error.orig)
        ) from error
    return shown


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
