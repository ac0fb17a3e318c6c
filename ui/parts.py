"""Parts issue (物料发放): the stock against safety stock, and the orders waiting for parts."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from app.models import RepairState
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.models.parts import PartStockModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection, TableSection


class PartsTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="partsTab",
            parent=parent,
        )
        self.set_header(
            self.tr("Parts issue"),
            self.tr(
                "Issue parts against a repair order once the charge is confirmed; parts below "
                "their safety stock are shown first, in red."
            ),
        )
        self.stock = TableSection(self.tr("Parts stock"), PartStockModel(ctx.db), "partStockTable")
        self.waiting = OrderSection(
            self.tr("Orders waiting for parts"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.WAITING_PARTS})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "waitingPartsTable",
        )
        self.add_section(self.stock, 3)
        self.add_section(self.waiting, 2)
