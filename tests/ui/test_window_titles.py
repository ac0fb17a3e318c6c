"""Qt adds " — <display name>" (RepairFloor 售后维修中心) to every window title on Linux and
Windows: our own titles say only what the window is, so the name appears once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.clock import ManualClock
from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from ui.application import build_main_window, create_application


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_window_title_repeats_the_application_name(
    qtbot, admin: Context, clock: ManualClock, database_url: str, language: str
) -> None:
    from ui.about import AboutDialog
    from ui.crash import show_crash_dialog
    from ui.first_run import FirstRunWizard
    from ui.login import LoginDialog

    create_application(language)
    name = QGuiApplication.applicationDisplayName()
    assert "RepairFloor" in name
    windows: list[QWidget] = [
        LoginDialog(admin.db, "收货台-1", clock),
        build_main_window(Context(admin.db, admin.actor, "收货台-1", clock)),
        AboutDialog(admin),
        FirstRunWizard(database_url),
        show_crash_dialog("RuntimeError: x", Path("repairfloor.log")),
    ]
    try:
        for window in windows:
            qtbot.addWidget(window)
            title = window.windowTitle()
            assert title and "RepairFloor" not in title and "售后维修中心" not in title, title
        assert windows[1].windowTitle() == "收货台-1"
    finally:
        windows[-1].close()
        create_application("zh_CN")
