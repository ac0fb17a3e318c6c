"""Receiving (收货): the units scanned in, newest first."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from ui.changes import ChangeBridge
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection

RECENT_DAYS = timedelta(days=7)


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
        # The desk's own list: the last week's receipts (the index on received_at keeps it fast
        # on a database of millions of orders; older orders are found through the search).
        recent = OrderFilter(received_since=ctx.now() - RECENT_DAYS)
        self.recent = OrderSection(
            self.tr("Received in the last 7 days"),
            OrderTableModel(
                ctx.db, recent, clock=ctx.clock, sort_key="received_at", descending=True
            ),
            "recentOrdersTable",
        )
        self.add_section(self.recent)
