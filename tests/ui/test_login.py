"""Sign-in: Enter submits; a wrong password is refused in red and the dialog stays open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app.clock import ManualClock
from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import create_application
from ui.login import ChangePasswordDialog, LoginDialog

PASSWORD = "secret-123"  # tests/conftest.py


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def login_dialog(qtbot, ctx: Context, clock: ManualClock) -> LoginDialog:
    create_application("zh_CN")
    dialog = LoginDialog(ctx.db, "bench-1", clock)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_credentials(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    name = dialog.findChild(QLineEdit, "usernameInput")
    name.clear()
    qtbot.keyClicks(name, username)
    qtbot.keyClick(name, Qt.Key.Key_Return)  # Enter in the name field goes on to the password
    secret = dialog.findChild(QLineEdit, "passwordInput")
    qtbot.keyClicks(secret, password)
    qtbot.keyClick(secret, Qt.Key.Key_Return)


def test_a_wrong_password_is_refused_with_a_red_message(
    qtbot, make_user: Callable[..., Context], clock: ManualClock
) -> None:
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    dialog = login_dialog(qtbot, clerk, clock)
    type_credentials(qtbot, dialog, "clerk", "wrong-password")
    message = dialog.findChild(QLabel, "loginMessage")
    qtbot.waitUntil(lambda: message.text() != "", timeout=5000)
    assert "用户名或密码错误" in message.text()
    assert "color" in message.styleSheet()
    assert dialog.isVisible() and dialog.result() == 0 and dialog.actor is None


def test_the_right_password_signs_in(
    qtbot, make_user: Callable[..., Context], clock: ManualClock
) -> None:
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    dialog = login_dialog(qtbot, clerk, clock)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        type_credentials(qtbot, dialog, "clerk", PASSWORD)
    assert dialog.actor is not None and dialog.actor.username == "clerk"


def test_a_new_account_must_choose_a_new_password(
    qtbot, make_user: Callable[..., Context], clock: ManualClock
) -> None:
    clerk = make_user(Role.RECEIVING_CLERK, username="newbie", must_change_password=True)
    dialog = login_dialog(qtbot, clerk, clock)
    type_credentials(qtbot, dialog, "newbie", PASSWORD)
    qtbot.waitUntil(lambda: dialog.findChild(ChangePasswordDialog) is not None, timeout=5000)
    change = dialog.findChild(ChangePasswordDialog)
    qtbot.keyClicks(change.findChild(QLineEdit, "newPasswordInput"), "brand-new-1")
    repeat = change.findChild(QLineEdit, "repeatPasswordInput")
    qtbot.keyClicks(repeat, "brand-new-1")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(repeat, Qt.Key.Key_Return)
    from app.users import must_change_password

    assert not must_change_password(clerk.db, dialog.actor.user_id)


def test_a_station_whose_clock_is_wrong_is_refused_with_how_to_fix_it(
    qtbot, make_user: Callable[..., Context], clock: ManualClock
) -> None:
    from datetime import UTC, datetime, timedelta

    from app.station_clock import DatabaseClock

    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    # PostgreSQL: 10 h fast against the server; SQLite: set back behind the recorded work.
    wrong = (
        clock.now() - timedelta(hours=1)
        if clerk.db.is_sqlite
        else datetime.now(UTC) + timedelta(hours=10)
    )
    station_clock = DatabaseClock(clerk.db, station=ManualClock(wrong))
    dialog = login_dialog(qtbot, clerk, station_clock)
    type_credentials(qtbot, dialog, "clerk", PASSWORD)
    message = dialog.findChild(QLabel, "loginMessage")
    qtbot.waitUntil(lambda: message.text() != "", timeout=5000)
    assert "时钟" in message.text() and "Windows" in message.text()
    assert dialog.actor is None
