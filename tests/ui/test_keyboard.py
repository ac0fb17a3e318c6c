"""Keyboard and fonts: Ctrl+1…8 bring the tabs forward, every floor tab's routine buttons have a
key (said in the tooltip), each person opens on their own tab, and Windows gets its own Chinese
UI font first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QTabWidget, QWidget

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import (
    BUNDLED_CJK_FAMILY,
    build_main_window,
    cjk_font_families,
    create_application,
)
from ui.main_window import MainWindow
from ui.widgets.shortcuts import ROUTINE, shortcut_of

FLOOR_TABS = ["receivingTab", "allocationTab", "partsTab", "qcTab", "shippingTab", "complaintsTab"]


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def window_of(qtbot, ctx: Context) -> MainWindow:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def current_page(window: MainWindow) -> QWidget:
    return window.page(window.tabs.currentWidget().objectName())


def current_name(window: MainWindow) -> str:
    return window.tabs.currentWidget().objectName()


def test_ctrl_and_a_digit_brings_that_tab_forward(qtbot, admin: Context) -> None:
    window = window_of(qtbot, admin)
    window.activateWindow()
    qtbot.waitActive(window)
    for number in (3, 8, 1, 5):
        action = window.findChild(QAction, f"showTab{number}")
        assert action.shortcut() == QKeySequence(f"Ctrl+{number}")
        action.trigger()
        assert window.tabs.currentIndex() == number - 1
    assert window.tabs.tabToolTip(1) == QKeySequence("Ctrl+2").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    field = current_page(window).findChild(QWidget, "scanInput")  # where the focus is
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1


def routine_buttons(page: QWidget) -> list[QAbstractButton]:
    return [b for b in page.findChildren(QAbstractButton) if b.property(ROUTINE)]


def test_every_floor_tab_has_routine_buttons_with_keys_in_their_tooltips(
    qtbot, admin: Context
) -> None:
    window = window_of(qtbot, admin)
    for name in FLOOR_TABS:
        assert window.show_tab(name)
        page = current_page(window)
        buttons = routine_buttons(page)
        if name != "qcTab":  # QC works by scanning and its sign-off dialog
            assert buttons, name
        for button in buttons:
            key = shortcut_of(button) or button.toolTip()
            assert key, (name, button.objectName())
            shown = button.toolTip()
            assert any(f in shown for f in ("F", "Ctrl")), (name, button.objectName(), shown)
        # What shows at once (each page of the tab's own tabs in turn): no key names two
        # buttons (both would be dead).
        inner = page.findChildren(QTabWidget)
        for pages in inner or [None]:
            for index in range(pages.count() if pages else 1):
                if pages is not None:
                    pages.setCurrentIndex(index)
                keys = Counter(shortcut_of(b) for b in buttons if b.isVisible() and shortcut_of(b))
                assert all(n == 1 for n in keys.values()), (name, index, keys)


def test_a_routine_key_presses_its_button(qtbot, make_user: Callable[..., Context]) -> None:
    keeper = make_user(Role.PARTS_KEEPER, username="keeper")
    window = window_of(qtbot, keeper)
    page = current_page(window)
    page.counter.set_pending("wait")  # a part out of stock: the keeper may record the wait
    wait = next(b for b in routine_buttons(page) if b.objectName() == "waitForParts")
    pressed: list[bool] = []
    wait.clicked.connect(lambda: pressed.append(True))
    window.activateWindow()
    qtbot.waitActive(window)
    field = page.findChild(QWidget, "scanInput")
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: bool(pressed))  # a shortcut animates the click (100 ms)


def test_each_person_opens_on_their_own_tab_not_the_last_persons(
    qtbot, make_user: Callable[..., Context]
) -> None:
    boss = make_user(Role.SUPERVISOR, Role.PARTS_KEEPER, username="boss")
    keeper = make_user(Role.PARTS_KEEPER, username="keeper")
    first = window_of(qtbot, boss)
    assert first.show_tab("complaintsTab")
    first.close()  # saves where boss left it
    second = window_of(qtbot, keeper)
    assert current_name(second) == "partsTab"  # the keeper's own, not boss's complaints
    second.show_tab("ledgersTab")
    second.close()
    assert current_name(window_of(qtbot, boss)) == "complaintsTab"
    assert current_name(window_of(qtbot, keeper)) == "ledgersTab"  # where the keeper left


def test_the_scan_field_and_the_banner_have_accessible_names(qtbot, admin: Context) -> None:
    window = window_of(qtbot, admin)
    for name in FLOOR_TABS:
        window.show_tab(name)
        page = current_page(window)
        field = page.findChild(QWidget, "scanInput")
        banner = page.findChild(QWidget, "scanMessage")
        assert field.accessibleName() == "扫描输入框" and banner.accessibleName() == "扫描结果"


def test_windows_asks_for_microsoft_yahei_first_and_keeps_the_bundled_font_as_fallback() -> None:
    on_windows = cjk_font_families("win32")
    assert on_windows[0] == "Microsoft YaHei" and BUNDLED_CJK_FAMILY in on_windows
    assert on_windows.count("Microsoft YaHei") == 1
    assert cjk_font_families("linux")[0] == BUNDLED_CJK_FAMILY
    assert cjk_font_families("darwin")[0] == "PingFang SC"


def test_the_follow_up_calls_keys_press_their_buttons_on_their_page_only(
    qtbot, make_user: Callable[..., Context]
) -> None:
    agent = make_user(Role.CUSTOMER_SERVICE, username="agent")
    window = window_of(qtbot, agent)
    assert window.show_tab("complaintsTab")
    page = current_page(window)
    followups = page.followups
    page.pages.setCurrentWidget(followups)
    not_reached = followups.findChild(QAbstractButton, "notReachedButton")
    answer = page.findChild(QAbstractButton, "answerButton")  # on the hidden handling page
    assert shortcut_of(not_reached) == shortcut_of(answer) == "F3"
    assert [shortcut_of(b) for b in routine_buttons(followups)] == ["F2", "F3", "F4", "F5"]
    pressed: list[str] = []
    not_reached.clicked.connect(lambda: pressed.append("not reached"))
    answer.clicked.connect(lambda: pressed.append("answer"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    followups.table.setFocus()
    qtbot.waitUntil(followups.table.hasFocus)
    qtbot.keyClick(followups.table, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: bool(pressed))
    assert pressed == ["not reached"]
