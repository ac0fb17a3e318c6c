"""Ledgers and dashboard (台账与看板): where every order stands, at a glance."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import state_counts
from app.models import RepairState
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
            self.tr("Every repair order by state; the ledgers and monthly KPI sheet come next."),
        )
        self._counts: dict[RepairState, int] = {}
        self.counts = TableSection(
            self.tr("Orders by state"),
            ListTableModel(COUNT_COLUMNS, self._load_counts, tables=COUNTED_TABLES),
            "stateCountsTable",
        )
        from ui.widgets.state_chart import StateChart  # QtCharts only when this tab is built

        self.chart = StateChart(self)
        self.add_section(self.counts, 2)
        self.add_widget(self.chart, 3)
        self.splitter.setSizes([380, 1000])
        self.counts.model.modelReset.connect(self._update_chart)
        self._update_chart()

    def _load_counts(self) -> list[tuple[RepairState, int]]:
        self._counts = state_counts(self.ctx.db)
        return list(self._counts.items())

    def _update_chart(self) -> None:
        self.chart.show_counts(self._counts)
