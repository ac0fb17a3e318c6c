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
