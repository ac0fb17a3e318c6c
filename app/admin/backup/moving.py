"""Moving one PC's SQLite database to the center's PostgreSQL server, when a center outgrows one
PC: every row of every table is copied into an empty PostgreSQL database in one transaction,
the row counts are checked and the id sequences set past the copied ids before it commits.
The other stations on the file are told and let go first (``app.maintenance``); the SQLite file's
rows are left as they were, and it keeps a "moved" marker for good: no station writes into it
after the move (its writes would never reach the server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import audit, maintenance, schema
from app.admin.backup import others
from app.audit_actions import AuditAction
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.errors import N_, InvalidInput
from app.models import OrderStateCount, whole_schema
from app.permissions import Permission

BATCH = 1000


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _batches(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = connection.execute(table.select().order_by(*table.primary_key.columns))
    while rows := result.mappings().fetchmany(BATCH):
        yield [dict(row) for row in rows]


def _counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in whole_schema().sorted_tables
    }


Progress = Callable[[str, int, int], None]  # (table, its number, how many tables)


def move(
    source: Database,
    to_url: str,
    *,
    station: str = "move",
    by: str = "system",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Copy every table of ``source`` (SQLite, at this program's schema) into the empty
    PostgreSQL database ``to_url``; returns the rows per table. Nothing is left half-copied.
    ``progress`` hears of each table as its copy starts."""
    if not source.is_sqlite:
        raise InvalidInput(N_("Only a SQLite database (one PC) is moved to a server."))
    with maintenance.announced(source, maintenance.MOVE, by, station):
        source.dispose()
        others.require_alone(source)  # the other stations let go: nothing is written meanwhile
        counts = _copy(source, to_url, station, progress)
    maintenance.mark_moved(source, shown(to_url), by, station)
    return counts


# Rows the migrations themselves write into a new database (the handbook's penalty rules and the
# notice templates, migration 0012; center 1, 0016): an "empty" server holds them, and the copy
# replaces them.
SEEDED_BY_MIGRATIONS = ("penalty_rules", "notice_templates", "centers")


def _copy(source: Database, to_url: str, station: str, progress: Progress | None) -> dict[str, int]:
    target = Database(to_url)
    try:
        if target.is_sqlite:
            raise InvalidInput(
                N_("Move to a PostgreSQL server: {url} is not one."), url=shown(to_url)
            )
        if not schema.is_current(source):
            raise InvalidInput(N_("Upgrade this PC's database first (open it once)."))
        with source.engine.connect() as reading:
            extra = set(inspect(reading).get_table_names()) - set(whole_schema().tables)
            extra.discard("alembic_version")
            if extra:
                raise InvalidInput(
                    N_("This PC's database has tables RepairFloor does not know: {tables}."),
                    tables=sorted(extra),
                )
            schema.upgrade(target)  # an empty database gets every table, at the same revision
            with target.engine.begin() as writing:
                held = _counts(writing)
                if any(n for name, n in held.items() if name not in SEEDED_BY_MIGRATIONS):
                    raise InvalidInput(
                        N_("{url} already holds data: move only into an empty database."),
                        url=shown(to_url),
                    )
                for name in SEEDED_BY_MIGRATIONS:  # the source's own (perhaps edited) rows
                    writing.execute(whole_schema().tables[name].delete())
                expected = _counts(reading)
                counted = whole_schema().tables[OrderStateCount.__tablename__]
                tables = whole_schema().sorted_tables
                for number, table in enumerate(tables, 1):
                    if progress is not None:
                        progress(table.name, number, len(tables))
                    if table is not counted:  # kept by triggers as the orders are copied
                        for rows in _batches(reading, table):
                            writing.execute(table.insert(), rows)
                writing.execute(counted.delete())  # then the source's rows, as they are
                for rows in _batches(reading, counted):
                    writing.execute(counted.insert(), rows)
                copied = _counts(writing)
                if copied != expected:
                    wrong = [t for t in expected if copied[t] != expected[t]]
                    raise InvalidInput(
                        N_("The copy's row counts differ ({tables}): nothing was moved."),
                        tables=wrong,
                    )
                _reset_sequences(writing)
                with Session(bind=writing) as session:  # the audit row joins the copy
                    audit.record(
                        session,
                        Context(target, SYSTEM_ACTOR, station),
                        AuditAction.MOVE_DATABASE,
                        "database",
                        detail=f"{source.display_name} → {shown(to_url)}",
                        after={"rows": sum(expected.values())},
                    )
                    audit.write_pending(session)
        return expected
    finally:
        target.dispose()


def _reset_sequences(connection: Connection) -> None:
    """Each id sequence continues after the highest id copied (checked after setting it)."""
    for table in whole_schema().sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        for column in keys:  # one integer id
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            highest = connection.execute(select(func.max(column))).scalar()
            connection.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                {"sequence": sequence, "value": highest or 1, "called": highest is not None},
            )


def move_station(
    ctx: Context, server_text: str, progress: Progress | None = None
) -> tuple[str, dict[str, int]]:
    """The window's move (View → Database connection): only the administrator, because the
    users and their roles go with it. ``server_text`` is the server's address as typed (the
    driver filled in); returns that URL (with its password, for the station's settings) and the
    rows per table, as ``repairfloor move`` does."""
    from app.admin.first_run import server_url

    ctx.require(Permission.MANAGE_USERS)
    url = server_url(server_text)
    counts = move(ctx.db, url, station=ctx.station, by=ctx.actor.display_name, progress=progress)
    return url, counts
