"""Headquarters' tab: shown to a user whose home center is headquarters, built when first shown,
it lists every center's month and the warnings; a decision is approved in its dialog; the month
exports to Excel."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSWORD
from factories import add_customer
from openpyxl import load_workbook
from PySide6.QtWidgets import QTabWidget
from quality_data import Shop
from test_headquarters import _center_is, _complain
from test_quality_alarms import AS_OF, history

import ui.headquarters.tab as hq_tab
from app.config import DATA_DIR_ENV_VAR
from app.models import CenterKind, ComplaintCategory, Role, WarningDecision
from app.users import actor_for_username
from ui.application import build_main_window, create_application
from ui.changes import ChangeBridge
from ui.headquarters.decide import DecideDialog
from ui.headquarters.tab import HeadquartersTab


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def _tab_names(window) -> list[str]:
    tabs = window.findChild(QTabWidget, "floorTabs")
    return [tabs.widget(index).objectName() for index in range(tabs.count())]


def test_a_headquarters_user_decides_and_exports_from_the_tab(
    qtbot, db, make_user, tmp_path, monkeypatch
) -> None:
    create_application("zh_CN")
    boss = make_user(Role.SUPERVISOR, username="hq-boss")
    make_user(Role.SUPERVISOR, username="hq-approver")
    station = build_main_window(boss)  # center 1 is a center of its own: no headquarters tab
    qtbot.addWidget(station)
    assert "headquartersTab" not in _tab_names(station)
    _center_is(db, CenterKind.HEADQUARTERS)
    # The window goes by the home center read at sign-in: shown again for the same sign-in, it
    # still has no headquarters tab; signed in again, it has.
    again = build_main_window(boss)
    qtbot.addWidget(again)
    assert "headquartersTab" not in _tab_names(again)
    boss = boss.as_actor(actor_for_username(db, "hq-boss"))
    assert boss.actor.home_is_headquarters
    customer = add_customer(db, boss)
    _complain(boss, customer, ComplaintCategory.REPAIR_QUALITY)
    _complain(boss, customer, ComplaintCategory.PRICING)
    window = build_main_window(boss)
    qtbot.addWidget(window)
    window.show()
    assert "headquartersTab" in _tab_names(window)
    assert window.findChild(HeadquartersTab, "headquartersTab") is None  # built when shown
    window.show_tab("headquartersTab")
    tab = window.findChild(HeadquartersTab, "headquartersTab")
    assert tab is not None
    qtbot.waitUntil(lambda: tab.seen is not None and tab.warnings.rowCount() == 1)
    assert tab.figures.rowCount() == 1 and tab.figures.item(0, 14).text() == "⚠ 2"
    assert tab.warnings.item(0, 4).text() == "待处理"

    dialog = DecideDialog(boss, tab.selected_warning(), tab)
    qtbot.addWidget(dialog)
    dialog.decision.setCurrentIndex(dialog.decision.findData(WarningDecision.REPRIMAND.value))
    dialog.approver.setText("hq-approver")
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.warnings.item(0, 4).text() == "通报批评")

    target = tmp_path / "hq.xlsx"
    monkeypatch.setattr(hq_tab, "ask_export_path", lambda parent, month: target)
    tab.export_button.click()
    rows = list(load_workbook(target, read_only=True)["警示与处理"].iter_rows(values_only=True))
    assert any(row and row[0] == "C1" and "通报批评" in row for row in rows)


def test_headquarters_checks_the_network_and_lists_every_centers_alarms(
    qtbot, db, make_user, clock
) -> None:
    create_application("zh_CN")
    clock.set(AS_OF)  # the history ends in August
    boss = make_user(Role.SUPERVISOR, username="hq-boss")
    history(Shop(db, boss.actor.user_id), defective_month=5)
    _center_is(db, CenterKind.HEADQUARTERS)
    tab = HeadquartersTab(boss, ChangeBridge(boss.db))
    qtbot.addWidget(tab)
    tab.show()
    page = tab.alarms
    tab.pages.setCurrentWidget(page)
    model = page.alarms.model
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 0
    page.check_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10000)
    assert model.data(model.index(0, 0)).startswith("C1 ")
    assert model.data(model.index(0, 1)) == "X1"
    assert "1" in page.status.text()
