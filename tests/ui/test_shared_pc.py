"""A PC shared by a shift: sign out / switch user without quitting, the login ready for the next
person, the idle lock, a word before leaving a box half received, and the box resumed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PASSWORD
from factories import add_customer
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton as QAbstractButtonType
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QMessageBox

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Carrier, Role
from app.receiving import open_box
from ui import application, settings
from ui.application import build_main_window, create_application, open_session
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.shared_pc import LockDialog

WAYBILL = "SF1234567890123"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def people(make_user: Callable[..., Context]) -> dict[str, Context]:
    return {
        "clerk": make_user(Role.RECEIVING_CLERK, username="clerk", display_name="收货员小王"),
        "keeper": make_user(Role.PARTS_KEEPER, username="keeper", display_name="库管老李"),
    }


@pytest.fixture
def signing_in(monkeypatch: pytest.MonkeyPatch) -> list[Context]:
    """The people who will sign in at the login dialog, in turn (exec() answers at once)."""
    queue: list[Context] = []

    def exec_(dialog: LoginDialog) -> int:
        if not queue:
            return QDialog.DialogCode.Rejected
        dialog.actor = queue.pop(0).actor
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    return queue


def window_of(qtbot, ctx: Context) -> MainWindow:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_ctrl_l_signs_out_and_the_next_person_signs_in_without_quitting(
    qtbot, people, signing_in, clock
) -> None:
    create_application("zh_CN")
    clerk, keeper = people["clerk"], people["keeper"]
    signing_in.extend([clerk, keeper])
    first = open_session(clerk.db, "收货台-1", clock)
    assert isinstance(first, MainWindow) and first.ctx.actor.username == "clerk"
    qtbot.addWidget(first)
    sign_out = first.findChild(QAction, "signOutAction")
    assert sign_out.shortcut().toString() == "Ctrl+L"
    sign_out.trigger()
    second = application._SESSIONS[-1]
    assert isinstance(second, MainWindow) and second.isVisible()
    qtbot.addWidget(second)
    assert second.ctx.actor.username == "keeper" and second.ctx.station == "收货台-1"
    assert not first.isVisible()
    assert QApplication.instance() is not None  # the application did not quit
    second.changes.close()


def test_the_login_puts_the_next_person_in_the_user_field(qtbot, people, clock) -> None:
    create_application("zh_CN")
    settings.LAST_USERNAME.set("clerk")
    dialog = LoginDialog(people["clerk"].db, "收货台-1", clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    name = dialog.findChild(QLineEdit, "usernameInput")
    qtbot.waitUntil(name.hasFocus)
    assert name.selectedText() == "clerk"  # typing replaces the last person's name
    qtbot.keyClicks(name, "keeper")
    assert name.text() == "keeper"
    assert dialog.findChild(QLineEdit, "passwordInput").text() == ""


def test_the_station_locks_when_idle_and_the_same_person_unlocks_it(
    qtbot, people, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_of(qtbot, people["keeper"])
    lock = window.idle_lock
    settings.IDLE_LOCK_MINUTES.set(0)  # never
    monkeypatch.setattr(lock, "idle_ms", lambda: 3_600_000)
    assert not lock.check()
    settings.IDLE_LOCK_MINUTES.set(5)
    monkeypatch.setattr(lock, "idle_ms", lambda: 4 * 60_000)
    assert not lock.check()
    monkeypatch.setattr(lock, "idle_ms", lambda: 6 * 60_000)
    assert lock.check()
    dialog = window.findChild(LockDialog, "lockDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()  # Esc does not unlock
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.password, "wrong-one")
    dialog.submit()
    message = dialog.findChild(QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: message.text() != "", timeout=10_000)
    assert lock.dialog is dialog
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000):
        dialog.submit()
    assert lock.dialog is None
    window.changes.close()


def test_a_key_or_a_click_on_any_of_the_stations_windows_restarts_the_idle_clock(
    qtbot, people
) -> None:
    window = window_of(qtbot, people["keeper"])
    lock = window.idle_lock
    qtbot.waitExposed(window)
    lock.check()  # watches the window even before it takes the focus
    qtbot.wait(100)
    idle = lock.idle_ms()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_A)  # through the platform's window
    assert lock.idle_ms() < idle  # the clock started again
    dialog = QDialog(window)  # a dialog is a window of its own: watched once it has the focus
    dialog.show()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is dialog.windowHandle())
    qtbot.wait(100)
    idle = lock.idle_ms()
    QTest.mouseClick(dialog.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert lock.idle_ms() < idle
    dialog.close()
    window.changes.close()


def test_the_idle_lock_runs_no_python_for_the_applications_other_events(qtbot, people) -> None:
    window = window_of(qtbot, people["keeper"])
    qtbot.waitExposed(window)
    window.idle_lock.check()
    seen = window.idle_lock.events_seen
    ticks: list[int] = []
    timer = QTimer(window)  # 1 ms timer events, and a slot called for each, in the UI thread
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 100)
    timer.stop()
    assert window.idle_lock.events_seen - seen < 10, window.idle_lock.events_seen - seen
    window.changes.close()


def test_another_person_takes_over_a_locked_station(qtbot, people, monkeypatch) -> None:
    window = window_of(qtbot, people["keeper"])
    settings.IDLE_LOCK_MINUTES.set(5)
    monkeypatch.setattr(window.idle_lock, "idle_ms", lambda: 10 * 60_000)
    assert window.idle_lock.check()
    with qtbot.waitSignal(window.switch_user, timeout=2000):
        window.idle_lock.dialog.findChild(QAbstractButtonType, "switchUserButton").click()
    window.changes.close()


def open_box_at_the_desk(qtbot, clerk: Context) -> tuple[MainWindow, int]:
    with clerk.db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    sender = add_customer(clerk.db, clerk, "华强北星辰通讯", "13912345678")
    box_id = open_box(clerk, WAYBILL, sender_id=sender, declared_quantity=5)
    window = window_of(qtbot, clerk)
    assert window.show_tab("receivingTab")
    window.page("receivingTab").set_box(box_id)
    return window, box_id


def test_quitting_or_signing_out_with_a_box_half_received_asks_first(
    qtbot, people, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _box = open_box_at_the_desk(qtbot, people["clerk"])
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    window.findChild(QAction, "quitAction").trigger()
    assert window.isVisible() and WAYBILL in asked[-1] and "5" in asked[-1]
    switched: list[bool] = []
    window.switch_user.connect(lambda: switched.append(True))
    window.findChild(QAction, "signOutAction").trigger()
    assert len(asked) == 2 and not switched  # the clerk stays
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.findChild(QAction, "signOutAction").trigger()
    assert switched
    window.changes.close()


def test_quitting_without_an_open_box_asks_nothing(qtbot, people, monkeypatch) -> None:
    window = window_of(qtbot, people["clerk"])
    window.show_tab("receivingTab")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    window.findChild(QAction, "quitAction").trigger()
    assert not asked and not window.isVisible()


def test_the_stations_open_box_is_resumed_at_the_next_sign_in(
    qtbot, people, make_user: Callable[..., Context]
) -> None:
    first, box_id = open_box_at_the_desk(qtbot, people["clerk"])
    first.changes.close()
    first.leaving = True
    first.close()
    other = make_user(Role.RECEIVING_CLERK, username="clerk2")
    second = window_of(qtbot, other)
    second.show_tab("receivingTab")
    tab = second.page("receivingTab")
    assert tab.box is not None and tab.box.id == box_id
    second.changes.close()


def test_a_scanned_badge_then_the_pin_signs_in(qtbot, people, clock) -> None:
    from app import users

    keeper = people["keeper"]
    with keeper.db.transaction() as session:
        from app.models import User

        session.get(User, keeper.user_id).badge_code = "K001"
    window = window_of(qtbot, keeper)
    window.findChild(QAction, "setPinAction").trigger()
    dialog = window.pin_dialog
    qtbot.keyClicks(dialog.findChild(QLineEdit, "newPinInput"), "2580")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "repeatPinInput"), "2581")
    dialog.submit()
    assert dialog.findChild(QLabel, "pinMessage").text() and dialog.isVisible()  # they differ
    dialog.findChild(QLineEdit, "repeatPinInput").setText("2580")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.changes.close()

    login = LoginDialog(keeper.db, "库房", clock)
    qtbot.addWidget(login)
    login.show()
    name = login.findChild(QLineEdit, "usernameInput")
    name.clear()
    qtbot.keyClicks(name, "K001")  # the badge, as the scanner types it
    qtbot.keyClick(name, Qt.Key.Key_Return)  # its Enter goes on to the PIN
    secret = login.findChild(QLineEdit, "passwordInput")
    qtbot.keyClicks(secret, "2580")
    with qtbot.waitSignal(login.accepted, timeout=10_000):
        qtbot.keyClick(secret, Qt.Key.Key_Return)
    assert login.actor is not None and login.actor.username == "keeper"
    assert users.badge_holder(keeper.db, "K001")
