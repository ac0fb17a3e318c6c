"""What the receiving desk prints again, and its "to print" list: the box's units and the last
week's receipts print a unit's label, its box's receiving slip (and, once shipped, its waybill)
or its timeline again from their rows (context menu, Ctrl+P); a label that did not print waits
in the station's list (ui/print_queue.py), opened with the amber "To print (N)" button beside the
box's other buttons. The tab adds all of it with one line: ``attach(self)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout

from ui.print_queue import ToPrintButton
from ui.reprint import reprint_orders, row_attribute

if TYPE_CHECKING:
    from ui.receiving.tab import ReceivingTab


def attach(tab: ReceivingTab) -> ToPrintButton:
    """Reprint on the desk's two lists and the to-print button; returns the button."""
    for section in (tab.units, tab.recent):  # each Reprinter lives as long as its view
        reprint_orders(section.view, tab.ctx, tab.report, row_attribute(section.model, "order_no"))
    panel = tab.box_panel
    button = ToPrintButton(tab.ctx, panel, "receivingToPrintButton")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
    for layout in panel.findChildren(QBoxLayout):
        at = layout.indexOf(panel.pending_button)
        if at >= 0:
            layout.insertWidget(at + 1, button)
            break
    return button
