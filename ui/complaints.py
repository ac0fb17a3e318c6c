"""Complaints and follow-up (客诉与回访): the complaint register, and the charges waiting for
the customer's answer (customer service confirms them by phone)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import Context
from app.listing import OrderFilter
from app.models import RepairState
from ui.changes import ChangeBridge
from ui.models.complaints import ComplaintTableModel
from ui.models.orders import OrderTableModel
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection, TableSection


class ComplaintsTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            changes,
            object_name="complaintsTab",
            parent=parent,
        )
        self.set_header(
            self.tr("Complaints and follow-up"),
            self.tr(
                "Contact the customer within 10 minutes, answer within 24 hours, settle a "
                "major complaint within 3 days; call back within 3 days after settlement."
            ),
        )
        self.register = TableSection(
            self.tr("Complaint register"),
            ComplaintTableModel(ctx.db, clock=ctx.clock),
            "complaintsTable",
        )
        self.charges = OrderSection(
            self.tr("Charges waiting for the customer's answer"),
            OrderTableModel(
                ctx.db,
                OrderFilter(states=frozenset({RepairState.WAITING_CHARGE})),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "waitingChargeTable",
        )
        self.add_section(self.register, 3)
        self.add_section(self.charges, 2)
