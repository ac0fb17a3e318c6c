"""The supervisor's dashboard read in five seconds: seven large tiles agreeing with the core,
each opening its list; chart labels whole; the KPI table never wider than its pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_NOW
from list_reads import whole_page
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.ledgers.tiles import Tile, tile_figures
from app.users import actor_for_username
from ui.application import build_main_window, create_application
from ui.ledgers.tab import LedgersTab
from ui.ledgers.tiles import TileList


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def admin(demo_db, system_ctx, clock) -> Context:
    clock.set(DEMO_NOW)
    return system_ctx.as_actor(actor_for_username(demo_db, "admin"))


@pytest.fixture
def tab(qtbot, admin) -> LedgersTab:
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_tab("ledgersTab")
    found = whole_page(window, "ledgersTab")  # its parts come one per turn after it shows
    assert isinstance(found, LedgersTab)
    return found


def test_seven_tiles_show_the_core_figures_and_open_their_lists(qtbot, tab, admin) -> None:
    tiles = tab.dashboard.tiles
    qtbot.waitUntil(lambda: len(tiles.figures) == 7, timeout=20_000)
    expected = {figure.tile: figure for figure in tile_figures(admin, admin.now())}
    for tile, figure in expected.items():
        button = tab.findChild(QPushButton, f"tile_{tile.value}")
        first_line = button.text().split("\n")[0]
        if tile is Tile.SATISFACTION:
            assert f"({figure.count} / {figure.surveys})" in first_line and "98 %" in first_line
        else:
            assert first_line.startswith(str(figure.count))
        assert button.isVisible()
        assert ("b3261e" in button.styleSheet()) == figure.alarming
    valid = tab.findChild(QPushButton, "tile_valid_complaints").text()
    assert "/ 2" in valid and "有效投诉" in valid
    tab.findChild(QPushButton, "tile_follow_ups_due").click()
    qtbot.waitUntil(lambda: isinstance(tiles.list_dialog, TileList), timeout=10_000)
    rows = tiles.list_dialog.section.model.rowCount()
    assert rows == expected[Tile.FOLLOW_UPS_DUE].count
    tiles.list_dialog.close()


def test_charts_never_elide_and_the_kpi_table_fits_its_pane(qtbot, tab, qtmodeltester) -> None:
    kpis = tab.dashboard.kpis
    qtbot.waitUntil(lambda: kpis.model.columnCount() > 0, timeout=20_000)
    qtmodeltester.check(kpis.model)
    for chart in (tab.chart.chart(), tab.dashboard.turnaround.chart()):
        categories = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
        assert categories and all(not axis.truncateLabels() for axis in categories)
    view = kpis.view
    assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    header = [kpis.model.headerData(r, Qt.Orientation.Vertical) for r in range(2)]
    assert header == ["收货台数", "发货台数"]
