"""The Backups page's core: the list (newest first, what each file is, whether it was checked
whole, remembered only for the file as it was), and the permissions: a supervisor backs up and
checks, only the administrator restores."""

from __future__ import annotations

import os

import pytest
from backup_helpers import fingerprint

from app.admin.backup import shelf
from app.errors import InvalidInput, PermissionDenied


def test_the_list_says_what_each_backup_is_and_whether_it_was_checked_whole(db, admin, tmp_path):
    folder = tmp_path / "backups"
    made = shelf.back_up_now(admin, folder)
    before = made.with_name("before-restore-20261129-080000.rfbackup")
    before.write_bytes(made.read_bytes())
    os.utime(before, (1, 1))  # the manifest's time counts, not the file's
    cut = folder / "repairfloor-20200101-000000.rfbackup"
    cut.write_bytes(made.read_bytes()[:100])
    os.utime(cut, (1, 1))  # unreadable: its file's time stands for when it was made
    (folder / "notes.txt").write_text("not a backup")
    rows = shelf.list_backups(admin, folder)
    assert [row.path.name for row in rows[:2]] == sorted([made.name, before.name], reverse=True)
    by_name = {row.path.name: row for row in rows}
    assert set(by_name) == {made.name, before.name, cut.name}
    assert by_name[made.name].whole is shelf.Whole.YES  # checked right after it was written
    assert by_name[made.name].origin is shelf.Origin.BACKUP and by_name[made.name].database
    assert by_name[before.name].origin is shelf.Origin.BEFORE_RESTORE
    assert by_name[before.name].whole is shelf.Whole.NOT_CHECKED
    assert by_name[cut.name].whole is shelf.Whole.NO and by_name[cut.name].problem is not None
    assert rows[-1].path == cut

    made.write_bytes(made.read_bytes()[:-10])  # changed since it was checked
    changed = {row.path.name: row for row in shelf.list_backups(admin, folder)}[made.name]
    assert changed.whole is shelf.Whole.NO  # a cut zip cannot even be opened
    with pytest.raises(InvalidInput):
        shelf.check_backup(admin, made)


def test_a_supervisor_backs_up_and_checks_but_may_not_restore(db, supervisor, tmp_path):
    made = shelf.back_up_now(supervisor, tmp_path)
    assert shelf.check_backup(supervisor, made).tables["repair_orders"] == 0
    before = fingerprint(db)
    with pytest.raises(PermissionDenied):
        shelf.restore_backup(supervisor, made, tmp_path / "kept")
    assert fingerprint(db) == before and not (tmp_path / "kept").exists()


def test_checked_whole_is_remembered_across_runs_for_the_file_as_it_was(db, admin, tmp_path):
    made = shelf.back_up_now(admin, tmp_path)
    notes = tmp_path / shelf.NOTES
    assert notes.exists()  # beside the files: a new run of the program reads it
    assert {r.path.name: r.whole for r in shelf.list_backups(admin, tmp_path)} == {
        made.name: shelf.Whole.YES
    }
    cut = tmp_path / "repairfloor-20200101-000000.rfbackup"
    cut.write_bytes(made.read_bytes()[:-10])
    with pytest.raises(InvalidInput):
        shelf.check_backup(admin, cut)
    by_name = {row.path.name: row for row in shelf.list_backups(admin, tmp_path)}
    assert by_name[cut.name].whole is shelf.Whole.NO and by_name[cut.name].problem is not None
    stat = made.stat()
    os.utime(made, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # touched since its check
    by_name = {row.path.name: row for row in shelf.list_backups(admin, tmp_path)}
    assert by_name[made.name].whole is shelf.Whole.NOT_CHECKED  # a changed file is not trusted


def test_back_up_now_also_writes_to_the_second_folder(db, admin, tmp_path):
    from app import settings

    second = tmp_path / "share"
    settings.put(
        admin,
        settings.BACKUP_SECOND_FOLDER,
        str(second),
        expected_version=settings.setting_version(admin, settings.BACKUP_SECOND_FOLDER),
    )
    made = shelf.back_up_now(admin, tmp_path / "backups")
    copy = second / made.name
    assert copy.read_bytes() == made.read_bytes()
    rows = {row.path: row.whole for row in shelf.list_backups(admin, tmp_path / "backups")}
    assert rows == {made: shelf.Whole.YES, copy: shelf.Whole.YES}


def test_the_pre_restore_copy_is_named_by_the_database_clock_in_the_centers_zone(
    db, admin, tmp_path, clock
):
    from datetime import UTC, datetime

    clock._now = datetime(2026, 11, 30, 2, 58, 7, tzinfo=UTC)  # 10:58:07 in Shanghai
    made = shelf.back_up_now(admin, tmp_path)
    done = shelf.restore_backup(admin, made, tmp_path / "kept")
    if db.is_sqlite:
        assert os.path.basename(done.kept) == "before-restore-20261130-105807.rfbackup"
    else:
        from backup_helpers import drop_databases

        assert done.kept.endswith("_before_restore_20261130_105807")
        drop_databases(db, [done.kept])
