"""QC aging test (QC老化测试): units back from repair to register, and units on the racks."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from app.models import RepairState
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection


class QcTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="qcTab",
            parent=parent,
        )
        self.set_header(
            self.tr("QC aging test"),
            self.tr(
                "Register each unit received from repair, age it for at least its model's "
                "hours, then check function and appearance and sign off pass or fail."
            ),
        )
        self.waiting = OrderSection(
            self.tr("Repaired, waiting for QC"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.REPAIRED})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "qcWaitingTable",
        )
        self.aging = OrderSection(
            self.tr("On the aging racks"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.IN_QC})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "qcAgingTable",
        )
        self.add_section(self.waiting)
        self.add_section(self.aging)
