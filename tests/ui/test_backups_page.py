"""The Backups page of the administration tab: a backup made now appears in the list checked
whole; a cut file is refused when verified and nothing changes; a good backup restores from the
page, the station signs in again and the database it replaced is kept; another center's backup
asks for a reason. Real widgets, the blocking dialogs answered by the test."""

from __future__ import annotations

import pytest
from backup_helpers import crafted_backup, drop_databases, fingerprint, kept_copies
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import select, text

from app.admin import backup
from app.admin.backup.identity import CENTER_ID_KEY
from app.models import AuditEntry, Role
from ui.admin.backups import BackupsPanel
from ui.admin.tab import AdminTab
from ui.changes import ChangeBridge
from ui.i18n import install_translators

pytestmark = pytest.mark.own_database  # a restore must be alone on its database

WAIT_MS = 30_000
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def english(qapp) -> None:
    install_translators("en")  # an earlier test may have left Chinese in


@pytest.fixture
def page(qtbot, demo_db, make_user, tmp_path):
    """The administrator's Backups page in the admin tab (its change watcher running, as in the
    window), the backup folder empty; the PostgreSQL pre-restore copies dropped afterwards."""
    admin = make_user(Role.ADMIN, username="backup_admin")
    bridge = ChangeBridge(demo_db)
    tab = AdminTab(admin, bridge)
    panel = tab.backups
    panel.folder = tmp_path / "backups"
    panel.load()
    qtbot.addWidget(tab)
    tab.show()
    tab.pages.setCurrentWidget(panel)
    loaded(qtbot)  # the list is read on the read worker
    yield panel
    bridge.close()
    if not demo_db.is_sqlite:
        drop_databases(demo_db, kept_copies(demo_db))


@pytest.fixture
def answers(monkeypatch):
    """What the blocking dialogs were shown, and the answers they give."""
    shown: dict[str, list[str]] = {"information": [], "question": [], "reason": []}

    def information(_parent, _title, body, *args, **kwargs):
        shown["information"].append(body)
        return QMessageBox.StandardButton.Ok

    def question(_parent, _title, body, *args, **kwargs):
        shown["question"].append(body)
        return QMessageBox.StandardButton.Yes

    def reason(_parent, _title, label, *args, **kwargs):
        shown["reason"].append(label)
        return "合并分中心数据", True

    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QInputDialog, "getText", reason)
    return shown


def test_back_up_now_adds_a_row_checked_whole(qtbot, page, answers):
    assert page.table.rowCount() == 0
    qtbot.mouseClick(page.back_up_button, LEFT)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    (row,) = page.rows
    assert row.path.parent == page.folder and row.path.name.startswith("repairfloor-")
    assert page.table.item(0, 4).text() == "Yes"
    assert page.table.item(0, 3).text() == row.center
    assert backup.verify(row.path).tables["repair_orders"] > 0


def test_verify_of_a_cut_file_shows_the_refusal_and_changes_nothing(
    qtbot, page, answers, monkeypatch, tmp_path
):
    db = page.ctx.db
    good = backup.backup(db, tmp_path / "good.rfbackup")
    data = good.read_bytes()
    cut = page.folder / "repairfloor-20261130-080000.rfbackup"
    cut.parent.mkdir(parents=True)
    cut.write_bytes(data[: len(data) // 2])
    page.load()
    loaded(qtbot)
    assert page.table.item(0, 4).text() == "No"  # its table of contents is missing already
    before, files = fingerprint(db), sorted(page.folder.glob("*.rfbackup"))
    page.table.clearSelection()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(cut), ""))
    qtbot.mouseClick(page.verify_button, LEFT)
    qtbot.waitUntil(
        lambda: page.findChild(QMessageBox, "domainErrorBox") is not None, timeout=WAIT_MS
    )
    box = page.findChild(QMessageBox, "domainErrorBox")
    assert "damaged or incomplete" in box.text() and cut.name in box.text()
    assert answers["information"] == []  # no summary of a refused file
    assert fingerprint(db) == before and sorted(page.folder.glob("*.rfbackup")) == files
    assert cut.read_bytes() == data[: len(data) // 2]

    # The good one, chosen in the list, shows its manifest.
    box.close()
    chosen = good.rename(page.folder / "repairfloor-20261130-090000.rfbackup")
    page.load()
    loaded(qtbot)
    row = [row.path for row in page.rows].index(chosen)
    page.table.selectRow(row)
    qtbot.mouseClick(page.verify_button, LEFT)
    qtbot.waitUntil(lambda: bool(answers["information"]), timeout=WAIT_MS)
    summary = answers["information"][0]
    assert "is whole: it can be restored" in summary and "repair orders" in summary
    loaded(qtbot)
    assert page.table.item(row, 4).text() == "Yes"


def test_restore_from_the_page_keeps_the_pre_restore_copy_and_signs_in_again(qtbot, page, answers):
    db = page.ctx.db
    qtbot.mouseClick(page.back_up_button, LEFT)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    at_backup = fingerprint(db)
    with db.engine.begin() as connection:  # work done after the backup
        for table in ("survey_answers", "care_tasks", "follow_ups"):  # the calls
            connection.execute(text(f"DELETE FROM {table}"))
    replaced = fingerprint(db)
    assert replaced != at_backup
    page.table.selectRow(0)
    with qtbot.waitSignal(page.database_replaced, timeout=WAIT_MS):
        qtbot.mouseClick(page.restore_button, LEFT)
    (question,) = answers["question"]
    assert db.display_name in question and "pre-restore" in question
    assert answers["reason"] == []  # this center's own backup
    restored = fingerprint(db)
    assert restored.pop("audit_log")[0] == at_backup.pop("audit_log")[0] + 1
    assert restored == at_backup
    assert "What it replaced is kept" in answers["information"][-1]
    if db.is_sqlite:
        (kept,) = page.folder.glob("before-restore-*")
        assert backup.verify(kept).tables["follow_ups"] == 0
        page.load()
        loaded(qtbot)
        assert (
            "Before a restore"
            in page.table.item([row.path for row in page.rows].index(kept), 1).text()
        )
    else:
        assert len(kept_copies(db)) == 1


def test_another_centers_backup_asks_for_a_reason_that_is_audited(
    qtbot, page, answers, monkeypatch, tmp_path
):
    db = page.ctx.db
    backup.backup(db, tmp_path / "first.rfbackup")  # gives this database its center id
    # Crafting disposes the live database's engine: not while the watcher holds a connection
    # (it would stay open, out of the pool, and keep the restore from switching).
    page.changes.stop_watching()
    foreign = crafted_backup(
        db,
        tmp_path,
        "other-center.rfbackup",
        f"UPDATE settings SET value = '\"0ther\"' WHERE key = '{CENTER_ID_KEY}'",
    )
    page.changes.watch_again()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(foreign), ""))
    with qtbot.waitSignal(page.database_replaced, timeout=WAIT_MS):
        qtbot.mouseClick(page.restore_button, LEFT)
    (label,) = answers["reason"]
    assert "another center" in label
    with db.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "restore_backup")
        ).one()
    assert "合并分中心数据" in entry.detail


def test_a_supervisor_backs_up_and_verifies_but_does_not_restore(qtbot, db, supervisor, tmp_path):
    panel = BackupsPanel(supervisor, None, folder=tmp_path / "backups")
    qtbot.addWidget(panel)
    panel.show()
    assert panel.back_up_button.isVisible() and panel.verify_button.isVisible()
    assert not panel.restore_button.isVisible()
