"""The QC tab's parts, built one per turn after its header and scan field (ui/qc/tab.py): the
racks, the list waiting for QC, the figures beside it. Imported by the first part, with the
panels, models and services they need: not before the window shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter

from app.models import RepairState
from app.orders.listing import OrderFilter
from ui.models.orders import OrderTableModel
from ui.qc.rack import RackPanel
from ui.qc.stats_panel import QcStatsPanel
from ui.widgets.sections import OrderSection

if TYPE_CHECKING:
    from ui.qc.tab import QcTab


def build_racks(tab: QcTab) -> None:
    """The racks, every slot with its live countdown."""
    tab.racks = RackPanel(tab.ctx, tab.ctx.clock, tab)
    tab.racks.view.slot_activated.connect(tab._sign_off_slot)
    tab.racks.timer.timeout.connect(tab._tick_dialog)
    tab.add_widget(tab.racks, 3)


def build_waiting(tab: QcTab) -> None:
    """The units repaired and waiting for QC (the figures go beside it, in the next turn)."""
    ctx = tab.ctx
    tab.waiting = OrderSection(
        QCoreApplication.translate("QcTab", "Repaired, waiting for QC"),
        OrderTableModel(
            ctx,
            OrderFilter(states=frozenset({RepairState.REPAIRED})),
            clock=ctx.clock,
            sort_key="due_at",
            descending=False,
        ),
        "qcWaitingTable",
    )
    tab._lower = QSplitter(Qt.Orientation.Horizontal, tab)
    tab._lower.setObjectName("qcLowerSplitter")
    tab._lower.setChildrenCollapsible(False)
    tab._lower.addWidget(tab.waiting)
    tab.sections.append(tab.waiting)  # refreshed with the tab's other lists
    tab.add_widget(tab._lower, 2)


def build_stats(tab: QcTab) -> None:
    """The QC figures beside the waiting list."""
    tab.stats = QcStatsPanel(tab.ctx, tab.ctx.clock, tab.racks.model, tab, later=tab.build_later)
    tab._lower.addWidget(tab.stats)
