"""The main window shows each person the tabs of their work, and says who and where they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTabWidget

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import build_main_window, create_application
from ui.main_window import TABS, MainWindow

ALL_TABS = [
    "receivingTab",
    "allocationTab",
    "partsTab",
    "qcTab",
    "shippingTab",
    "complaintsTab",
    "ledgersTab",
    "adminTab",
]


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def tab_names(window: MainWindow) -> list[str]:
    tabs = window.findChild(QTabWidget, "floorTabs")
    return [tabs.widget(index).objectName() for index in range(tabs.count())]


def test_an_admin_sees_all_eight_tabs(qtbot, admin: Context) -> None:
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    assert [spec.object_name for spec in TABS] == [*ALL_TABS, "headquartersTab"]
    assert tab_names(window) == ALL_TABS  # headquarters' tab: a user of headquarters only


def test_headquarters_tab_goes_by_the_home_center_read_at_sign_in(
    qtbot, admin: Context, make_user: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.headquarters.home

    def no_read(ctx: Context) -> bool:
        raise AssertionError("the window read the home center: the sign-in read it already")

    monkeypatch.setattr(app.headquarters.home, "is_headquarters", no_read)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")  # no VIEW_NETWORK
    at_headquarters = {"home_is_headquarters": True}
    boss = admin.as_actor(replace(admin.actor, **at_headquarters))
    clerk = clerk.as_actor(replace(clerk.actor, **at_headquarters))
    windows = [build_main_window(ctx) for ctx in (admin, boss, clerk)]
    for window in windows:
        qtbot.addWidget(window)
    assert [tab_names(window) for window in windows] == [
        ALL_TABS,  # a center's admin
        [*ALL_TABS, "headquartersTab"],
        ["receivingTab"],
    ]


def test_a_receiving_clerk_sees_only_receiving(qtbot, make_user: Callable[..., Context]) -> None:
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk", display_name="李收货")
    window = build_main_window(clerk)
    qtbot.addWidget(window)
    window.show()
    assert tab_names(window) == ["receivingTab"]


def test_a_technician_sees_allocation_and_a_parts_keeper_parts_and_ledgers(
    qtbot, make_user: Callable[..., Context]
) -> None:
    technician = build_main_window(make_user(Role.TECHNICIAN, username="tech"))
    keeper = build_main_window(make_user(Role.PARTS_KEEPER, username="keeper"))
    qtbot.addWidget(technician)
    qtbot.addWidget(keeper)
    assert tab_names(technician) == ["allocationTab"]
    assert tab_names(keeper) == ["partsTab", "ledgersTab"]


def test_the_status_bar_names_the_user_roles_station_and_database(
    qtbot, make_user: Callable[..., Context]
) -> None:
    create_application("zh_CN")
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk", display_name="李收货")
    window = build_main_window(clerk)
    qtbot.addWidget(window)
    assert "李收货" in window.findChild(QLabel, "statusUser").text()
    assert "收货文员" in window.findChild(QLabel, "statusUser").text()
    assert "test-station" in window.findChild(QLabel, "statusStation").text()
    assert clerk.db.display_name in window.findChild(QLabel, "statusDatabase").text()


def test_the_window_remembers_its_size_and_tab(qtbot, admin: Context) -> None:
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.resize(640, 480)  # within the offscreen screen (800 × 600)
    window.show()
    window.show_tab("qcTab")
    window.close()
    again = build_main_window(admin)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget().objectName() == "qcTab"
    assert again.size().width() == 640


def test_customer_service_sees_complaints_charges_and_the_overdue_counter(
    qtbot, make_user: Callable[..., Context]
) -> None:
    service = build_main_window(make_user(Role.CUSTOMER_SERVICE, username="cs"))
    clerk = build_main_window(make_user(Role.RECEIVING_CLERK, username="clerk"))
    qtbot.addWidget(service)
    qtbot.addWidget(clerk)
    assert tab_names(service) == ["allocationTab", "complaintsTab"]  # charges to confirm
    assert service.overdue_counter is not None
    assert service.overdue_counter.objectName() == "overdueCounter"
    assert clerk.overdue_counter is None


def test_the_window_fits_a_laptop_screen_for_an_admin(qtbot, admin: Context) -> None:
    window = build_main_window(admin)
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700  # 1366 × 768 with a task bar


def test_the_status_bar_warns_when_the_newest_good_backup_is_over_a_day_old(
    qtbot, admin: Context
) -> None:
    from datetime import timedelta

    from app.admin import backup
    from app.config import backups_dir

    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    warning = window.findChild(QLabel, "backupWarning")
    assert warning is window.backup_warning and not warning.isVisible()  # before the daily one
    warning.refresh()  # no backup at all yet
    assert warning.isVisible() and str(backups_dir()) in warning.text()
    backup.daily_backup(admin.db, backups_dir(), admin.now())
    warning.refresh()
    assert not warning.isVisible()
    admin.clock.advance(timedelta(hours=25))
    warning.refresh()
    assert warning.isVisible()


def test_the_station_signs_out_when_the_person_is_disabled_or_their_roles_change(
    qtbot, admin: Context, make_user: Callable[..., Context]
) -> None:
    from app.admin import users as admin_users

    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    tech = make_user(Role.TECHNICIAN, username="tech")
    windows = [build_main_window(clerk), build_main_window(tech)]
    for window in windows:
        qtbot.addWidget(window)
        window.show()
    with qtbot.waitSignal(windows[0].signed_out, timeout=5000):
        admin_users.disable_user(
            admin, clerk.user_id, expected_version=admin_users.user_version(admin, clerk.user_id)
        )
    assert windows[1].session_guard.check()  # the other person works on
    with qtbot.waitSignal(windows[1].signed_out, timeout=5000):
        admin_users.set_roles(
            admin,
            tech.user_id,
            {Role.TECHNICIAN, Role.QC_TESTER},
            expected_version=admin_users.user_version(admin, tech.user_id),
        )
    for window in windows:
        window.changes.close()
