"""Receiving (收货): the units scanned in, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection


class ReceivingTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="receivingTab",
            parent=parent,
        )
        self.set_header(
            self.tr("Receiving"),
            self.tr(
                "Open the box, check each unit against what the sender declared, scan its "
                "serial / IMEI and stick the repair-order label on it."
            ),
        )
        self.recent = OrderSection(
            self.tr("Recently received"),
            OrderTableModel(ctx.db, clock=ctx.clock, sort_key="received_at", descending=True),
            "recentOrdersTable",
        )
        self.add_section(self.recent)
