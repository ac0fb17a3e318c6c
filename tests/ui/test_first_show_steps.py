"""A floor tab's first show is built in small parts, one per turn of the event loop: the scan field
at once, then no part that makes more than one list (a table and its model, read and fitted) or
a page of forms, so that no turn holds the window for a whole tab (ui/widgets/build_steps.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from event_turns import Turns
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from ui.application import build_main_window, create_application
from ui.ops import ops_in_flight
from ui.widgets import build_steps
from ui.widgets.build_steps import BuildSteps, stepwise
from ui.widgets.floor_tab import FloorTab
from ui.widgets.table_view import DataTableView

# The most widgets one part of a tab may make (the largest is a form page of the complaints tab)
LISTS_PER_PART = 2  # (the customer care page: its outbox and its apology calls)
WIDGETS_PER_PART = 120


def test_a_part_s_own_parts_come_right_after_it_each_in_its_own_turn(qtbot) -> None:
    owner = QObject()
    turns = Turns()
    built: list[tuple[str, int]] = []
    with stepwise():
        steps = BuildSteps(owner)

    def page() -> None:
        built.append(("page", turns.count))
        steps.add(lambda: built.append(("lower list", turns.count)))
        steps.add(lambda: built.append(("approvals", turns.count)))

    steps.add(page)
    steps.add(lambda: built.append(("next page", turns.count)))
    whole: list[bool] = []
    steps.finished.connect(lambda: whole.append(True))
    steps.start()
    qtbot.waitUntil(lambda: bool(whole), timeout=5000)
    assert [name for name, _turn in built] == ["page", "lower list", "approvals", "next page"]
    at = [turn for _name, turn in built]
    assert at == sorted(set(at))  # each in a later turn than the one before
    assert whole == [True] and ops_in_flight() == 0
    turns.timer.stop()


def test_a_scan_during_a_part_builds_its_own_parts_and_the_rest_at_once(qtbot) -> None:
    owner = QObject()
    built: list[str] = []
    with stepwise():
        steps = BuildSteps(owner)

    def page() -> None:
        built.append("page")
        steps.add(lambda: built.append("lower list"))
        steps.finish()  # a scan came while the page was being built
        assert built == ["page", "lower list", "next page"]

    steps.add(page)
    steps.add(lambda: built.append("next page"))
    steps.start()
    qtbot.waitUntil(lambda: steps.pending == 0 and len(built) == 3, timeout=5000)
    steps.add(lambda: built.append("added once whole"))  # built at once: nothing would run it
    assert built[-1] == "added once whole" and ops_in_flight() == 0


@pytest.fixture
def parts_built(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[list[tuple[str, int, int, int]], list[str]]]:
    """Each part built: (its name, the turn it was built in, the lists and widgets it made)."""
    built: list[tuple[str, int, int, int]] = []
    wanted: list[str] = []  # the tab looked at
    turns = Turns()
    original = BuildSteps._build

    def counted(self: BuildSteps, step: Callable[[], None]) -> None:
        tab = self.parent()
        if not isinstance(tab, FloorTab) or tab.objectName() not in wanted:
            original(self, step)  # another tab (one the window shows first), still building
            return
        views, widgets = len(tab.findChildren(DataTableView)), len(tab.findChildren(QWidget))
        original(self, step)
        built.append(
            (
                getattr(step, "__qualname__", "?"),
                turns.count,
                len(tab.findChildren(DataTableView)) - views,
                len(tab.findChildren(QWidget)) - widgets,
            )
        )

    monkeypatch.setattr(build_steps.BuildSteps, "_build", counted)
    yield built, wanted
    turns.timer.stop()


@pytest.mark.parametrize(
    "object_name", ["receivingTab", "allocationTab", "partsTab", "qcTab", "complaintsTab"]
)
def test_a_tab_s_first_show_takes_a_scan_at_once_and_builds_one_small_part_per_turn(
    qtbot, admin, parts_built, object_name: str
) -> None:
    parts_built, wanted = parts_built
    wanted.append(object_name)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()  # the first tab (receiving) is made here, while the window shows
    if window.tabs.currentWidget().objectName() != object_name:
        QApplication.processEvents()
        window.show_tab(object_name)
    tab = window.findChild(FloorTab, object_name)
    assert tab is not None and tab.scan_bar.field.isVisible()  # a scan is taken at once
    assert tab.building.pending > 0 and parts_built == []  # its parts wait for later turns
    qtbot.waitUntil(lambda: tab.building.pending == 0 and ops_in_flight() == 0, timeout=20000)
    assert len(parts_built) >= 3
    turns = [turn for _name, turn, _lists, _widgets in parts_built]
    assert turns == sorted(set(turns)), parts_built  # one part per turn of the event loop
    for name, _turn, lists, widgets in parts_built:
        assert lists <= LISTS_PER_PART, (name, lists)
        assert widgets <= WIDGETS_PER_PART, (name, widgets)


def test_the_ledgers_tab_s_first_show_makes_its_frame_and_builds_one_part_per_turn(
    qtbot, admin, parts_built
) -> None:
    parts_built, wanted = parts_built
    wanted.append("ledgersTab")
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    window.show_tab("ledgersTab")
    tab = window.findChild(FloorTab, "ledgersTab")
    assert tab is not None and tab.header.isVisible()  # its header and frame at once
    pages = tab.findChild(QTabWidget, "ledgerPages")
    assert pages is not None and pages.count() == 2
    assert tab.building.pending > 0 and parts_built == []  # its parts wait for later turns
    qtbot.waitUntil(lambda: tab.building.pending == 0 and ops_in_flight() == 0, timeout=20000)
    assert len(parts_built) >= 3
    turns = [turn for _name, turn, _lists, _widgets in parts_built]
    assert turns == sorted(set(turns)), parts_built  # one part per turn of the event loop
    # The field-quality page (ui/quality/page.py: five lists, made at once) is built last, behind
    # the dashboard, once every visible part is in place.
    assert parts_built[-1][0] == "LedgersTab._build_quality"
    for name, _turn, lists, widgets in parts_built[:-1]:
        assert lists <= LISTS_PER_PART, (name, lists)
        assert widgets <= WIDGETS_PER_PART, (name, widgets)
