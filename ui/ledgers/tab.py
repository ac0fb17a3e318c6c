"""Ledgers and dashboard (台账与看板): export the Excel ledgers, see where every order stands
and how the center meets its targets."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.context import Context
from app.localtime import center_zone
from app.models import RepairState
from app.orders.listing import state_counts
from ui.changes import ChangeBridge
from ui.i18n import state_label
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import TableSection

COUNT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "State"), lambda item: state_label(item[0])),
    Column(QT_TRANSLATE_NOOP("Columns", "Orders"), lambda item: str(item[1]), None, True),
)
COUNTED_TABLES = frozenset({"repair_orders"})


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class LedgersTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="ledgersTab",
            with_scan=False,
            lists_side_by_side=True,
            parent=parent,
        )
        self.set_header(
            self.tr("Ledgers and dashboard"),
            self.tr("Export the ledgers to Excel; every order by state; the targets week by week."),
        )
        # QtCharts and the exporters load only when this tab is built (not at start-up).
        from ui.ledgers.dashboard import Dashboard
        from ui.ledgers.export import ExportPanel
        from ui.widgets.state_chart import StateChart

        today = lambda: ctx.now().astimezone(center_zone()).date()  # noqa: E731
        self._counts: dict[RepairState, int] = {}
        self.export_panel = ExportPanel(ctx, today(), self)
        self.counts = TableSection(
            self.tr("Orders by state"),
            ListTableModel(
                COUNT_COLUMNS, lambda: list(state_counts(ctx).items()), tables=COUNTED_TABLES
            ),
            "stateCountsTable",
        )
        self.sections.append(self.counts)  # refreshed by the change broadcast
        self.chart = StateChart(self)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.export_panel)
        column.addWidget(self.counts, 2)
        column.addWidget(self.chart, 3)
        self.dashboard = Dashboard(ctx, today, self)
        # Scroll areas: a small screen (or window) scrolls the panels instead of being widened.
        self.add_widget(scrolling(left), 2)
        from ui.quality.page import QualityPage  # field quality: its own page, beside the KPIs

        self.quality = QualityPage(ctx, self)
        # The KPIs and the field quality share the right side as two pages: three panels side
        # by side scrolled sideways at 1366×768.
        self.pages = QTabWidget(self)
        self.pages.setObjectName("ledgerPages")
        self.pages.addTab(scrolling(self.dashboard), self.tr("Dashboard"))
        self.pages.addTab(scrolling(self.quality), self.tr("Field quality"))
        self.add_widget(self.pages, 3)
        self.sections.append(self.quality.alarms)  # refreshed by the change broadcast
        self.splitter.setSizes([520, 880])
        self.counts.model.modelReset.connect(self._update_chart)
        self._update_chart()
        self._dashboard_loaded = False

    def _update_chart(self) -> None:
        model = self.counts.model
        assert isinstance(model, ListTableModel)
        self._counts = dict(model.row_object(row) for row in range(model.rowCount()))
        self.chart.show_counts(self._counts)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._dashboard_loaded:  # the KPIs are computed when someone looks at them
            self._dashboard_loaded = True
            self.dashboard.refresh()
