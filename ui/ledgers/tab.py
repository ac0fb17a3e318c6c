"""Ledgers and dashboard (台账与看板): export the Excel ledgers, see where every order stands
and how the center meets its targets.

The tab is the first a supervisor's window shows. Like the floor tabs it is built in steps
(ui/widgets/build_steps.py): its header and frame (the left column, the right side's pages) at
once, then one part per turn after the window's first paint — the dashboard (its figures read on
the read worker), the orders by state and their chart, the export panel, the field-quality page.
This module imports only what the frame needs; each part imports its own modules (QtCharts, the
KPI and quality rules, the order tables, the exporters) when it is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.context import Context
from ui.changes import ChangeBridge
from ui.widgets.floor_tab import FloorTab

if TYPE_CHECKING:
    from app.models import RepairState
    from ui.ledgers.dashboard import Dashboard
    from ui.ledgers.export import ExportPanel
    from ui.quality.page import QualityPage
    from ui.widgets.sections import TableSection
    from ui.widgets.state_chart import StateChart

# Imported by parts of this tab from outside its package: preloaded with it (ui/preload.py)
PRELOAD = ("ui.quality.page", "ui.widgets.state_chart")


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def _column(parent: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """An empty page its parts are added to, one after the other, as they are built."""
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    return page, layout


class LedgersTab(FloorTab):
    export_panel: ExportPanel
    counts: TableSection
    chart: StateChart
    dashboard: Dashboard
    quality: QualityPage

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
        self._counts: dict[RepairState, int] = {}
        self._dashboard_loaded = False
        self._has_dashboard = False
        # The frame: the export panel, the counts and their chart on the left; the KPIs and the
        # field quality share the right side as two pages (three panels side by side scrolled
        # sideways at 1366×768). Scroll areas: a small screen (or window) scrolls the panels
        # instead of being widened.
        left, self._left = _column(self)
        self.add_widget(scrolling(left), 2)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("ledgerPages")
        dashboard_page, self._dashboard_page = _column(self.pages)
        quality_page, self._quality_page = _column(self.pages)
        self.pages.addTab(dashboard_page, self.tr("Dashboard"))
        self.pages.addTab(quality_page, self.tr("Field quality"))
        self.add_widget(self.pages, 3)
        self.pages.currentChanged.connect(lambda _page: self.building.finish())  # looked at: now
        self.splitter.setSizes([520, 880])
        # The parts, one per turn after the first paint: the dashboard first (its figures take
        # the longest to read), then the left column's, then the page behind the dashboard.
        self.build_later(self._build_dashboard)
        self.build_later(self._build_export)
        self.build_later(self._build_counts)
        self.build_later(self._build_quality)

    def _build_dashboard(self) -> None:
        # QtCharts, the KPI rules and the tiles' load only when this part is built.
        from app.localtime import center_zone
        from ui.ledgers.dashboard import Dashboard

        ctx = self.ctx
        self.dashboard = Dashboard(ctx, lambda: ctx.now().astimezone(center_zone()).date(), self)
        self._dashboard_page.addWidget(scrolling(self.dashboard))
        self._has_dashboard = True
        self._load_dashboard()

    def _build_export(self) -> None:
        from app.localtime import center_zone
        from ui.ledgers.export import ExportPanel

        today = self.ctx.now().astimezone(center_zone()).date()
        self.export_panel = ExportPanel(self.ctx, today, self)
        self._left.insertWidget(0, self.export_panel)

    def _build_counts(self) -> None:
        from ui.ledgers.counts import counts_section
        from ui.widgets.state_chart import StateChart

        self.counts = counts_section(self.ctx)
        self.sections.append(self.counts)  # refreshed by the change broadcast
        self.chart = StateChart(self)
        self._left.addWidget(self.counts, 2)
        self._left.addWidget(self.chart, 3)
        self.counts.model.modelReset.connect(self._update_chart)
        self._update_chart()

    def _build_quality(self) -> None:
        from ui.quality.page import QualityPage  # field quality: its own page, beside the KPIs

        self.quality = QualityPage(self.ctx, self)
        self._quality_page.addWidget(scrolling(self.quality))
        self.sections.append(self.quality.alarms)  # refreshed by the change broadcast

    def _update_chart(self) -> None:
        from ui.models.lists import ListTableModel

        model = self.counts.model
        assert isinstance(model, ListTableModel)
        self._counts = dict(model.row_object(row) for row in range(model.rowCount()))
        self.chart.show_counts(self._counts)

    def _load_dashboard(self) -> None:
        """The KPIs are computed when someone looks at them (once the dashboard is built)."""
        if self._has_dashboard and not self._dashboard_loaded and self.isVisible():
            self._dashboard_loaded = True
            self.dashboard.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._load_dashboard()
