"""PostgreSQL: ``pg_dump`` of one snapshot (the manifest's row counts are read in the same one),
a full check of a dump without any database (``pg_restore --list`` and a dry run of every row),
a restore into a new database in one transaction, and the switch that renames the databases.

The password goes to the client tools through ``PGPASSWORD``, never on their command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL

from app.admin.backup.container import damaged
from app.credentials import without_password
from app.db import Database
from app.errors import N_, InvalidInput

NAME_LIMIT = 63  # PostgreSQL's longest identifier


def tool_command(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URL the client tools get (no password in it) and their environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = without_password(url.set(drivername="postgresql")).render_as_string(hide_password=False)
    return dsn, env


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        raise InvalidInput(
            N_("{tool} is not installed: install the PostgreSQL client tools."), tool=args[0]
        )
    return subprocess.run(args, capture_output=True, text=True, env=env)


def _checked(result: subprocess.CompletedProcess[str], tool: str) -> None:
    if result.returncode != 0:
        raise InvalidInput(N_("{tool} failed: {error}"), tool=tool, error=result.stderr.strip())


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump(db: Database, target: Path) -> tuple[str | None, dict[str, int]]:
    """``pg_dump`` to ``target``; the revision and rows per table of the very snapshot dumped."""
    dsn, env = tool_command(db.url)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
            names = sorted(inspect(connection).get_table_names())
            counts = {
                name: int(
                    connection.execute(text(f"SELECT count(*) FROM {quoted(name)}")).scalar_one()
                )
                for name in names
            }
            revision = None
            if "alembic_version" in counts:
                revision = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
            # The owner passes the centers' row-level security by its policies (migration 0016),
            # not by bypassing it: pg_dump must let the policies apply rather than refuse.
            args = [
                "pg_dump",
                "--format=custom",
                "--enable-row-security",
                f"--snapshot={snapshot}",
                f"--file={target}",
                dsn,
            ]
            _checked(run(args, env), "pg_dump")
    return revision, counts


def check_dump(path: Path, shown_as: Path) -> tuple[str | None, dict[str, int]]:
    """The revision and rows per table of a dump, read through a full dry run of ``pg_restore``."""
    listing = run(["pg_restore", "--list", str(path)])
    if listing.returncode != 0:
        lines = listing.stderr.strip().splitlines()
        raise damaged(shown_as, lines[-1] if lines else "pg_restore --list")
    counts: dict[str, int] = {}
    revision: str | None = None
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            ["pg_restore", "--file=-", str(path)], stdout=subprocess.PIPE, stderr=errors
        )
        assert process.stdout is not None
        table: str | None = None
        for line in process.stdout:
            if table is None:
                if line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
                    name = line.split(b" ")[1].decode("utf-8").split(".")[-1].strip('"')
                    table, counts[name] = name, 0
            elif line.rstrip(b"\n") == b"\\.":
                table = None
            else:
                counts[table] += 1
                if table == "alembic_version" and revision is None:
                    revision = line.decode("utf-8").strip()
        process.wait()
        if process.returncode != 0 or table is not None:
            errors.seek(0)
            detail = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise damaged(shown_as, detail[0] if detail else "pg_restore")
    return revision, counts


def server(url: URL, *, autocommit: bool = True) -> Engine:
    """An engine on the server's maintenance database (to create, rename and drop databases)."""
    options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    return create_engine(url.set(database="postgres"), **options)


def side_name(live: str, suffix: str) -> str:
    return f"{live[: NAME_LIMIT - len(suffix) - 1]}_{suffix}"


def drop(url: URL, name: str) -> None:
    engine = server(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)"))
    finally:
        engine.dispose()


def restore_new(db: Database, payload: Path, name: str) -> Database:
    """A new database ``name`` holding the dump, restored in one transaction or not at all."""
    drop(db.url, name)
    engine = server(db.url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {quoted(name)}"))
    finally:
        engine.dispose()
    new_url = db.url.set(database=name)
    dsn, env = tool_command(new_url)
    args = ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-acl"]
    result = run([*args, f"--dbname={dsn}", str(payload)], env)
    if result.returncode != 0:
        drop(db.url, name)
        _checked(result, "pg_restore")
    return Database(new_url.render_as_string(hide_password=False))


def other_connections(url: URL, name: str) -> list[str]:
    engine = server(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT coalesce(nullif(application_name, ''), 'RepairFloor'), "
                    "coalesce(host(client_addr), 'local') FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).all()
    finally:
        engine.dispose()
    return sorted(f"{program}@{address}" for program, address in rows)


def switch(url: URL, new: str, kept: str) -> None:
    """Rename the live database to ``kept`` and ``new`` to the live name, in one transaction,
    while no station is connected; otherwise nothing changes."""
    live = str(url.database)
    others = other_connections(url, live)
    if others:
        raise InvalidInput(
            N_(
                "{count} other connections use the database ({who}): close RepairFloor on every "
                "other station, then restore again. Nothing was changed."
            ),
            count=len(others),
            who=", ".join(sorted(set(others))),
        )
    engine = server(url, autocommit=False)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"ALTER DATABASE {quoted(live)} RENAME TO {quoted(kept)}"))
            connection.execute(text(f"ALTER DATABASE {quoted(new)} RENAME TO {quoted(live)}"))
    except Exception as error:  # a station connected a moment ago: the renames rolled back
        raise InvalidInput(
            N_("The database could not be switched ({error}). Nothing was changed."),
            error=str(error).splitlines()[0],
        ) from None
    finally:
        engine.dispose()
