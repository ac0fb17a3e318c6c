"""Checking a backup without touching any database, and restoring one without ever writing over
the live database: the backup goes into a new database (SQLite: a new file next to the live one;
PostgreSQL: a new database), is checked there (integrity, every table of the schema, the
manifest's row counts, a schema this program knows), and only then takes the live one's place
in one step. What it replaces is kept, always: a pre-restore backup file (SQLite) or the old
database renamed (PostgreSQL)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from app import audit, maintenance, schema, settings
from app.admin.backup import others, postgres, sqlite_files
from app.admin.backup.container import (
    KIND_NAMES,
    BackupFile,
    damaged,
    extract_payload,
    open_backup,
)
from app.admin.backup.identity import live_identity
from app.admin.backup.making import SUFFIX, backup, kind_of, sqlite_path
from app.admin.backup.postgres import quoted
from app.audit_actions import AuditAction
from app.context import SYSTEM_ACTOR, Actor, Context
from app.db import Database
from app.errors import N_, DomainError, InvalidInput
from app.localtime import center_zone
from app.models import whole_schema
from app.station_clock import server_time


class ForeignBackup(InvalidInput):
    """The backup comes from another center: restored only with the administrator's reason."""


@dataclass
class Checked:
    backup: BackupFile
    revision: str
    tables: dict[str, int]


@dataclass
class Restored:
    checked: Checked
    kept: str  # the pre-restore backup file, or the old database's new name


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # only when restoring: Alembic is slow to import

    script = ScriptDirectory(str(schema.MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def _check_payload(found: BackupFile, payload: Path) -> Checked:
    if found.kind == "sqlite":
        revision, counts = sqlite_files.check_copy(payload, found.path)
    else:
        revision, counts = postgres.check_dump(payload, found.path)
    if revision is None or "repair_orders" not in counts:
        raise damaged(found.path, "no RepairFloor schema inside")
    manifest = found.manifest
    if manifest is not None:
        if revision != manifest.schema_revision:
            raise damaged(
                found.path, f"schema {revision}, manifest says {manifest.schema_revision}"
            )
        missing = sorted(set(manifest.tables) - set(counts))
        if missing:
            raise damaged(found.path, "table missing: " + ", ".join(missing))
        wrong = [f"{t} {counts[t]}/{n}" for t, n in manifest.tables.items() if counts[t] != n]
        if wrong:
            raise damaged(found.path, "row counts differ from the manifest: " + ", ".join(wrong))
    if revision not in known_revisions():
        raise InvalidInput(
            N_(
                "The backup comes from a newer RepairFloor (schema {revision}). Update the program first."
            ),
            revision=revision,
        )
    if revision == schema.HEAD_REVISION:
        _require_every_table(found.path, set(counts))
    return Checked(found, revision, counts)


def _require_every_table(path: Path, present: set[str]) -> None:
    missing = sorted({table.name for table in whole_schema().sorted_tables} - present)
    if missing:
        raise damaged(path, "table missing: " + ", ".join(missing))


def verify(path: Path) -> Checked:
    """Check the whole file (its SHA-256, the database inside, the manifest's counts) without
    touching any database; raise with what is wrong."""
    found = open_backup(path)
    with tempfile.TemporaryDirectory(prefix="repairfloor-verify-") as work:
        payload = extract_payload(found, Path(work) / "payload")
        return _check_payload(found, payload)


def _require_same_kind(db: Database, found: BackupFile) -> None:
    if found.kind != kind_of(db):
        raise InvalidInput(
            N_(
                "{path} is a backup of {backup_kind}; this station uses {station_kind}. A backup "
                "is restored into the same kind of database (to bring a PC's database to the "
                "server, use repairfloor move)."
            ),
            path=str(found.path),
            backup_kind=KIND_NAMES[found.kind],
            station_kind=KIND_NAMES[kind_of(db)],
        )


def _check_center(db: Database, found: BackupFile, reason: str | None) -> str | None:
    """The administrator's reason when the backup is another center's; raise when none given."""
    if found.manifest is None:
        return None
    live_id, live_name, has_work = live_identity(db)
    if not has_work or live_id == found.manifest.center_id:
        return None
    if reason and reason.strip():
        return reason.strip()
    raise ForeignBackup(
        N_(
            "{path} is a backup of another center ({backup_center}, made {created}); this "
            "database is {live_center}'s. Restore it only with a reason, which is recorded."
        ),
        path=str(found.path),
        backup_center=found.manifest.center_name,
        created=found.manifest.created_at,
        live_center=live_name,
    )


def stamp_of(db: Database, now: datetime | None) -> str:
    """The pre-restore copy's time stamp: ``now`` (the caller's database clock) or the database
    server's time, on the center's wall clock (its ``center.time_zone``), never the PC's."""
    zone = center_zone()
    try:
        moment = now or server_time(db) or datetime.now(UTC)
        with db.unguarded.read() as session:
            zone = ZoneInfo(settings.get(session, settings.CENTER_TIME_ZONE))
    except (DomainError, DBAPIError, ZoneInfoNotFoundError):  # no settings yet: the zone in use
        moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(zone):%Y%m%d-%H%M%S}"


def restore(
    db: Database,
    source: Path,
    *,
    foreign_reason: str | None = None,
    keep_dir: Path | None = None,
    now: datetime | None = None,
    actor: Actor = SYSTEM_ACTOR,
    station: str = "restore",
) -> Restored:
    """Restore ``source`` into a new database, check it, then switch the live one to it.

    Nothing is written to the live database; a refusal leaves it as it was."""
    found = open_backup(source)
    _require_same_kind(db, found)
    reason = _check_center(db, found, foreign_reason)
    stamp = stamp_of(db, now)
    with maintenance.announced(db, maintenance.RESTORE, actor.display_name, station):
        db.dispose()  # this process's own connections: the switch needs none open
        if db.is_sqlite:
            return _restore_sqlite(db, found, reason, keep_dir, stamp, actor, station)
        return _restore_postgres(db, found, reason, stamp, actor, station)


def _restore_sqlite(
    db: Database,
    found: BackupFile,
    reason: str | None,
    keep_dir: Path | None,
    stamp: str,
    actor: Actor,
    station: str,
) -> Restored:
    live = sqlite_path(db)
    new_path = live.with_name(f"{live.name}.restoring")
    sqlite_files.clear_side_files(new_path)
    try:
        checked = _check_payload(found, extract_payload(found, new_path))
        new_db = Database(f"sqlite:///{new_path}")
        _finish(new_db, checked, reason, actor, station)
        others.require_alone(db)  # every other station has let go: nothing more is written
        kept = ""
        if live.exists() and schema.current_revision(db) is not None:
            folder = keep_dir or live.parent / "backups"
            kept = str(backup(db, folder / f"before-restore-{stamp}{SUFFIX}"))
        db.dispose()
        sqlite_files.switch(new_path, live)
    finally:
        new_path.unlink(missing_ok=True)
    return Restored(checked, kept)


def _restore_postgres(
    db: Database, found: BackupFile, reason: str | None, stamp: str, actor: Actor, station: str
) -> Restored:
    live_name = str(db.url.database)
    new_name = postgres.side_name(live_name, "restoring")
    with tempfile.TemporaryDirectory(prefix="repairfloor-restore-") as work:
        checked = _check_payload(found, extract_payload(found, Path(work) / "payload"))
        new_db = postgres.restore_new(db, Path(work) / "payload", new_name)
    try:
        _finish(new_db, checked, reason, actor, station)
        kept = postgres.side_name(live_name, f"before_restore_{stamp.replace('-', '_')}")
        others.require_alone(db)
        postgres.switch(db.url, new_name, kept)
    except BaseException:
        postgres.drop(db.url, new_name)
        raise
    return Restored(checked, kept)


def _finish(
    new_db: Database, checked: Checked, reason: str | None, actor: Actor, station: str
) -> None:
    """Check the restored copy against the manifest, bring it to this program's schema, and
    record the restore in its audit log."""
    try:
        with new_db.engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            missing = sorted(set(checked.tables) - present)
            if missing:
                raise damaged(checked.backup.path, "table missing: " + ", ".join(missing))
            for table, rows in checked.tables.items():
                found = connection.execute(text(f"SELECT count(*) FROM {quoted(table)}")).scalar()
                if found != rows:
                    raise damaged(
                        checked.backup.path, f"{table}: {found} rows restored, {rows} expected"
                    )
        schema.upgrade(new_db)
        with new_db.engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
        _require_every_table(checked.backup.path, present)
        manifest = checked.backup.manifest
        person = Actor(None, actor.username, actor.display_name, actor.roles)
        ctx = Context(new_db, person, station)
        with new_db.transaction() as session:
            audit.record(
                session,
                ctx,
                AuditAction.RESTORE_BACKUP,
                "database",
                detail=(f"{checked.backup.path.name}" + (f" · {reason}" if reason else ""))[:1024],
                after={
                    "file": checked.backup.path.name,
                    "created_at": manifest.created_at if manifest else None,
                    "center": manifest.center_name if manifest else None,
                    "other_center_reason": reason,
                },
            )
    finally:
        new_db.dispose()
