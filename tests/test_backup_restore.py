"""A restore never writes over the live database: every bad file (cut at any point, random bytes,
a table missing, a newer schema, another center's, the other kind of database) is refused and
the live database is unchanged, table by table; a good backup restores, and what it replaced is
kept. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile

import pytest
from backup_helpers import (
    crafted_backup,
    databases_like,
    drop_databases,
    fingerprint,
    kept_copies,
    sqlite_backup_of_an_empty_station,
)
from sqlalchemy import select, text

from app.admin import backup
from app.admin.backup.identity import CENTER_ID_KEY
from app.db import Database
from app.errors import InvalidInput
from app.models import AuditEntry

pytestmark = pytest.mark.own_database  # a restore must be alone on its database


@pytest.fixture
def live(demo_db, tmp_path):
    """The demo database, one good backup of it, and the pre-restore copies dropped afterwards."""
    good = backup.backup(demo_db, tmp_path / "good.rfbackup")
    yield demo_db, good
    if not demo_db.is_sqlite:
        drop_databases(demo_db, kept_copies(demo_db))


def refused_and_unchanged(db: Database, path, match: str, tmp_path) -> None:
    before = fingerprint(db)
    with pytest.raises(InvalidInput, match=match):
        backup.restore(db, path, keep_dir=tmp_path / "kept")
    assert fingerprint(db) == before
    assert not (tmp_path / "kept").exists(), "nothing replaced, nothing to keep"
    if db.is_sqlite:
        assert not list(tmp_path.glob("*.restoring"))
    else:
        assert kept_copies(db) == []


@pytest.mark.parametrize("percent", [10, 30, 50, 70, 90, 99])
def test_a_cut_backup_is_refused_by_verify_and_restore(live, tmp_path, percent):
    db, good = live
    data = good.read_bytes()
    cut = tmp_path / f"cut-{percent}.rfbackup"
    cut.write_bytes(data[: len(data) * percent // 100])
    with pytest.raises(InvalidInput, match="damaged or incomplete"):
        backup.verify(cut)
    refused_and_unchanged(db, cut, "damaged or incomplete", tmp_path)


def test_random_bytes_are_not_a_backup(live, tmp_path):
    db, _ = live
    noise = tmp_path / "noise.rfbackup"
    noise.write_bytes(os.urandom(256 * 1024))
    refused_and_unchanged(db, noise, "not a RepairFloor backup", tmp_path)


def test_a_damaged_database_inside_a_whole_file_is_refused(live, tmp_path):
    """One byte changed inside: the SHA-256 of the database no longer matches the manifest."""
    db, good = live
    with zipfile.ZipFile(good) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    payload = next(name for name in names if name.startswith("database."))
    spoiled = bytearray(parts[payload])
    spoiled[len(spoiled) // 2] ^= 0xFF
    parts[payload] = bytes(spoiled)
    bad = tmp_path / "flipped.rfbackup"
    with zipfile.ZipFile(bad, "w") as archive:
        for name in names:
            archive.writestr(name, parts[name])
    refused_and_unchanged(db, bad, "SHA-256", tmp_path)


def test_a_backup_with_a_table_missing_is_refused(live, tmp_path):
    """The manifest is true to the file (it lists no repair_records table either): the schema check
    still finds the table missing."""
    db, _ = live
    missing = crafted_backup(db, tmp_path, "missing.rfbackup", "DROP TABLE repair_records")
    assert "repair_records" not in backup.open_backup(missing).manifest.tables
    with pytest.raises(InvalidInput, match="table missing: repair_records"):
        backup.verify(missing)
    refused_and_unchanged(db, missing, "table missing: repair_records", tmp_path)


def test_a_backup_whose_counts_differ_from_its_manifest_is_refused(live, tmp_path):
    db, good = live
    with zipfile.ZipFile(good) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(parts["manifest.json"])
    manifest["tables"]["repair_orders"] += 1
    parts["manifest.json"] = json.dumps(manifest).encode()
    lying = tmp_path / "lying.rfbackup"
    with zipfile.ZipFile(lying, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    refused_and_unchanged(db, lying, "row counts differ from the manifest", tmp_path)


def test_a_backup_from_a_newer_schema_is_refused(live, tmp_path):
    db, _ = live
    newer = crafted_backup(
        db, tmp_path, "newer.rfbackup", "UPDATE alembic_version SET version_num = '9999_future'"
    )
    refused_and_unchanged(db, newer, "newer RepairFloor", tmp_path)


def other_centers_backup(db, tmp_path):
    return crafted_backup(
        db,
        tmp_path,
        "other-center.rfbackup",
        f"UPDATE settings SET value = '\"0ther\"' WHERE key = '{CENTER_ID_KEY}'",
    )


def test_another_centers_backup_is_refused_without_a_reason(live, tmp_path):
    db, _ = live
    foreign = other_centers_backup(db, tmp_path)
    refused_and_unchanged(db, foreign, "backup of another center", tmp_path)
    with pytest.raises(backup.ForeignBackup):
        backup.restore(db, foreign, foreign_reason="   ", keep_dir=tmp_path / "kept")


def test_another_centers_backup_restores_with_a_reason_that_is_audited(live, tmp_path):
    db, _ = live
    foreign = other_centers_backup(db, tmp_path)
    backup.restore(db, foreign, foreign_reason="合并分中心数据", keep_dir=tmp_path / "kept")
    with db.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "restore_backup")
        ).one()
    assert "合并分中心数据" in entry.detail and entry.after["other_center_reason"]


def test_a_backup_of_the_other_kind_of_database_says_so(live, tmp_path):
    db, good = live
    if db.is_sqlite:  # a PostgreSQL backup offered to this PC: its manifest says what it is
        with zipfile.ZipFile(good) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        manifest["database"] = "postgresql"
        other = tmp_path / "server.rfbackup"
        with zipfile.ZipFile(other, "w") as archive:
            archive.writestr("manifest.json", json.dumps(manifest))
        expected = "is a backup of PostgreSQL; this station uses a SQLite database"
    else:
        other = sqlite_backup_of_an_empty_station(tmp_path)
        expected = "is a backup of a SQLite database \\(one PC\\); this station uses PostgreSQL"
    refused_and_unchanged(db, other, expected, tmp_path)


def test_a_good_backup_restores_and_what_it_replaced_is_kept(live, tmp_path):
    db, good = live
    at_backup = fingerprint(db)
    with db.engine.begin() as connection:  # work done after the backup
        for table in ("survey_answers", "care_tasks", "follow_ups"):  # the calls
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("INSERT INTO settings (key, value) VALUES ('x.after', '\"1\"')"))
    replaced = fingerprint(db)
    assert replaced != at_backup
    done = backup.restore(db, good, keep_dir=tmp_path / "kept")
    restored = fingerprint(db)
    audit_rows = at_backup.pop("audit_log")[0]
    assert restored.pop("audit_log")[0] == audit_rows + 1  # the restore itself
    assert restored == at_backup
    if db.is_sqlite:
        kept = backup.verify(tmp_path / "kept" / os.path.basename(done.kept))
        assert kept.tables["follow_ups"] == 0 and kept.tables == {
            name: rows for name, (rows, _) in replaced.items()
        }
    else:
        assert kept_copies(db) == [done.kept]
        old = Database(db.url.set(database=done.kept).render_as_string(hide_password=False))
        assert fingerprint(old) == replaced
        old.dispose()


def test_verify_and_list_read_the_manifest_and_touch_no_database(live, tmp_path):
    db, good = live
    before = fingerprint(db)
    checked = backup.verify(good)
    manifest = checked.backup.manifest
    assert manifest.database == ("sqlite" if db.is_sqlite else "postgresql")
    assert manifest.schema_revision == checked.revision and len(manifest.payload_sha256) == 64
    assert checked.tables == manifest.tables
    assert checked.tables["repair_orders"] == before["repair_orders"][0] > 0
    assert fingerprint(db) == before


def test_a_restore_while_another_station_is_connected_is_refused_and_says_so(
    live, tmp_path, monkeypatch
):
    db, good = live
    before = fingerprint(db)
    monkeypatch.setattr("app.admin.backup.others.LET_GO_S", 1.0)
    other_station = Database(str(db.url.render_as_string(hide_password=False)))
    with other_station.engine.connect() as connection:  # a program that never lets go
        connection.execute(text("SELECT 1"))
        with pytest.raises(InvalidInput, match="other connections did not let go"):
            backup.restore(db, good, keep_dir=tmp_path / "kept")
    other_station.dispose()
    assert fingerprint(db) == before
    if db.is_sqlite:
        assert not list(tmp_path.glob("*.restoring"))
    else:
        assert kept_copies(db) == [] and databases_like(db, "restoring") == []
    backup.restore(db, good, keep_dir=tmp_path / "kept")  # once the station has closed: restored


def test_a_backup_made_before_manifests_still_restores(live, tmp_path):
    db, _ = live
    if not db.is_sqlite:
        pytest.skip("a bare SQLite file is the older SQLite backup")
    bare = tmp_path / "repairfloor-20261101-120000.sqlite"
    db.dispose()
    source, target = sqlite3.connect(str(db.url.database)), sqlite3.connect(bare)
    with target:
        source.backup(target)
    source.close()
    target.close()
    assert backup.verify(bare).backup.legacy
    before = fingerprint(db)
    with db.engine.begin() as connection:
        for table in ("survey_answers", "care_tasks", "follow_ups"):  # the calls
            connection.execute(text(f"DELETE FROM {table}"))
    backup.restore(db, bare, keep_dir=tmp_path / "kept")
    after = fingerprint(db)
    assert after.pop("audit_log")[0] == before.pop("audit_log")[0] + 1 and after == before
