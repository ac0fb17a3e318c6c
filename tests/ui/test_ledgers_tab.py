"""The ledgers tab: export the ledgers from the window (off the UI thread), see the dashboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_NOW
from list_reads import whole_page
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.ledgers.export import ALL_KEYS
from app.users import actor_for_username
from ui.application import build_main_window, create_application
from ui.ledgers.tab import LedgersTab


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def admin(demo_db, system_ctx, clock) -> Context:
    """The demo's administrator, on the demo's day."""
    clock.set(DEMO_NOW)
    return system_ctx.as_actor(actor_for_username(demo_db, "admin"))


@pytest.fixture
def tab(qtbot, admin) -> LedgersTab:
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("ledgersTab")
    found = whole_page(window, "ledgersTab")  # its parts come one per turn after it shows
    assert isinstance(found, LedgersTab)
    return found


def test_exporting_from_the_tab_writes_every_ledger_in_the_folder(qtbot, tab, tmp_path) -> None:
    panel = tab.export_panel
    out = tmp_path / "ledgers"
    panel.folder.setText(str(out))
    panel.first.setDate(panel.first.date().addMonths(-1))
    with qtbot.waitSignal(panel.finished, timeout=30_000) as finished:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    paths = finished.args[0]
    assert len(paths) == len(ALL_KEYS) == len(list(out.glob("*.xlsx")))
    assert load_workbook(out / paths[0].name).worksheets[0].cell(3, 1).value == "维修单号"
    assert "10" in panel.status.text() and panel.export_button.isEnabled()


def test_only_the_ticked_ledgers_are_written(qtbot, tab, tmp_path) -> None:
    panel = tab.export_panel
    panel.folder.setText(str(tmp_path / "some"))
    for key, box in panel.boxes.items():
        box.setChecked(key in ("qc", "kpi"))
    with qtbot.waitSignal(panel.finished, timeout=30_000) as finished:
        panel.export_button.click()
    assert sorted(path.name.split("_")[0] for path in finished.args[0]) == ["kpi", "qc"]


def test_nothing_ticked_asks_for_a_ledger(qtbot, tab) -> None:
    for box in tab.export_panel.boxes.values():
        box.setChecked(False)
    tab.export_panel.export_button.click()
    assert tab.export_panel.status.text()
    assert tab.export_panel.job is None


def test_the_dashboard_shows_the_kpis_by_month_and_by_week(qtbot, tab) -> None:
    kpis = tab.dashboard.kpis.model
    # The demo is a month: only the months with anything in them are columns (no empty ones).
    qtbot.waitUntil(lambda: 1 <= kpis.columnCount() <= 2, timeout=20_000)
    assert tab.dashboard.technicians.model.rowCount() > 0
    months = kpis.columnCount()
    tab.dashboard.granularity.setCurrentIndex(tab.dashboard.granularity.findData("week"))
    qtbot.waitUntil(lambda: kpis.columnCount() > months, timeout=20_000)
    assert kpis.headerData(0, Qt.Orientation.Vertical) == "收货台数"  # a count, not a time
    received = sum(int(kpis.index(0, column).data()) for column in range(kpis.columnCount()))
    assert received > 0


def test_two_valid_complaints_this_month_raise_a_warning_on_the_dashboard(
    qtbot, tab, admin
) -> None:
    from sqlalchemy import select

    from app.complaints import register_complaint, valid_complaints_in_month
    from app.models import ComplaintCategory, ComplaintChannel, ComplaintGrade, Customer

    with admin.db.read() as session:
        customer = session.scalar(select(Customer.id).order_by(Customer.id))
    now = admin.now()
    while valid_complaints_in_month(admin, now.year, now.month) < 2:
        register_complaint(
            admin,
            customer_id=customer,
            channel=ComplaintChannel.PHONE,
            description="修好后三天又不开机",
            customer_request="重新维修",
            grade=ComplaintGrade.B,
            category=ComplaintCategory.REPAIR_QUALITY,
        )
    tab.dashboard.refresh()
    qtbot.waitUntil(lambda: tab.dashboard.warning.isVisibleTo(tab.dashboard), timeout=20_000)
    assert "⚠" in tab.dashboard.warning.text()
