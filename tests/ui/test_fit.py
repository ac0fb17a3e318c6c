"""The window at 1366×768 (the common floor PC): each role's every tab fits without a sideways
scroll, and its routine buttons (``ui.widgets.shortcuts.routine``) are on screen without
scrolling; at 1024×768 the window still opens (tabs scroll)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from list_reads import loaded
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QScrollArea, QTabWidget, QWidget

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import build_main_window, create_application
from ui.main_window import MainWindow
from ui.widgets.shortcuts import ROUTINE

ROLES = [
    Role.RECEIVING_CLERK,
    Role.TECHNICIAN,
    Role.PARTS_KEEPER,
    Role.QC_TESTER,
    Role.SHIPPING_CLERK,
    Role.CUSTOMER_SERVICE,
    Role.SUPERVISOR,
    Role.ADMIN,
]


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def window_at(qtbot, ctx: Context, width: int, height: int) -> MainWindow:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(width, height)
    window.show()
    loaded(qtbot)
    qtbot.waitExposed(window)
    return window


def situations(page: QWidget) -> None:
    """Show the buttons that appear only when needed, as they would be at the desk."""
    counter = getattr(page, "counter", None)
    if counter is not None:  # parts: a part that does not fit, then one out of stock
        counter.set_pending("fit")
        counter.override_button.setVisible(True)
        counter.wait_button.setVisible(True)
    box_panel = getattr(page, "box_panel", None)
    if box_panel is not None:  # receiving: labels waiting to be printed
        box_panel.pending_button.setVisible(True)


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """What of ``widget`` shows in ``window``: its rectangle cut by every scrolled or clipped
    ancestor's viewport."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            rect = rect.intersected(QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size()))
        else:
            rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def pages_of(tab: QWidget) -> list[tuple[QTabWidget | None, int]]:
    inner = [t for t in tab.findChildren(QTabWidget) if t.isVisibleTo(tab)]
    if not inner:
        return [(None, 0)]
    return [(t, index) for t in inner for index in range(t.count())]


def problems_at(qtbot, window: MainWindow) -> list[str]:
    found: list[str] = []
    if window.width() > 1366 or window.height() > 768:
        found.append(f"window grew to {window.width()}×{window.height()}")
    for number in range(window.tabs.count()):
        window.tabs.setCurrentIndex(number)  # shown first: tabs are built when first shown
        loaded(qtbot)
        tab = window.page(window.tabs.currentWidget().objectName())
        situations(tab)
        for pages, index in pages_of(tab):
            if pages is not None:
                pages.setCurrentIndex(index)
                loaded(qtbot)
            qtbot.wait(1)
            where = f"{tab.objectName()}[{index}]"
            for scroller in tab.findChildren(QScrollArea):
                if scroller.isVisible() and scroller.horizontalScrollBar().maximum() > 0:
                    found.append(f"{where}: {scroller.objectName()} scrolls sideways")
            for button in tab.findChildren(QAbstractButton):
                if not (button.property(ROUTINE) and button.isVisible()):
                    continue
                shown = visible_rect(button, window)
                whole = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
                if shown != whole:
                    found.append(f"{where}: {button.objectName()} {button.text()!r} cut: {shown}")
    return found


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_every_tab_fits_1366_by_768_with_its_routine_buttons_in_sight(
    qtbot, make_user: Callable[..., Context], role: Role
) -> None:
    ctx = make_user(role, username=f"u_{role.value}")
    window = window_at(qtbot, ctx, 1366, 768)
    assert window.tabs.count() >= 1
    problems = problems_at(qtbot, window)
    assert problems == [], "\n".join(problems)


def test_the_dispatcher_sees_enough_rows_of_the_benches_and_the_approvals(
    qtbot, supervisor: Context
) -> None:
    from ui.allocation.queue import ROWS_IN_SIGHT

    window = window_at(qtbot, supervisor, 1366, 768)
    assert window.show_tab("allocationTab")
    loaded(qtbot)
    dispatch = window.page("allocationTab").dispatch
    qtbot.wait(1)
    for section in (dispatch.on_bench, dispatch.special):
        view = section.view
        rows = view.viewport().height() / view.verticalHeader().defaultSectionSize()
        assert rows >= ROWS_IN_SIGHT, (section.objectName(), rows)
        assert visible_rect(view, window) == QRect(view.mapTo(window, QPoint(0, 0)), view.size())


def test_the_box_list_fits_its_codes_and_the_check_column_stays_narrow(qtbot) -> None:
    from ui.models.lists import ListTableModel
    from ui.receiving.box_panel import BOX_COLUMNS, FAULT_COLUMN
    from ui.widgets.table_view import DataTableView

    create_application("zh_CN")
    rows: list[object] = []
    model = ListTableModel(BOX_COLUMNS, lambda: list(rows), tables=frozenset())
    view = DataTableView(model, "boxUnitsTable")
    view.stretch_column(FAULT_COLUMN)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()

    class Line:
        order_no, serial, model_name = "RO202611240123", "867542051033283", "星辰 S9 Pro 至尊版"
        capacity, colour, fault_description = "256G", "黑", "不开机"
        in_warranty, is_repeat, is_rework, condition_checked = True, False, False, False

    rows.append(Line())
    model.refresh()  # the first unit scanned into the box
    loaded(qtbot)
    metrics = view.fontMetrics()
    for column, text in ((0, Line.order_no), (1, Line.serial), (2, Line.model_name)):
        assert view.columnWidth(column) > metrics.horizontalAdvance(text), column
    last = len(BOX_COLUMNS) - 1
    assert view.columnWidth(last) < view.width() / 4  # 外观检查 not half the width
    assert view.columnWidth(FAULT_COLUMN) > view.columnWidth(last)


def test_at_1024_by_768_the_window_still_fits_the_screen(qtbot, admin: Context) -> None:
    window = window_at(qtbot, admin, 1024, 768)
    assert window.width() <= 1024 and window.height() <= 768
