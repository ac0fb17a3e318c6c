"""Backups: a round trip restores every row, on SQLite and PostgreSQL; daily backups rotate; a
database made by an older version is backed up, then upgraded, with its data."""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from backup_helpers import drop_databases, kept_copies
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import schema, settings
from app.admin import backup
from app.db import Database
from app.errors import InvalidInput
from app.models import whole_schema

pytestmark = pytest.mark.own_database  # a restore must be alone on its database

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def every_row(db: Database) -> dict[str, list[tuple]]:
    with db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in whole_schema().sorted_tables
        }


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A second, empty database of the same kind (a new file, or a new PostgreSQL database)."""
    if database_url.startswith("sqlite"):
        yield Database(f"sqlite:///{tmp_path / 'empty.db'}")
        return
    name = f"rf_restore_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin_engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    target = Database(
        make_url(database_url).set(database=name).render_as_string(hide_password=False)
    )
    yield target
    target.dispose()
    drop_databases(target, [name, *kept_copies(target)])  # and what the restore replaced
    admin_engine.dispose()


def test_a_backup_restored_into_an_empty_database_has_every_row(demo_db, empty_database, tmp_path):
    db = demo_db
    copy = backup.backup(db, tmp_path / "floor.rfbackup")
    backup.restore(empty_database, copy)
    original, restored = every_row(db), every_row(empty_database)
    assert [e[5] for e in restored["audit_log"][len(original["audit_log"]) :]] == ["restore_backup"]
    restored["audit_log"] = restored["audit_log"][: len(original["audit_log"])]
    assert restored == original
    assert len(restored["repair_orders"]) >= 30 and restored["audit_log"]


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "notes.pgdump"
    bogus.write_text("hello")
    with pytest.raises(InvalidInput, match="not a RepairFloor backup"):
        backup.restore(db, bogus)


def test_daily_backups_happen_once_a_day_and_keep_the_newest(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    assert backup.daily_backup(db, folder, NOW, keep=3) is not None
    assert backup.daily_backup(db, folder, NOW + timedelta(hours=2), keep=3) is None
    for day in range(1, 6):
        backup.daily_backup(db, folder, NOW + timedelta(days=day), keep=3)
    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 3 and kept[-1].startswith(f"repairfloor-{NOW + timedelta(days=5):%Y%m%d}")


def test_a_database_of_the_first_version_is_backed_up_then_upgraded_with_its_data(
    database_url, tmp_path
):
    if database_url.startswith("sqlite"):
        db = Database(f"sqlite:///{tmp_path / 'first-version.db'}")
    else:  # start from an empty schema on the shared test server
        db = Database(database_url)
        whole_schema().drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade(db, "0001")
    with db.engine.begin() as connection:  # data as the first version wrote it
        connection.execute(
            text(
                "INSERT INTO customers (id, kind, name, phone, created_at) "
                "VALUES (1, 'consumer', '张三', '13800138000', '2026-01-02 03:04:05')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO product_models (id, code, name, category, serial_kind, tac_prefixes, "
                "capacities, colours, common_faults, qc_checklist, appearance_checklist, "
                "warranty_months, aging_minutes, turnaround_days, active) VALUES (1, 'X1', '星辰 X1', "
                "'phone', 'imei', '[]', '[]', '[]', '[]', '[]', '[]', 12, 240, 3, true)"
            )
        )
    folder = tmp_path / "backups"
    copy = backup.backup_before_upgrade(db, folder, NOW)
    assert copy is not None and copy.exists()
    schema.upgrade(db)
    assert schema.is_current(db)
    with db.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT name FROM customers WHERE id = 1")).scalar() == "张三"
        )
        assert connection.execute(text("SELECT count(*) FROM allocations")).scalar() == 0
    assert backup.backup_before_upgrade(db, folder, NOW) is None  # current: nothing to do
    assert backup.verify(copy).revision == "0001"
    db.dispose()


def test_the_daily_backup_is_copied_to_the_second_folder_with_the_same_rotation(
    db, tmp_path, system_ctx
):
    folder, second = tmp_path / "backups", tmp_path / "share" / "repairfloor"
    folder.mkdir()
    settings.put(
        system_ctx,
        settings.BACKUP_SECOND_FOLDER,
        str(second),
        expected_version=settings.setting_version(system_ctx, settings.BACKUP_SECOND_FOLDER),
    )
    for day in range(5):
        backup.daily_backup(db, folder, NOW + timedelta(days=day), keep=3)
    kept = sorted(path.name for path in folder.iterdir())
    assert sorted(path.name for path in second.iterdir()) == kept and len(kept) == 3
    for name in kept:
        assert (second / name).read_bytes() == (folder / name).read_bytes()
        backup.verify(second / name)


def test_a_second_folder_that_cannot_be_written_leaves_the_first_backup(db, tmp_path, system_ctx):
    folder = tmp_path / "backups"
    folder.mkdir()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the share should be")
    settings.put(
        system_ctx,
        settings.BACKUP_SECOND_FOLDER,
        str(blocked / "repairfloor"),
        expected_version=settings.setting_version(system_ctx, settings.BACKUP_SECOND_FOLDER),
    )
    path = backup.daily_backup(db, folder, NOW, keep=3)
    assert path is not None and backup.verify(path).revision == schema.HEAD_REVISION


def test_the_backup_is_stale_when_the_newest_good_one_is_more_than_a_day_old(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime.now(UTC)
    assert backup.backup_is_stale(db, folder, now)  # none at all
    path = backup.daily_backup(db, folder, now)
    assert not backup.backup_is_stale(db, folder, now + timedelta(hours=23))
    assert backup.backup_is_stale(db, folder, now + timedelta(hours=25))
    assert backup.newest_backup(folder) == path


def test_the_postgresql_password_reaches_the_tools_through_the_environment_only(monkeypatch):
    from app.admin.backup import postgres

    seen = []

    def fake_run(args, **kwargs):
        seen.append((args, kwargs.get("env") or {}))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(postgres.subprocess, "run", fake_run)
    monkeypatch.setattr(postgres.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    url = make_url("postgresql+psycopg://floor:s3cret-pw@db.center.local:5433/repairfloor")
    dsn, env = postgres.tool_command(url)
    assert dsn == "postgresql://floor@db.center.local:5433/repairfloor"
    assert env["PGPASSWORD"] == "s3cret-pw"
    postgres.run(["pg_restore", f"--dbname={dsn}", "file"], env)
    ((args, passed_env),) = seen
    assert not any("s3cret-pw" in arg for arg in args) and passed_env["PGPASSWORD"] == "s3cret-pw"
