"""Shipping (发货): units that passed QC, and units going back unrepaired (charge refused)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from app.models import RepairState
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection


class ShippingTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="shippingTab",
            parent=parent,
        )
        self.set_header(
            self.tr("Shipping"),
            self.tr(
                "Only units that passed QC leave: check each against its repair order, record "
                "it, pack it and fill in the waybill."
            ),
        )
        self.ready = OrderSection(
            self.tr("QC passed, ready to ship"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.QC_PASSED})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "readyToShipTable",
        )
        self.unrepaired = OrderSection(
            self.tr("To return unrepaired"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.RETURN_UNREPAIRED})),
                clock=ctx.clock,
                sort_key="received_at",
                descending=False,
            ),
            "returnUnrepairedTable",
        )
        self.add_section(self.ready, 3)
        self.add_section(self.unrepaired, 2)
