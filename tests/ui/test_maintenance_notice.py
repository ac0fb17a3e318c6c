"""Station B's window while another station restores the database: the notice covers it and
cannot be closed by hand; when the restore is over, B signs in again on the restored database."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from app.admin import backup
from app.context import Context
from app.db import Database
from app.errors import DomainError
from ui.changes import ChangeBridge
from ui.session_guard import SessionGuard

pytestmark = pytest.mark.own_database  # a restore must be alone on its database


def test_station_b_sees_the_restore_and_signs_in_again_after_it(qtbot, db, admin, tmp_path):
    good = backup.backup(db, tmp_path / "good.rfbackup")
    station_b = Database(db.url.render_as_string(hide_password=False))
    window = QWidget()
    qtbot.addWidget(window)
    ctx_b = Context(station_b, admin.actor, "station-b", admin.clock)
    bridge = ChangeBridge(ctx_b.db, window)
    guard = SessionGuard(ctx_b, bridge, window)
    assert bridge.watching(10.0)
    done: list[object] = []
    restoring = threading.Thread(
        target=lambda: done.append(backup.restore(db, good, keep_dir=tmp_path / "kept"))
    )
    try:
        with qtbot.waitSignal(guard.signed_out, timeout=60_000):
            restoring.start()
            qtbot.waitUntil(
                lambda: guard.maintenance is not None and guard.maintenance.isVisible(),
                timeout=20_000,
            )
            notice = guard.maintenance
            assert notice.title.text() in {"The database is being restored", "数据库正在恢复"}
            assert "system" in notice.detail.text()  # who restores it (in either language)
            notice.reject()  # Esc does not take it away while the restore runs
            assert notice.isVisible()
            try:
                with ctx_b.db.transaction():
                    raise AssertionError("B's write went through during the restore")
            except DomainError as refused:
                assert "nothing was saved" in str(refused)
    finally:
        restoring.join(120)
        bridge.close()
    assert done and not notice.isVisible()
    assert "Sign in again" in guard.notice or "重新登录" in guard.notice
    assert ctx_b.db.closed_by is None  # opened again for the new sign-in
    with ctx_b.db.read() as session:  # reads the restored database
        assert session.get_bind() is not None
    station_b.dispose()
