"""Background work, the change broadcast and the crash handler."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import delete as shiboken_delete

from app import logs
from app.db import Database
from app.errors import InvalidInput
from ui import crash
from ui.changes import ChangeBridge
from ui.ops import BackgroundOp


@pytest.fixture(autouse=True)
def own_data_dir(isolated_logging: Path) -> Path:
    return isolated_logging


def test_background_work_delivers_its_result_in_the_ui_thread(qtbot) -> None:
    ui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["result"], seen["delivered_in"] = result, threading.get_ident()

    BackgroundOp(None, work).success(done).run_in_background()
    qtbot.waitUntil(lambda: "result" in seen, timeout=3000)
    assert seen["result"] == 42
    assert seen["worker"] != ui_thread and seen["delivered_in"] == ui_thread


def test_a_refusal_in_background_work_goes_to_failure(qtbot) -> None:
    refused: list[str] = []

    def work() -> None:
        raise InvalidInput("Nothing was scanned. Scan the barcode again.")

    BackgroundOp(None, work).failure(lambda error: refused.append(str(error))).run_in_background()
    qtbot.waitUntil(lambda: bool(refused), timeout=3000)
    assert refused == ["Nothing was scanned. Scan the barcode again."]


def test_a_result_for_a_widget_deleted_while_the_work_ran_is_dropped_quietly(qtbot) -> None:
    """A window closed mid-refresh: its late result must not reach its deleted widgets."""
    release = threading.Event()
    finished = threading.Event()
    delivered: list[int] = []
    owner = QWidget()

    def work() -> int:
        release.wait(3)
        finished.set()
        return 7

    BackgroundOp(owner, work).success(delivered.append).run_in_background()
    shiboken_delete(owner)
    release.set()
    assert finished.wait(3)
    qtbot.wait(100)  # the queued result is processed (and dropped) by the event loop
    assert delivered == []


def test_writes_from_another_thread_reach_the_ui_as_one_signal(qtbot, db: Database) -> None:
    bridge = ChangeBridge(db)
    received: list[frozenset[str]] = []
    bridge.tables_changed.connect(received.append)

    def writer() -> None:
        db._broadcast(frozenset({"repair_orders"}))
        db._broadcast(frozenset({"units"}))

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(received), timeout=2000)
    QApplication.processEvents()
    assert received == [frozenset({"repair_orders", "units"})]
    bridge.close()


def test_an_unexpected_error_is_logged_and_shown(qtbot, own_data_dir: Path) -> None:
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError:
        kind, error, trace = sys.exc_info()
    crash.handle_exception(kind, error, trace)
    log = (own_data_dir / "logs" / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: the printer caught fire" in log and "Traceback" in log
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog"]
    assert dialogs and isinstance(dialogs[-1], QMessageBox)
    assert str(own_data_dir / "logs") in dialogs[-1].informativeText()
    for dialog in dialogs:
        dialog.close()


def test_the_crash_handler_is_installed_as_the_excepthook() -> None:
    crash.install_crash_handler()
    assert sys.excepthook is crash.handle_exception
    assert threading.excepthook is not threading.__excepthook__  # worker threads logged too


@pytest.mark.qt_log_ignore("the label printer is offline")
def test_qt_warnings_reach_the_log_file_and_pytest_qt_still_sees_them(
    qtlog, own_data_dir: Path
) -> None:
    logs.configure()
    route = crash.install_qt_message_handler()
    try:
        qWarning("the label printer is offline")
    finally:
        qInstallMessageHandler(route.previous)  # pytest-qt's own handler, as it was

    logs.flush()
    text = (own_data_dir / "logs" / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "WARNING ui.qt" in text and "the label printer is offline" in text
    assert any("the label printer is offline" in r.message for r in qtlog.records)


def test_slow_work_shows_a_progress_dialog_that_goes_away(qtbot) -> None:
    import time

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QProgressDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    done: list[str] = []
    BackgroundOp(parent, lambda: time.sleep(0.9) or "ok").success(done.append).with_progress(
        "Working…"
    ).run_in_background()
    qtbot.waitUntil(
        lambda: parent.findChild(QProgressDialog, "progressDialog") is not None, timeout=3000
    )
    assert QGuiApplication.overrideCursor() is not None
    qtbot.waitUntil(lambda: done == ["ok"], timeout=3000)
    assert QGuiApplication.overrideCursor() is None
    dialog = parent.findChild(QProgressDialog, "progressDialog")
    assert dialog is None or not dialog.isVisible()
