"""What a scan's result repaints: the widgets that changed, never the whole window. A text set on
a tab does not make the window's tabs place and repaint everything."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPaintEvent, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from ui.application import create_application
from ui.tab_slot import FloorTabs
from ui.widgets.table_view import DataTableView


class Paints(QObject):
    """Paint events per watched widget, and the largest area painted at once."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.largest: Counter[str] = Counter()
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(event, QPaintEvent):
            name = watched.objectName()
            self.counts[name] += 1
            area = event.rect().width() * event.rect().height()
            self.largest[name] = max(self.largest[name], area)
        return False


def window_with_a_list(qtbot) -> tuple[QMainWindow, FloorTabs, QLabel, DataTableView]:
    create_application("zh_CN")
    window = QMainWindow()
    qtbot.addWidget(window)
    tabs = FloorTabs(window)
    tabs.setObjectName("floorTabs")
    window.setCentralWidget(tabs)
    page = QWidget()
    layout = QVBoxLayout(page)
    message = QLabel("RO2026000001 收货完成", page)
    message.setObjectName("message")
    message.setWordWrap(True)  # as the scan result's banner
    model = QStandardItemModel(30, 4, page)
    for row in range(30):
        model.setData(model.index(row, 0), f"RO20260000{row:02d}")
    view = DataTableView(model, "list", page)
    view.selectRow(2)
    layout.addWidget(message)
    layout.addWidget(view, 1)
    tabs.addTab(page, "收货")
    tabs.addTab(QWidget(), "质检")
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window, tabs, message, view


def test_a_text_set_on_a_tab_repaints_that_label_not_the_whole_window(qtbot) -> None:
    _window, tabs, message, view = window_with_a_list(qtbot)
    paints = Paints(tabs, message, view.viewport())
    for n in range(3):
        message.setText(f"RO202600000{n} 已发货")  # a layout request up to the window's tabs
        qtbot.wait(20)
    assert paints.counts["message"] >= 1
    label_area = message.width() * message.height()
    assert 0 < paints.largest["floorTabs"] <= label_area  # only beneath the label (see-through)
    assert paints.counts["qt_scrollarea_viewport"] == 0  # nor the list beside it


def test_the_tabs_still_place_the_bar_and_pages_when_their_sizes_change(qtbot) -> None:
    _window, tabs, message, _view = window_with_a_list(qtbot)
    tabs.addTab(QWidget(), "一个很长很长的标签页标题")
    qtbot.wait(20)
    bar = tabs.tabBar()
    assert bar.width() >= bar.sizeHint().width()
    message.setMinimumHeight(300)  # the page asks for more room: placed again
    qtbot.wait(20)
    assert message.height() >= 300


def test_a_dialog_opened_over_the_window_does_not_repaint_its_lists(qtbot) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QDialog

    window, _tabs, _message, view = window_with_a_list(qtbot)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.viewport().setObjectName("rows")
    view.horizontalHeader().viewport().setObjectName("header")
    paints = Paints(view.viewport(), view.horizontalHeader().viewport())
    dialog = QDialog(window)  # as the QC sign-off, at every scan of a unit on the rack
    for _round in range(2):
        dialog.open()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.wait(20)
        dialog.reject()
        window.activateWindow()  # (the platform would; offscreen may not)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.wait(20)
    assert paints.counts["rows"] == paints.counts["header"] == 0  # (same colours inactive)
    palette = view.palette()
    for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
        assert palette.color(QPalette.ColorGroup.Inactive, role) == palette.color(
            QPalette.ColorGroup.Active, role
        )


def test_a_list_whose_colours_change_when_inactive_still_repaints(qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QDialog

    window, _tabs, _message, view = window_with_a_list(qtbot)
    palette = view.palette()
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("grey"))
    view.setPalette(palette)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.wait(20)
    view.viewport().setObjectName("rows")
    paints = Paints(view.viewport())
    dialog = QDialog(window)
    dialog.open()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.wait(20)
    dialog.reject()
    assert paints.counts["rows"] >= 1  # the selection is drawn in the inactive colour
