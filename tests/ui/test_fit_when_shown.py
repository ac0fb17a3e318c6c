"""A list whose first rows come while it is out of sight (a page behind another) is measured
when it is first shown, not in the turn its rows come (ui/widgets/table_view.py)."""

from __future__ import annotations

from list_reads import loaded
from PySide6.QtWidgets import QTabWidget, QWidget

from ui.application import create_application
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.table_view import DataTableView

LONG = "RO2026112401234567 星辰 S9 Pro 至尊版 256G"


def test_a_list_out_of_sight_is_fitted_when_first_shown(qtbot) -> None:
    create_application("zh_CN")
    rows: list[str] = []
    model = ListTableModel(
        (Column("Order no.", lambda row: row),), lambda: list(rows), tables=frozenset()
    )
    pages = QTabWidget()
    qtbot.addWidget(pages)
    pages.addTab(QWidget(), "in sight")
    view = DataTableView(model, "hiddenTable")
    view.horizontalHeader().setStretchLastSection(False)
    pages.addTab(view, "behind")
    pages.resize(900, 300)
    pages.show()
    header_only = view.columnWidth(0)
    rows.append(LONG)
    model.refresh()
    loaded(qtbot)
    assert view.columnWidth(0) == header_only  # not measured while out of sight
    pages.setCurrentIndex(1)
    qtbot.waitUntil(view.isVisible)
    assert view.columnWidth(0) > view.fontMetrics().horizontalAdvance(LONG)
