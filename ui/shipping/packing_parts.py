"""The shipping tab's parts, built one per turn after its header and scan field
(ui/shipping/tab.py): the lists (ready to ship, today's ledger), then the packing panel with its
waybill form. Imported by the first part, with the panels, models and services they need: not
before the window shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter

from ui.reprint import Reprinter
from ui.shipping.lists import ready_model, today_ledger_model
from ui.shipping.packing_panel import PackingPanel
from ui.widgets.sections import TableSection

if TYPE_CHECKING:
    from ui.shipping.tab import ShippingTab


def build_lists(tab: ShippingTab) -> None:
    """The units ready to ship, by customer, over today's shipping ledger."""
    ctx = tab.ctx
    tab.ready = TableSection(
        QCoreApplication.translate("ShippingTab", "Ready to ship, by customer"),
        ready_model(ctx),
        "readyToShipTable",
    )
    tab.ledger = TableSection(
        QCoreApplication.translate("ShippingTab", "Shipping ledger, today"),
        today_ledger_model(ctx, ctx.now),
        "shippingLedgerTable",
    )
    left = QSplitter(Qt.Orientation.Vertical, tab)
    left.setChildrenCollapsible(False)
    left.addWidget(tab.ready)
    left.addWidget(tab.ledger)
    tab.add_widget(left, 2)
    tab.sections += [tab.ready, tab.ledger]


def build_panel(tab: ShippingTab) -> None:
    """The packing panel (the open shipment, its packing list, the waybill form, the buttons);
    reprinting from the ledger."""
    ctx = tab.ctx
    # Scrolls on a small screen rather than forcing the window to grow.
    scroll = QScrollArea(tab)
    scroll.setObjectName("packingScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    tab.panel = PackingPanel(ctx, lambda: tab.shipment.id if tab.shipment else None, scroll)
    scroll.setWidget(tab.panel)
    tab.add_widget(scroll, 3)
    tab.sections.append(tab.panel.packing)
    tab.reprinter = Reprinter(tab.ledger.view, ctx, tab._ledger_documents, tab.report)
