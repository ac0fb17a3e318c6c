"""Allocation (分配): the queue of received units to hand out, and the special cases waiting
for a supervisor's approval (refund, refurbish, replace as new)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from app.models import RepairState
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection


class AllocationTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="allocationTab",
            parent=parent,
        )
        self.set_header(
            self.tr("Allocation"),
            self.tr(
                "Hand each received unit to a technician, earliest due first. Special handling "
                "waits for a supervisor's approval before work starts."
            ),
        )
        self.queue = OrderSection(
            self.tr("Waiting for allocation"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.RECEIVED})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "allocationQueueTable",
        )
        self.special = OrderSection(
            self.tr("Awaiting supervisor approval"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.SPECIAL_PENDING})),
                clock=ctx.clock,
                sort_key="received_at",
                descending=False,
            ),
            "specialPendingTable",
        )
        self.add_section(self.queue, 3)
        self.add_section(self.special, 2)
